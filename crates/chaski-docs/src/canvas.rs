//! A small drawing surface over printpdf operations: points, top-left origin, one list of
//! operations per page. Templates lay out with it; `render` turns it into a PDF.

use printpdf::{
    Color, FontId, Line, LinePoint, Op, PaintMode, PdfFontHandle, Point, Pt, Rect, Rgb, TextItem,
    XObjectId, XObjectTransform,
};

use crate::text::{self, ASCENT, LINE_HEIGHT, Weight};

/// Millimetres to points.
pub(crate) fn mm(v: f32) -> f32 {
    v * 72.0 / 25.4
}

/// An RGB colour from 0–255 components.
pub(crate) const fn rgb(r: u8, g: u8, b: u8) -> [u8; 3] {
    [r, g, b]
}

fn color(c: [u8; 3]) -> Color {
    Color::Rgb(Rgb {
        r: f32::from(c[0]) / 255.0,
        g: f32::from(c[1]) / 255.0,
        b: f32::from(c[2]) / 255.0,
        icc_profile: None,
    })
}

/// Horizontal alignment inside a box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Center,
}

/// Text style of a run.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Style {
    pub weight: Weight,
    pub size: f32,
    pub color: [u8; 3],
}

impl Style {
    pub(crate) const fn regular(size: f32) -> Self {
        Self {
            weight: Weight::Regular,
            size,
            color: [0, 0, 0],
        }
    }
    pub(crate) const fn bold(size: f32) -> Self {
        Self {
            weight: Weight::Bold,
            size,
            color: [0, 0, 0],
        }
    }
    pub(crate) const fn with_color(mut self, color: [u8; 3]) -> Self {
        self.color = color;
        self
    }
    pub(crate) fn line_height(self) -> f32 {
        self.size * LINE_HEIGHT
    }
}

/// The pages being drawn.
pub(crate) struct Sheet {
    pub width: f32,
    pub height: f32,
    regular: FontId,
    bold: FontId,
    pages: Vec<Vec<Op>>,
}

impl Sheet {
    pub(crate) fn new(width: f32, height: f32, regular: FontId, bold: FontId) -> Self {
        Self {
            width,
            height,
            regular,
            bold,
            pages: vec![Vec::new()],
        }
    }

    pub(crate) fn new_page(&mut self) {
        self.pages.push(Vec::new());
    }

    pub(crate) fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// Index of the page being drawn (0-based).
    pub(crate) fn current_page(&self) -> usize {
        self.pages.len() - 1
    }

    /// Selects which page the next drawing goes to (used for headers and footers).
    pub(crate) fn ops_of(&mut self, page: usize) -> &mut Vec<Op> {
        let last = self.pages.len() - 1;
        &mut self.pages[page.min(last)]
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        self.ops_of(usize::MAX)
    }

    pub(crate) fn into_pages(self) -> Vec<Vec<Op>> {
        self.pages
    }

    fn pt(&self, x: f32, y: f32) -> Point {
        Point {
            x: Pt(x),
            y: Pt(self.height - y),
        }
    }

    /// Draws one line of sanitized text with its baseline at `baseline` (from the top).
    pub(crate) fn text_on(&mut self, page: usize, x: f32, baseline: f32, s: &str, style: Style) {
        if s.is_empty() {
            return;
        }
        let font = match style.weight {
            Weight::Regular => self.regular.clone(),
            Weight::Bold => self.bold.clone(),
        };
        let pos = self.pt(x, baseline);
        let ops = self.ops_of(page);
        ops.push(Op::StartTextSection);
        ops.push(Op::SetFillColor {
            col: color(style.color),
        });
        ops.push(Op::SetFont {
            font: PdfFontHandle::External(font),
            size: Pt(style.size),
        });
        ops.push(Op::SetTextCursor { pos });
        ops.push(Op::ShowText {
            items: vec![TextItem::Text(s.to_string())],
        });
        ops.push(Op::EndTextSection);
    }

    /// Draws wrapped lines inside a box starting at `top`, aligned horizontally; returns the
    /// height used.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn lines_on(
        &mut self,
        page: usize,
        x: f32,
        top: f32,
        width: f32,
        lines: &[String],
        style: Style,
        align: Align,
    ) -> f32 {
        let lh = style.line_height();
        for (i, line) in lines.iter().enumerate() {
            let w = text::width(line, style.weight, style.size);
            let lx = match align {
                Align::Left => x,
                Align::Center => x + (width - w) / 2.0,
            };
            let baseline = top + i as f32 * lh + style.size * ASCENT;
            self.text_on(page, lx, baseline, line, style);
        }
        lines.len() as f32 * lh
    }

    /// Sanitizes, wraps and draws a paragraph on the current page; returns its height.
    pub(crate) fn paragraph(
        &mut self,
        x: f32,
        top: f32,
        width: f32,
        s: &str,
        style: Style,
        align: Align,
    ) -> f32 {
        let clean = text::sanitize(s);
        let lines = text::wrap(&clean, style.weight, style.size, width);
        let page = self.current_page();
        self.lines_on(page, x, top, width, &lines, style, align)
    }

    pub(crate) fn line_on(&mut self, page: usize, x1: f32, y1: f32, x2: f32, y2: f32, thick: f32) {
        let (a, b) = (self.pt(x1, y1), self.pt(x2, y2));
        let ops = self.ops_of(page);
        ops.push(Op::SetOutlineColor {
            col: color([0, 0, 0]),
        });
        ops.push(Op::SetOutlineThickness { pt: Pt(thick) });
        ops.push(Op::DrawLine {
            line: Line {
                points: vec![
                    LinePoint {
                        p: a,
                        bezier: false,
                    },
                    LinePoint {
                        p: b,
                        bezier: false,
                    },
                ],
                is_closed: false,
            },
        });
    }

    pub(crate) fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, thick: f32) {
        let page = self.current_page();
        self.line_on(page, x1, y1, x2, y2, thick);
    }

    /// Outline of a rectangle given by its top-left corner.
    pub(crate) fn stroke_rect_on(
        &mut self,
        page: usize,
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        thick: f32,
    ) {
        let rect = Rect {
            x: Pt(x),
            y: Pt(self.height - y - h),
            width: Pt(w),
            height: Pt(h),
            mode: Some(PaintMode::Stroke),
            winding_order: None,
        };
        let ops = self.ops_of(page);
        ops.push(Op::SetOutlineColor {
            col: color([0, 0, 0]),
        });
        ops.push(Op::SetOutlineThickness { pt: Pt(thick) });
        ops.push(Op::DrawRectangle { rectangle: rect });
    }

    pub(crate) fn stroke_rect(&mut self, x: f32, y: f32, w: f32, h: f32, thick: f32) {
        let page = self.current_page();
        self.stroke_rect_on(page, x, y, w, h, thick);
    }

    /// Filled rectangle given by its top-left corner.
    pub(crate) fn fill_rect_on(
        &mut self,
        page: usize,
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: [u8; 3],
    ) {
        let rect = Rect {
            x: Pt(x),
            y: Pt(self.height - y - h),
            width: Pt(w),
            height: Pt(h),
            mode: Some(PaintMode::Fill),
            winding_order: None,
        };
        let ops = self.ops_of(page);
        ops.push(Op::SetFillColor { col: color(fill) });
        ops.push(Op::DrawRectangle { rectangle: rect });
    }

    pub(crate) fn fill_rect(&mut self, x: f32, y: f32, w: f32, h: f32, fill: [u8; 3]) {
        let page = self.current_page();
        self.fill_rect_on(page, x, y, w, h, fill);
    }

    /// Places an image XObject of `px_w`×`px_h` pixels so it fits the box (keeping its
    /// aspect ratio), centred horizontally and sitting on the box's bottom edge.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn image_fit(
        &mut self,
        id: XObjectId,
        px_w: usize,
        px_h: usize,
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    ) {
        if px_w == 0 || px_h == 0 {
            return;
        }
        let scale = (w / px_w as f32).min(h / px_h as f32);
        let dw = px_w as f32 * scale;
        let left = x + (w - dw) / 2.0;
        let bottom = self.height - (y + h);
        self.ops().push(Op::UseXobject {
            id,
            transform: XObjectTransform {
                translate_x: Some(Pt(left)),
                translate_y: Some(Pt(bottom)),
                rotate: None,
                scale_x: Some(scale),
                scale_y: Some(scale),
                dpi: Some(72.0),
                ..Default::default()
            },
        });
    }
}
