//! Turns a [`Document`] into PDF bytes: lays out the body, then draws the header band and
//! the footer on every page once the page count is known.

use std::sync::OnceLock;

use chrono::{Datelike, Timelike};
use printpdf::{Mm, ParsedFont, PdfDocument, PdfPage, PdfSaveOptions, RawImage};

use crate::canonical::content_sha256;
use crate::canvas::{Sheet, mm};
use crate::error::DocsError;
use crate::layout::{Ctx, PlacedHand, footer, header_band, qr_code};
use crate::model::{Document, HandSignature};
use crate::templates::{assignment, decommission, diagnostic, register, transfer};
use crate::text::{BOLD_TTF, REGULAR_TTF};

/// A rendered, unsigned document.
#[derive(Debug, Clone)]
pub struct RenderedDocument {
    /// The PDF bytes.
    pub pdf: Vec<u8>,
    /// SHA-256 (hex) of the canonical JSON of the input data, as printed in the footer.
    pub content_sha256: String,
    /// Number of pages.
    pub page_count: usize,
}

pub(crate) fn fonts_for_stamp() -> Result<&'static (ParsedFont, ParsedFont), DocsError> {
    static FONTS: OnceLock<Option<(ParsedFont, ParsedFont)>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut warnings = Vec::new();
            let regular = ParsedFont::from_bytes(REGULAR_TTF, 0, &mut warnings)?;
            let bold = ParsedFont::from_bytes(BOLD_TTF, 0, &mut warnings)?;
            Some((regular, bold))
        })
        .as_ref()
        .ok_or_else(|| DocsError::Render("no se pudo leer la fuente Liberation Sans".into()))
}

fn pdf_date(dt: &chrono::DateTime<chrono::FixedOffset>) -> printpdf::OffsetDateTime {
    use printpdf::date::{Date, Offset, Time};
    let secs = dt.offset().local_minus_utc();
    printpdf::OffsetDateTime::new_in_offset(
        Date {
            year: dt.year(),
            month: dt.month() as u8,
            day: dt.day() as u8,
        },
        Time {
            hour: dt.hour() as u8,
            minute: dt.minute() as u8,
            second: dt.second() as u8,
            millisecond: 0,
        },
        Offset {
            hours: (secs / 3600) as i8,
            minutes: ((secs.abs() % 3600) / 60) as i8,
            seconds: 0,
            milliseconds: 0,
        },
    )
}

/// Decodes a handwritten signature PNG into grey + alpha. The ink colour is not kept
/// (printed forms are black and white); half the bytes of RGBA make the PDF smaller and
/// faster to write.
fn ink_image(png_bytes: &[u8]) -> Result<RawImage, String> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().map_err(|e| e.to_string())?;
    let size = reader
        .output_buffer_size()
        .ok_or("imagen demasiado grande")?;
    if size > 64 * 1024 * 1024 {
        return Err("imagen demasiado grande".into());
    }
    let mut buf = vec![0u8; size];
    let info = reader.next_frame(&mut buf).map_err(|e| e.to_string())?;
    let (w, h) = (info.width as usize, info.height as usize);
    let grey = |r: u8, g: u8, b: u8| {
        ((u32::from(r) * 299 + u32::from(g) * 587 + u32::from(b) * 114) / 1000) as u8
    };
    let data = buf
        .get(..info.buffer_size())
        .ok_or("datos de imagen incompletos")?;
    let mut out = Vec::with_capacity(w * h * 2);
    match info.color_type {
        png::ColorType::Rgba => data
            .chunks_exact(4)
            .for_each(|p| out.extend_from_slice(&[grey(p[0], p[1], p[2]), p[3]])),
        png::ColorType::Rgb => data
            .chunks_exact(3)
            .for_each(|p| out.extend_from_slice(&[grey(p[0], p[1], p[2]), 255])),
        png::ColorType::GrayscaleAlpha => out.extend_from_slice(data),
        png::ColorType::Grayscale => data.iter().for_each(|g| out.extend_from_slice(&[*g, 255])),
        png::ColorType::Indexed => return Err("PNG con paleta sin expandir".into()),
    }
    if out.len() != w * h * 2 {
        return Err("tamaño de imagen inconsistente".into());
    }
    Ok(RawImage {
        pixels: printpdf::RawImageData::U8(out),
        width: w,
        height: h,
        data_format: printpdf::RawImageFormat::RG8,
        tag: Vec::new(),
    })
}

/// Renders `doc` with the given handwritten signatures (at most one per role is used).
///
/// Never panics on bad input: over-long text wraps or shrinks, characters outside the font
/// print as "□", many rows flow onto more pages with the table header repeated.
pub fn render(
    doc: &Document,
    hand_signatures: &[HandSignature],
) -> Result<RenderedDocument, DocsError> {
    let sha = content_sha256(doc)?;
    let meta = doc.meta();
    let qr = qr_code(meta, &sha)?;
    let (regular, bold) = fonts_for_stamp()?;

    let title = match doc {
        Document::AttentionRegister(_) => register::TITLE.to_string(),
        Document::Assignment(a) => assignment::title(a),
        Document::Transfer(t) => transfer::title(t),
        Document::DecommissionReport(r) => decommission::title(r),
        Document::DiagnosticSheet(d) => diagnostic::title(d),
    };
    let mut pdf = PdfDocument::new(&title);
    let regular_id = pdf.add_font(regular);
    let bold_id = pdf.add_font(bold);

    let mut hands = Vec::new();
    for sig in hand_signatures {
        if hands
            .iter()
            .any(|h: &PlacedHand<'_>| h.sig.role == sig.role)
        {
            continue;
        }
        let image = ink_image(&sig.png).map_err(|detail| DocsError::HandSignatureImage {
            role: sig.role.label(),
            detail,
        })?;
        let (px_w, px_h) = (image.width, image.height);
        let id = pdf.add_image(&image);
        hands.push(PlacedHand {
            id,
            px_w,
            px_h,
            sig,
        });
    }

    let (w_mm, h_mm) = match doc {
        Document::AttentionRegister(_) => (297.0, 210.0),
        _ => (210.0, 297.0),
    };
    let sheet = Sheet::new(mm(w_mm), mm(h_mm), regular_id, bold_id);
    let mut ctx = Ctx { sheet, hands };
    let header = match doc {
        Document::AttentionRegister(r) => {
            register::layout(&mut ctx, r);
            &r.header
        }
        Document::Assignment(a) => {
            assignment::layout(&mut ctx, a);
            &a.header
        }
        Document::Transfer(t) => {
            transfer::layout(&mut ctx, t);
            &t.header
        }
        Document::DecommissionReport(r) => {
            decommission::layout(&mut ctx, r);
            &r.header
        }
        Document::DiagnosticSheet(d) => {
            diagnostic::layout(&mut ctx, d);
            &d.header
        }
    };
    let pages = ctx.sheet.page_count();
    for page in 0..pages {
        header_band(&mut ctx, page, pages, header, &title);
        footer(&mut ctx, page, pages, meta, &sha, &qr);
    }
    let pdf_pages: Vec<PdfPage> = ctx
        .sheet
        .into_pages()
        .into_iter()
        .map(|ops| PdfPage::new(Mm(w_mm), Mm(h_mm), ops))
        .collect();

    let date = pdf_date(&meta.issued_at);
    let info = &mut pdf.metadata.info;
    info.creation_date = date;
    info.modification_date = date;
    info.metadata_date = date;
    info.author = "Chaski".into();
    info.creator = "Chaski".into();
    info.producer = "chaski-docs (printpdf)".into();
    info.subject = format!("Documento N° {} — SHA-256 {}", meta.number, sha);
    info.identifier = meta.document_id.clone();
    // Signature images are compressed losslessly (Flate); raw RGB would add ~130 KB each.
    let images = printpdf::ImageOptimizationOptions {
        format: Some(printpdf::ImageCompression::Flate),
        auto_optimize: Some(false),
        ..Default::default()
    };
    let opts = PdfSaveOptions {
        optimize: true,
        subset_fonts: true,
        secure: true,
        image_optimization: Some(images),
    };
    let mut warnings = Vec::new();
    let bytes = pdf.with_pages(pdf_pages).save(&opts, &mut warnings);
    if bytes.is_empty() {
        return Err(DocsError::Render(
            "printpdf devolvió un archivo vacío".into(),
        ));
    }
    Ok(RenderedDocument {
        pdf: bytes,
        content_sha256: sha,
        page_count: pages,
    })
}
