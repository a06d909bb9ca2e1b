//! Appending a PAdES signature to a PDF as an incremental update.
//!
//! The earlier bytes are never touched: the new revision adds the signature dictionary,
//! the widget with its stamp, and new versions of the page and the AcroForm. The
//! signature dictionary is written with a placeholder `/ByteRange` and a zero-filled
//! `/Contents`; after saving we patch the real byte range, hash everything but the
//! `/Contents` hex string and write the CMS into it. Any failure returns an error and no
//! bytes, so a half-signed file cannot exist.

use chrono::{DateTime, Utc};
use lopdf::{Dictionary, IncrementalDocument, Object, ObjectId, StringFormat};
use sha2::{Digest, Sha256};

use super::credential::SigningCredential;
use super::{SignOptions, StampPlacement, cms_sig, stamp};
use crate::canvas::mm;
use crate::error::DocsError;
use crate::layout;

/// First reservation for the CMS blob (bytes); retried larger when a long chain needs it.
const DEFAULT_RESERVED: usize = 8192;
const RANGE_PLACEHOLDER: i64 = 1_000_000_000;

fn invalid<E: std::fmt::Display>(e: E) -> DocsError {
    DocsError::PdfInvalid(e.to_string())
}

/// PDF text string: plain bytes when ASCII, else UTF-16BE with BOM.
pub(crate) fn text_string(s: &str) -> Object {
    if s.is_ascii() {
        return Object::String(s.as_bytes().to_vec(), StringFormat::Literal);
    }
    let mut bytes = vec![0xFE, 0xFF];
    for unit in s.encode_utf16() {
        bytes.extend_from_slice(&unit.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Literal)
}

/// `D:YYYYMMDDHHmmSS-05'00'` in America/Lima time.
fn pdf_date(at: DateTime<Utc>) -> String {
    let lima = at.with_timezone(&chrono_tz::America::Lima);
    let off = lima.format("%z").to_string(); // e.g. -0500
    let (sign_h, mins) = off.split_at(3);
    format!("D:{}{}'{}'", lima.format("%Y%m%d%H%M%S"), sign_h, mins)
}

/// The stamp's date line: `dd.mm.aaaa hh:mm:ss -05:00`.
pub(crate) fn stamp_date(at: DateTime<Utc>) -> String {
    at.with_timezone(&chrono_tz::America::Lima)
        .format("%d.%m.%Y %H:%M:%S %:z")
        .to_string()
}

/// Signs `pdf` with `cred`, returning the new file (the old bytes plus one revision).
pub fn sign_pdf(
    pdf: &[u8],
    cred: &SigningCredential,
    opts: &SignOptions,
) -> Result<Vec<u8>, DocsError> {
    cred.check_valid_at(opts.signed_at)?;
    let mut reserved = DEFAULT_RESERVED;
    loop {
        match sign_with_reservation(pdf, cred, opts, reserved)? {
            Ok(bytes) => return Ok(bytes),
            Err(needed) if reserved < 65536 => reserved = needed + 2048,
            Err(needed) => return Err(DocsError::SignatureTooLarge { needed }),
        }
    }
}

fn resolve_dict(doc: &lopdf::Document, obj: &Object) -> Option<Dictionary> {
    match obj {
        Object::Dictionary(d) => Some(d.clone()),
        Object::Reference(id) => doc.get_dictionary(*id).ok().cloned(),
        _ => None,
    }
}

fn count_signature_fields(doc: &lopdf::Document, acroform: Option<&Dictionary>) -> usize {
    let Some(af) = acroform else { return 0 };
    let fields = match af.get(b"Fields") {
        Ok(Object::Array(a)) => a.clone(),
        Ok(Object::Reference(id)) => doc
            .get_object(*id)
            .and_then(Object::as_array)
            .cloned()
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    fields
        .iter()
        .filter_map(|f| resolve_dict(doc, f))
        .filter(|d| matches!(d.get(b"FT"), Ok(Object::Name(n)) if n == b"Sig"))
        .count()
}

fn page_size(doc: &lopdf::Document, page_id: ObjectId) -> (f32, f32) {
    let mut current = Some(page_id);
    while let Some(id) = current {
        let Ok(dict) = doc.get_dictionary(id) else {
            break;
        };
        if let Ok(Object::Array(b)) = dict.get(b"MediaBox").map(|o| match o {
            Object::Reference(r) => doc.get_object(*r).cloned().unwrap_or(Object::Null),
            other => other.clone(),
        }) && b.len() == 4
        {
            let v: Vec<f32> = b.iter().map(|o| o.as_float().unwrap_or(0.0)).collect();
            return ((v[2] - v[0]).abs(), (v[3] - v[1]).abs());
        }
        current = dict.get(b"Parent").and_then(Object::as_reference).ok();
    }
    (mm(210.0), mm(297.0))
}

/// One attempt; `Ok(Err(needed))` when the CMS did not fit `reserved` bytes.
fn sign_with_reservation(
    pdf: &[u8],
    cred: &SigningCredential,
    opts: &SignOptions,
    reserved: usize,
) -> Result<Result<Vec<u8>, usize>, DocsError> {
    let mut inc = IncrementalDocument::load_from(pdf).map_err(invalid)?;
    let prev = inc.get_prev_documents();
    if prev.is_encrypted() || prev.trailer.get(b"Encrypt").is_ok() {
        return Err(DocsError::PdfEncrypted);
    }
    let catalog_id = prev
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(invalid)?;
    let catalog = prev.get_dictionary(catalog_id).map_err(invalid)?.clone();
    let acroform = catalog
        .get(b"AcroForm")
        .ok()
        .and_then(|o| resolve_dict(prev, o));
    let existing = count_signature_fields(prev, acroform.as_ref());
    let pages = prev.get_pages();
    let last_page = pages.len();
    if last_page == 0 {
        return Err(DocsError::PdfInvalid("el PDF no tiene páginas".into()));
    }

    // Where the stamp goes, in PDF user space.
    let (page_no, rect) = match opts.placement {
        StampPlacement::Invisible => (last_page, None),
        StampPlacement::Rect {
            page,
            x_mm,
            y_mm,
            width_mm,
            height_mm,
        } => {
            let p = page.clamp(1, last_page);
            (p, Some((mm(x_mm), mm(y_mm), mm(width_mm), mm(height_mm))))
        }
        StampPlacement::Auto => {
            let page_id = pages
                .get(&(last_page as u32))
                .copied()
                .ok_or_else(|| invalid("página"))?;
            let (pw, _) = page_size(prev, page_id);
            let m = layout::margin();
            let slot_w = (pw - 2.0 * m) / 3.0;
            let row = (existing / 3) as f32;
            let col = (existing % 3) as f32;
            let h = layout::stamp_band_height() - mm(2.0);
            let y = m + layout::footer_height() + layout::gap() + mm(1.0) + row * (h + mm(1.0));
            (
                last_page,
                Some((m + col * slot_w + mm(1.0), y, slot_w - mm(2.0), h)),
            )
        }
    };
    let page_id = pages
        .get(&(page_no as u32))
        .copied()
        .ok_or_else(|| invalid("página"))?;

    let cn = cred.common_name();
    let when = stamp_date(opts.signed_at);
    let mut sig = Dictionary::new();
    sig.set("Type", Object::Name(b"Sig".to_vec()));
    sig.set("Filter", Object::Name(b"Adobe.PPKLite".to_vec()));
    sig.set("SubFilter", Object::Name(b"ETSI.CAdES.detached".to_vec()));
    sig.set(
        "ByteRange",
        Object::Array(vec![
            0.into(),
            RANGE_PLACEHOLDER.into(),
            RANGE_PLACEHOLDER.into(),
            RANGE_PLACEHOLDER.into(),
        ]),
    );
    sig.set(
        "Contents",
        Object::String(vec![0u8; reserved], StringFormat::Hexadecimal),
    );
    sig.set(
        "M",
        Object::String(pdf_date(opts.signed_at).into_bytes(), StringFormat::Literal),
    );
    sig.set("Reason", text_string(opts.reason.text()));
    sig.set("Name", text_string(&cn));
    if let Some(loc) = &opts.location {
        sig.set("Location", text_string(loc));
    }
    let sig_id = inc.new_document.add_object(Object::Dictionary(sig));

    let mut widget = Dictionary::new();
    widget.set("Type", Object::Name(b"Annot".to_vec()));
    widget.set("Subtype", Object::Name(b"Widget".to_vec()));
    widget.set("FT", Object::Name(b"Sig".to_vec()));
    widget.set("T", text_string(&format!("Firma{}", existing + 1)));
    widget.set("V", Object::Reference(sig_id));
    widget.set("P", Object::Reference(page_id));
    widget.set("F", Object::Integer(132));
    match rect {
        Some((x, y, w, h)) => {
            let lines = vec![
                format!("Firmado digitalmente por: {cn}"),
                format!("Motivo: {}", opts.reason.text()),
                format!("Fecha: {when}"),
            ];
            let ap = stamp::add_appearance(&mut inc.new_document, w, h, &lines)?;
            widget.set(
                "Rect",
                Object::Array(vec![
                    Object::Real(x),
                    Object::Real(y),
                    Object::Real(x + w),
                    Object::Real(y + h),
                ]),
            );
            let mut ap_dict = Dictionary::new();
            ap_dict.set("N", Object::Reference(ap));
            widget.set("AP", Object::Dictionary(ap_dict));
        }
        None => {
            widget.set(
                "Rect",
                Object::Array(vec![0.into(), 0.into(), 0.into(), 0.into()]),
            );
        }
    }
    let widget_id = inc.new_document.add_object(Object::Dictionary(widget));

    // The page gets the widget in /Annots.
    inc.opt_clone_object_to_new_document(page_id)
        .map_err(invalid)?;
    let annots_ref = inc
        .new_document
        .get_dictionary(page_id)
        .ok()
        .and_then(|d| d.get(b"Annots").ok().cloned());
    match annots_ref {
        Some(Object::Reference(arr_id)) => {
            inc.opt_clone_object_to_new_document(arr_id)
                .map_err(invalid)?;
            let arr = inc.new_document.get_object_mut(arr_id).map_err(invalid)?;
            if let Object::Array(a) = arr {
                a.push(Object::Reference(widget_id));
            }
        }
        other => {
            let mut arr = match other {
                Some(Object::Array(a)) => a,
                _ => Vec::new(),
            };
            arr.push(Object::Reference(widget_id));
            let page = inc
                .new_document
                .get_dictionary_mut(page_id)
                .map_err(invalid)?;
            page.set("Annots", Object::Array(arr));
        }
    }

    // The catalog's AcroForm lists the field and says the file has signatures.
    inc.opt_clone_object_to_new_document(catalog_id)
        .map_err(invalid)?;
    let af_obj = inc
        .new_document
        .get_dictionary(catalog_id)
        .ok()
        .and_then(|d| d.get(b"AcroForm").ok().cloned());
    let update = |af: &mut Dictionary, fields_extra: Option<Vec<Object>>| {
        let mut fields = fields_extra.unwrap_or_else(|| match af.get(b"Fields") {
            Ok(Object::Array(a)) => a.clone(),
            _ => Vec::new(),
        });
        fields.push(Object::Reference(widget_id));
        af.set("Fields", Object::Array(fields));
        af.set("SigFlags", Object::Integer(3));
    };
    // Fields held in their own object are inlined into the new AcroForm version.
    let fields_of = |inc: &IncrementalDocument, af: &Dictionary| -> Option<Vec<Object>> {
        match af.get(b"Fields") {
            Ok(Object::Reference(id)) => inc
                .get_prev_documents()
                .get_object(*id)
                .and_then(Object::as_array)
                .ok()
                .cloned(),
            _ => None,
        }
    };
    match af_obj {
        Some(Object::Reference(af_id)) => {
            inc.opt_clone_object_to_new_document(af_id)
                .map_err(invalid)?;
            let current = inc
                .new_document
                .get_dictionary(af_id)
                .map_err(invalid)?
                .clone();
            let extra = fields_of(&inc, &current);
            let af = inc
                .new_document
                .get_dictionary_mut(af_id)
                .map_err(invalid)?;
            update(af, extra);
        }
        Some(Object::Dictionary(mut af)) => {
            let extra = fields_of(&inc, &af);
            update(&mut af, extra);
            let cat = inc
                .new_document
                .get_dictionary_mut(catalog_id)
                .map_err(invalid)?;
            cat.set("AcroForm", Object::Dictionary(af));
        }
        _ => {
            let mut af = Dictionary::new();
            update(&mut af, None);
            let cat = inc
                .new_document
                .get_dictionary_mut(catalog_id)
                .map_err(invalid)?;
            cat.set("AcroForm", Object::Dictionary(af));
        }
    }

    let mut out = Vec::with_capacity(pdf.len() + 2 * reserved + 32 * 1024);
    inc.save_to(&mut out).map_err(invalid)?;
    if !out.starts_with(pdf) {
        return Err(DocsError::Crypto(
            "la actualización incremental alteró bytes previos".into(),
        ));
    }
    let base = pdf.len();
    let placeholder = format!("<{}>", "0".repeat(2 * reserved));
    let contents_at = find(&out[base..], placeholder.as_bytes())
        .map(|p| p + base)
        .ok_or_else(|| DocsError::Crypto("no se encontró el espacio de la firma".into()))?;
    let contents_end = contents_at + placeholder.len();
    let marker = format!("{RANGE_PLACEHOLDER} {RANGE_PLACEHOLDER} {RANGE_PLACEHOLDER}");
    let range_mid = find(&out[base..], marker.as_bytes())
        .map(|p| p + base)
        .ok_or_else(|| DocsError::Crypto("no se encontró /ByteRange".into()))?;
    let open = out[..range_mid]
        .iter()
        .rposition(|b| *b == b'[')
        .ok_or_else(|| DocsError::Crypto("/ByteRange".into()))?;
    let close = range_mid
        + out[range_mid..]
            .iter()
            .position(|b| *b == b']')
            .ok_or_else(|| DocsError::Crypto("/ByteRange".into()))?;
    let total = out.len();
    let actual = format!(
        "[0 {} {} {}",
        contents_at,
        contents_end,
        total - contents_end
    );
    let slot = close - open;
    if actual.len() > slot {
        return Err(DocsError::Crypto("/ByteRange no entra".into()));
    }
    let padded = format!("{actual:<slot$}");
    out[open..close].copy_from_slice(padded.as_bytes());

    let digest = Sha256::new()
        .chain_update(&out[..contents_at])
        .chain_update(&out[contents_end..])
        .finalize();
    let cms = cms_sig::build(cred, &digest)?;
    if cms.len() > reserved {
        return Ok(Err(cms.len()));
    }
    let hex = hex::encode_upper(&cms);
    out[contents_at + 1..contents_at + 1 + hex.len()].copy_from_slice(hex.as_bytes());
    Ok(Ok(out))
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}
