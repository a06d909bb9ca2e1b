//! The visible stamp of a digital signature, in the form used by Peruvian public entities:
//! "Firmado digitalmente por: …", "Motivo: …", "Fecha: dd.mm.aaaa hh:mm:ss -05:00".
//!
//! The stamp is drawn with our own layout code into a one-page PDF of the stamp's size
//! (so its font is subset and embedded like the document's), then that page's content and
//! resources are copied into the signed file as the widget's appearance (a form XObject).

use std::collections::HashMap;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};
use printpdf::{Mm, PdfDocument, PdfPage, PdfSaveOptions};

use crate::canvas::{Align, Sheet, Style};
use crate::error::DocsError;
use crate::layout::fit_text;

/// Renders the stamp (w×h points) as a tiny PDF.
fn stamp_pdf(w: f32, h: f32, lines: &[String]) -> Result<Vec<u8>, DocsError> {
    let fonts = crate::render::fonts_for_stamp()?;
    let mut pdf = PdfDocument::new("Firma digital");
    // The stamp uses the regular face only; embedding one font keeps the signature small.
    let regular = pdf.add_font(&fonts.0);
    let mut sheet = Sheet::new(w, h, regular.clone(), regular);
    sheet.fill_rect_on(0, 0.5, 0.5, w - 1.0, h - 1.0, [245, 248, 252]);
    sheet.stroke_rect_on(0, 0.5, 0.5, w - 1.0, h - 1.0, 0.6);
    let pad = 3.0;
    // Head line in bold, the rest regular; shrink to fit the box.
    let inner_h = h - 2.0 * pad;
    let body = lines.join("\n");
    fit_text(
        &mut sheet,
        0,
        pad,
        pad,
        w - 2.0 * pad,
        inner_h,
        &body,
        Style::regular(7.0),
        Align::Left,
    );
    let ops = sheet.into_pages().into_iter().next().unwrap_or_default();
    let page = PdfPage::new(Mm(w * 25.4 / 72.0), Mm(h * 25.4 / 72.0), ops);
    let opts = PdfSaveOptions {
        optimize: true,
        subset_fonts: true,
        secure: true,
        image_optimization: None,
    };
    let mut warnings = Vec::new();
    Ok(pdf.with_pages(vec![page]).save(&opts, &mut warnings))
}

fn copy_object(
    obj: &Object,
    src: &Document,
    dst: &mut Document,
    map: &mut HashMap<ObjectId, ObjectId>,
) -> Result<Object, DocsError> {
    Ok(match obj {
        Object::Reference(id) => {
            if let Some(new) = map.get(id) {
                return Ok(Object::Reference(*new));
            }
            let new = dst.new_object_id();
            map.insert(*id, new);
            let inner = src
                .get_object(*id)
                .map_err(|e| DocsError::Render(format!("sello: {e}")))?
                .clone();
            let copied = copy_object(&inner, src, dst, map)?;
            dst.objects.insert(new, copied);
            Object::Reference(new)
        }
        Object::Dictionary(d) => Object::Dictionary(copy_dict(d, src, dst, map)?),
        Object::Array(items) => Object::Array(
            items
                .iter()
                .map(|o| copy_object(o, src, dst, map))
                .collect::<Result<Vec<_>, _>>()?,
        ),
        Object::Stream(s) => {
            let dict = copy_dict(&s.dict, src, dst, map)?;
            let mut stream = Stream::new(dict, s.content.clone());
            stream.allows_compression = false;
            Object::Stream(stream)
        }
        other => other.clone(),
    })
}

fn copy_dict(
    d: &Dictionary,
    src: &Document,
    dst: &mut Document,
    map: &mut HashMap<ObjectId, ObjectId>,
) -> Result<Dictionary, DocsError> {
    let mut out = Dictionary::new();
    for (k, v) in d.iter() {
        out.set(k.clone(), copy_object(v, src, dst, map)?);
    }
    Ok(out)
}

/// Adds the stamp's appearance to `dst` as a form XObject of `w`×`h` points; returns its id.
pub(crate) fn add_appearance(
    dst: &mut Document,
    w: f32,
    h: f32,
    lines: &[String],
) -> Result<ObjectId, DocsError> {
    let bytes = stamp_pdf(w, h, lines)?;
    let src = Document::load_mem(&bytes).map_err(|e| DocsError::Render(format!("sello: {e}")))?;
    let page_id = *src
        .get_pages()
        .values()
        .next()
        .ok_or_else(|| DocsError::Render("sello sin página".into()))?;
    let content = src.get_page_content(page_id);
    let page = src
        .get_dictionary(page_id)
        .map_err(|e| DocsError::Render(format!("sello: {e}")))?;
    let resources = page
        .get(b"Resources")
        .cloned()
        .unwrap_or(Object::Dictionary(Dictionary::new()));
    let mut map = HashMap::new();
    let resources = copy_object(&resources, &src, dst, &mut map)?;
    let mut dict = Dictionary::new();
    dict.set("Type", Object::Name(b"XObject".to_vec()));
    dict.set("Subtype", Object::Name(b"Form".to_vec()));
    dict.set(
        "BBox",
        Object::Array(vec![0.into(), 0.into(), Object::Real(w), Object::Real(h)]),
    );
    dict.set("Resources", resources);
    let mut stream = Stream::new(dict, content);
    // Compressing keeps the signed file small; failure just leaves it uncompressed.
    let _ = stream.compress();
    Ok(dst.add_object(Object::Stream(stream)))
}
