//! Tables whose rows grow with their wrapped text, breaking across pages with the header
//! row repeated. A single row taller than a whole page is cut at the page's height and
//! marked "[…]" (documented limit: a cell holds about a page of text).

use crate::canvas::{Align, Sheet, Style};
use crate::text::{self, Weight};

/// One column: title, width in points, alignment of its cells.
pub(crate) struct Column<'a> {
    pub title: &'a str,
    pub width: f32,
    pub align: Align,
}

/// One row: cell texts (unsanitized) and optional background colour per cell.
pub(crate) struct Row {
    pub cells: Vec<String>,
    pub fills: Vec<Option<[u8; 3]>>,
}

impl Row {
    pub(crate) fn plain(cells: Vec<String>) -> Self {
        let n = cells.len();
        Self {
            cells,
            fills: vec![None; n],
        }
    }
}

/// Where the body of every page may be drawn (points from the top).
#[derive(Clone, Copy)]
pub(crate) struct BodyFrame {
    pub top: f32,
    pub bottom: f32,
}

pub(crate) struct TableStyle {
    pub header: Style,
    pub cell: Style,
    pub header_fill: [u8; 3],
    pub pad: f32,
    pub line: f32,
}

const TRUNCATED: &str = "[…]";

fn wrap_cell(s: &str, style: Style, width: f32) -> Vec<String> {
    let clean = text::sanitize(s);
    text::wrap(&clean, style.weight, style.size, width.max(1.0))
}

fn draw_header(
    sheet: &mut Sheet,
    x: f32,
    y: f32,
    cols: &[Column<'_>],
    st: &TableStyle,
    heads: &[Vec<String>],
    h: f32,
) {
    let page = sheet.current_page();
    let total: f32 = cols.iter().map(|c| c.width).sum();
    sheet.fill_rect(x, y, total, h, st.header_fill);
    let mut cx = x;
    for (col, lines) in cols.iter().zip(heads) {
        let text_h = lines.len() as f32 * st.header.line_height();
        let top = y + (h - text_h) / 2.0;
        sheet.lines_on(
            page,
            cx + st.pad,
            top,
            col.width - 2.0 * st.pad,
            lines,
            st.header,
            Align::Center,
        );
        sheet.stroke_rect(cx, y, col.width, h, st.line);
        cx += col.width;
    }
}

/// Draws the table starting at `*y`, adding pages as needed; leaves `*y` under the table.
pub(crate) fn draw_table(
    sheet: &mut Sheet,
    frame: BodyFrame,
    x: f32,
    y: &mut f32,
    cols: &[Column<'_>],
    rows: &[Row],
    st: &TableStyle,
) {
    let heads: Vec<Vec<String>> = cols
        .iter()
        .map(|c| wrap_cell(c.title, st.header, c.width - 2.0 * st.pad))
        .collect();
    let head_h = heads.iter().map(Vec::len).max().unwrap_or(1) as f32 * st.header.line_height()
        + 2.0 * st.pad;
    let lh = st.cell.line_height();
    // At least the header and one line of a row must fit before we start here.
    if *y + head_h + lh + 2.0 * st.pad > frame.bottom {
        sheet.new_page();
        *y = frame.top;
    }
    draw_header(sheet, x, *y, cols, st, &heads, head_h);
    *y += head_h;
    let max_lines =
        (((frame.bottom - frame.top - head_h - 2.0 * st.pad) / lh).floor() as usize).max(1);
    for row in rows {
        let mut cells: Vec<Vec<String>> = cols
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let s = row.cells.get(i).map(String::as_str).unwrap_or("");
                wrap_cell(s, st.cell, c.width - 2.0 * st.pad)
            })
            .collect();
        for (cell, col) in cells.iter_mut().zip(cols) {
            if cell.len() > max_lines {
                cell.truncate(max_lines);
                if let Some(last) = cell.last_mut() {
                    let room = col.width
                        - 2.0 * st.pad
                        - text::width(TRUNCATED, Weight::Regular, st.cell.size);
                    *last = format!(
                        "{}{TRUNCATED}",
                        text::ellipsize(last, st.cell.weight, st.cell.size, room)
                            .trim_end_matches('…')
                    );
                }
            }
        }
        let lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let row_h = lines as f32 * lh + 2.0 * st.pad;
        if *y + row_h > frame.bottom {
            sheet.new_page();
            *y = frame.top;
            draw_header(sheet, x, *y, cols, st, &heads, head_h);
            *y += head_h;
        }
        let page = sheet.current_page();
        let mut cx = x;
        for (i, (col, lines)) in cols.iter().zip(&cells).enumerate() {
            if let Some(Some(fill)) = row.fills.get(i) {
                sheet.fill_rect(cx, *y, col.width, row_h, *fill);
            }
            sheet.lines_on(
                page,
                cx + st.pad,
                *y + st.pad,
                col.width - 2.0 * st.pad,
                lines,
                st.cell,
                col.align,
            );
            sheet.stroke_rect(cx, *y, col.width, row_h, st.line);
            cx += col.width;
        }
        *y += row_h;
    }
}
