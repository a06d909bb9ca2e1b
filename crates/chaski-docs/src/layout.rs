//! Page geometry and the pieces every form shares: the institutional header band, the
//! footer with the content hash and QR code, data fields, signature boxes.

use printpdf::XObjectId;
use qrcode::{EcLevel, QrCode};

use crate::canvas::{Align, Sheet, Style, mm, rgb};
use crate::error::DocsError;
use crate::model::{DocumentMeta, FormHeader, HandSignature, PersonRef, SignerRole};
use crate::text::{self, Weight};

/// Page margin on every side.
pub(crate) fn margin() -> f32 {
    mm(10.0)
}
/// Height of the footer strip (hash, page number, QR code).
pub(crate) fn footer_height() -> f32 {
    mm(19.0)
}
/// Height kept free at the bottom of the last page for the visible digital-signature
/// stamps (see `pades::StampPlacement::Auto`).
pub(crate) fn stamp_band_height() -> f32 {
    mm(24.0)
}
/// Gap between the body and the footer.
pub(crate) fn gap() -> f32 {
    mm(2.0)
}

const HEADER_ROW1: f32 = 34.0;
const HEADER_ROW2: f32 = 26.0;
const PERU_RED: [u8; 3] = rgb(200, 16, 46);
const GREY_TEXT: [u8; 3] = rgb(90, 90, 90);

/// A handwritten signature image already added to the PDF.
pub(crate) struct PlacedHand<'a> {
    pub id: XObjectId,
    pub px_w: usize,
    pub px_h: usize,
    pub sig: &'a HandSignature,
}

/// Everything a template needs while drawing.
pub(crate) struct Ctx<'a> {
    pub sheet: Sheet,
    pub hands: Vec<PlacedHand<'a>>,
}

impl Ctx<'_> {
    pub(crate) fn content_left(&self) -> f32 {
        margin()
    }
    pub(crate) fn content_width(&self) -> f32 {
        self.sheet.width - 2.0 * margin()
    }
    /// Where the body starts (under the header band).
    pub(crate) fn body_top(&self) -> f32 {
        margin() + HEADER_ROW1 + HEADER_ROW2 + mm(4.0)
    }
    /// Lowest point the body may reach on any page.
    pub(crate) fn body_bottom(&self) -> f32 {
        self.sheet.height - margin() - footer_height() - gap()
    }
    /// Lowest point closing blocks may reach on the last page (above the stamp band).
    pub(crate) fn closing_bottom(&self) -> f32 {
        self.body_bottom() - stamp_band_height()
    }
    /// Starts a new page when `needed` points do not fit between `y` and `limit`.
    pub(crate) fn ensure(&mut self, y: &mut f32, needed: f32, limit: f32) {
        if *y + needed > limit {
            self.sheet.new_page();
            *y = self.body_top();
        }
    }
    pub(crate) fn hand(&self, role: SignerRole) -> Option<&PlacedHand<'_>> {
        self.hands.iter().find(|h| h.sig.role == role)
    }
}

/// Draws `s` inside the box, wrapping and shrinking the font (down to 5 pt) until it fits;
/// what still does not fit is cut with "…". Text is centred vertically.
#[allow(clippy::too_many_arguments)]
pub(crate) fn fit_text(
    sheet: &mut Sheet,
    page: usize,
    x: f32,
    y: f32,
    w: f32,
    h: f32,
    s: &str,
    style: Style,
    align: Align,
) {
    let clean = text::sanitize(s);
    let mut st = style;
    let mut lines = text::wrap(&clean, st.weight, st.size, w);
    while lines.len() as f32 * st.line_height() > h && st.size > 5.0 {
        st.size = (st.size - 0.5).max(5.0);
        lines = text::wrap(&clean, st.weight, st.size, w);
    }
    let max_lines = ((h / st.line_height()).floor() as usize).max(1);
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            let longer = format!("{last}…");
            *last = text::ellipsize(&longer, st.weight, st.size, w);
        }
    }
    let used = lines.len() as f32 * st.line_height();
    let top = y + ((h - used) / 2.0).max(0.0);
    sheet.lines_on(page, x, top, w, &lines, st, align);
}

/// The institutional header band of every page, as in the seed forms.
pub(crate) fn header_band(
    ctx: &mut Ctx<'_>,
    page: usize,
    pages: usize,
    header: &FormHeader,
    title: &str,
) {
    let x0 = margin();
    let y0 = margin();
    let w = ctx.content_width();
    let code_w = (w * 0.24).clamp(120.0, 170.0);
    let peru_w = 44.0;
    let sheet = &mut ctx.sheet;
    // Row 1: PERÚ | entity lines | form code.
    sheet.fill_rect_on(page, x0, y0, peru_w, HEADER_ROW1, PERU_RED);
    fit_text(
        sheet,
        page,
        x0,
        y0,
        peru_w,
        HEADER_ROW1,
        "PERÚ",
        Style::bold(10.0).with_color([255, 255, 255]),
        Align::Center,
    );
    let lines: Vec<&String> = header.entity_lines.iter().take(3).collect();
    let n = lines.len().max(1);
    let cell_w = (w - peru_w - code_w) / n as f32;
    let shades = [rgb(35, 35, 35), rgb(85, 85, 85), rgb(130, 130, 130)];
    for (i, line) in lines.iter().enumerate() {
        let cx = x0 + peru_w + i as f32 * cell_w;
        sheet.fill_rect_on(page, cx, y0, cell_w, HEADER_ROW1, shades[i.min(2)]);
        fit_text(
            sheet,
            page,
            cx + 4.0,
            y0 + 2.0,
            cell_w - 8.0,
            HEADER_ROW1 - 4.0,
            line,
            Style::bold(7.5).with_color([255, 255, 255]),
            Align::Left,
        );
    }
    let code_x = x0 + w - code_w;
    sheet.stroke_rect_on(page, code_x, y0, code_w, HEADER_ROW1, 0.6);
    // The form code reads best on one line: shrink it to fit (down to 6 pt) before wrapping.
    let code = text::sanitize(&header.form_code);
    let mut code_style = Style::bold(8.0);
    while text::width(&code, Weight::Bold, code_style.size) > code_w - 6.0 && code_style.size > 6.0
    {
        code_style.size -= 0.25;
    }
    fit_text(
        sheet,
        page,
        code_x + 3.0,
        y0 + 2.0,
        code_w - 6.0,
        HEADER_ROW1 - 4.0,
        &code,
        code_style,
        Align::Center,
    );
    // Row 2: Versión | title | Pág.
    let y1 = y0 + HEADER_ROW1;
    let ver_w = peru_w + 36.0;
    sheet.stroke_rect_on(page, x0, y1, ver_w, HEADER_ROW2, 0.6);
    fit_text(
        sheet,
        page,
        x0 + 3.0,
        y1,
        ver_w - 6.0,
        HEADER_ROW2,
        &format!("Versión N° {}", header.version),
        Style::regular(8.0),
        Align::Center,
    );
    let title_w = w - ver_w - code_w;
    sheet.stroke_rect_on(page, x0 + ver_w, y1, title_w, HEADER_ROW2, 0.6);
    fit_text(
        sheet,
        page,
        x0 + ver_w + 4.0,
        y1 + 1.0,
        title_w - 8.0,
        HEADER_ROW2 - 2.0,
        title,
        Style::bold(10.5),
        Align::Center,
    );
    sheet.stroke_rect_on(page, code_x, y1, code_w, HEADER_ROW2, 0.6);
    fit_text(
        sheet,
        page,
        code_x + 3.0,
        y1,
        code_w - 6.0,
        HEADER_ROW2,
        &format!("Pág. N° {} de {}", page + 1, pages),
        Style::regular(8.0),
        Align::Center,
    );
}

/// Text encoded in the QR code: `CHASKI1:<DOCUMENT ID>:<SHA-256 HEX>`, upper case so the
/// QR uses its compact alphanumeric mode.
pub fn qr_payload(document_id: &str, content_sha256: &str) -> String {
    format!(
        "CHASKI1:{}:{}",
        document_id.to_uppercase(),
        content_sha256.to_uppercase()
    )
}

/// Footer of every page: document number, "Página N de M", short hash, id, QR code.
pub(crate) fn footer(
    ctx: &mut Ctx<'_>,
    page: usize,
    pages: usize,
    meta: &DocumentMeta,
    sha: &str,
    qr: &QrCode,
) {
    let sheet = &mut ctx.sheet;
    let x0 = margin();
    let w = sheet.width - 2.0 * margin();
    let top = sheet.height - margin() - footer_height();
    sheet.line_on(page, x0, top, x0 + w, top, 0.5);
    let qr_size = mm(16.0);
    let qr_x = x0 + w - qr_size;
    let qr_y = top + mm(2.0);
    draw_qr(sheet, page, qr, qr_x, qr_y, qr_size);
    let text_w = w - qr_size - mm(4.0);
    let short = sha.get(..16).unwrap_or(sha);
    let lines = [
        (
            if meta.number.trim().is_empty() {
                format!("Documento sin número  —  Página {} de {}", page + 1, pages)
            } else {
                format!(
                    "Documento N° {}  —  Página {} de {}",
                    meta.number,
                    page + 1,
                    pages
                )
            },
            Style::bold(8.0),
        ),
        (
            format!("Huella SHA-256 de los datos: {short}… (completa en el código QR)"),
            Style::regular(7.0),
        ),
        (
            format!("ID del documento: {}", meta.document_id),
            Style::regular(6.5).with_color(GREY_TEXT),
        ),
        (
            format!(
                "Emitido el {} (hora de Lima). Verifique la huella con Chaski.",
                meta.issued_at
                    .with_timezone(&chrono_tz::America::Lima)
                    .format("%d/%m/%Y %H:%M")
            ),
            Style::regular(6.5).with_color(GREY_TEXT),
        ),
    ];
    let mut y = top + mm(2.5);
    for (s, st) in lines {
        let clean = text::sanitize(&s);
        let line = text::ellipsize(&clean, st.weight, st.size, text_w);
        sheet.text_on(page, x0, y + st.size * text::ASCENT, &line, st);
        y += st.line_height() + 1.0;
    }
}

fn draw_qr(sheet: &mut Sheet, page: usize, qr: &QrCode, x: f32, y: f32, size: f32) {
    let n = qr.width();
    let colors = qr.to_colors();
    let quiet = 1.0;
    let module = size / (n as f32 + 2.0 * quiet);
    for row in 0..n {
        let mut col = 0;
        while col < n {
            if colors[row * n + col] == qrcode::Color::Dark {
                let start = col;
                while col < n && colors[row * n + col] == qrcode::Color::Dark {
                    col += 1;
                }
                let rx = x + (quiet + start as f32) * module;
                let ry = y + (quiet + row as f32) * module;
                // A hair of overlap avoids white seams between modules in some viewers.
                sheet.fill_rect_on(
                    page,
                    rx,
                    ry,
                    (col - start) as f32 * module + 0.05,
                    module + 0.05,
                    [0, 0, 0],
                );
            } else {
                col += 1;
            }
        }
    }
}

/// Builds the QR code of a document.
pub(crate) fn qr_code(meta: &DocumentMeta, sha: &str) -> Result<QrCode, DocsError> {
    QrCode::with_error_correction_level(qr_payload(&meta.document_id, sha), EcLevel::M)
        .map_err(|e| DocsError::Render(format!("código QR: {e}")))
}

/// A "label: value" line; the value wraps. Returns the height used.
pub(crate) fn field(ctx: &mut Ctx<'_>, x: f32, y: f32, w: f32, label: &str, value: &str) -> f32 {
    let label_style = Style::bold(9.0);
    let value_style = Style::regular(9.0);
    let label_w = text::width(label, Weight::Bold, 9.0) + 4.0;
    let clean = text::sanitize(value);
    let lines = text::wrap(&clean, Weight::Regular, 9.0, (w - label_w).max(20.0));
    let page = ctx.sheet.current_page();
    ctx.sheet
        .text_on(page, x, y + 9.0 * text::ASCENT, label, label_style);
    let h = ctx.sheet.lines_on(
        page,
        x + label_w,
        y,
        w - label_w,
        &lines,
        value_style,
        Align::Left,
    );
    // Dotted-form look: a thin rule under the value.
    ctx.sheet
        .line(x + label_w, y + h + 1.0, x + w, y + h + 1.0, 0.3);
    h + 5.0
}

/// Height of a signature box drawn by [`signature_box`].
pub(crate) fn signature_box_height() -> f32 {
    mm(17.0) + 4.0 * Style::regular(8.0).line_height() + 6.0
}

/// A signature box: space for the handwritten signature, the line, the label under it,
/// then the signer's name, DNI and date.
#[allow(clippy::too_many_arguments)]
pub(crate) fn signature_box(
    ctx: &mut Ctx<'_>,
    x: f32,
    y: f32,
    w: f32,
    label: &str,
    person: Option<&PersonRef>,
    role: SignerRole,
) {
    let img_h = mm(17.0);
    let line_y = y + img_h;
    if let Some(hand) = ctx.hand(role) {
        let (id, pw, ph) = (hand.id.clone(), hand.px_w, hand.px_h);
        ctx.sheet
            .image_fit(id, pw, ph, x + 10.0, y + 1.0, w - 20.0, img_h - 2.0);
    }
    let hand = ctx.hand(role).map(|h| h.sig);
    let name = hand
        .map(|h| h.name.clone())
        .or_else(|| person.map(|p| p.name.clone()))
        .unwrap_or_default();
    let dni = hand
        .map(|h| h.dni.clone())
        .or_else(|| person.map(|p| p.dni.clone()))
        .unwrap_or_default();
    let date = hand.map(|h| h.signed_on.format("%d/%m/%Y").to_string());
    ctx.sheet.line(x + 10.0, line_y, x + w - 10.0, line_y, 0.7);
    let page = ctx.sheet.current_page();
    let lh = Style::regular(8.0).line_height();
    let mut ty = line_y + 2.0;
    fit_text(
        &mut ctx.sheet,
        page,
        x,
        ty,
        w,
        lh,
        label,
        Style::bold(8.5),
        Align::Center,
    );
    ty += lh + 1.0;
    fit_text(
        &mut ctx.sheet,
        page,
        x,
        ty,
        w,
        lh,
        &format!(
            "Nombre: {}",
            if name.is_empty() {
                "______________________"
            } else {
                &name
            }
        ),
        Style::regular(8.0),
        Align::Center,
    );
    ty += lh;
    fit_text(
        &mut ctx.sheet,
        page,
        x,
        ty,
        w,
        lh,
        &format!(
            "DNI: {}",
            if dni.is_empty() { "____________" } else { &dni }
        ),
        Style::regular(8.0),
        Align::Center,
    );
    ty += lh;
    let date = date.unwrap_or_else(|| "____/____/________".to_string());
    fit_text(
        &mut ctx.sheet,
        page,
        x,
        ty,
        w,
        lh,
        &format!("Fecha: {date}"),
        Style::regular(8.0),
        Align::Center,
    );
}
