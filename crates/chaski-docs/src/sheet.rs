//! Excel workbooks (`.xlsx`, written with rust_xlsxwriter): the Anexo 01 register and any
//! list screen as a [`Sheet`] of typed cells.
//!
//! Every sheet has a title line, a bold header row with filters on, the panes frozen below
//! the header, dates as real Excel dates (`dd/mm/aaaa`), numbers as numbers, and text as text:
//! a text that starts with `=`, `+`, `-` or `@` is written as a string cell with Excel's
//! quote prefix, so it is shown and kept as text and never evaluated (no formula injection).
//! Workbooks are written in rust_xlsxwriter's constant-memory mode (rows go to a temporary file
//! as they are written), so a year of the register does not grow the memory with its rows.
//! A period with no rows gives a sheet that says so, not an error. Bytes out: writing the file
//! (atomically, with a clear message when the folder cannot be written) is the caller's.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use rust_xlsxwriter::{ExcelDateTime, Format, FormatBorder, Workbook, Worksheet, XlsxError};

use crate::error::DocsError;
use crate::model::{AttentionRegister, AttentionRow};

/// One typed cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text (always a string cell, never a formula).
    Text(String),
    /// A number.
    Number(f64),
    /// A date (Lima day), shown `dd/mm/aaaa`.
    Date(NaiveDate),
    /// A date and time (Lima), shown `dd/mm/aaaa hh:mm`.
    DateTime(NaiveDateTime),
    /// Nothing.
    Empty,
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<Option<String>> for Cell {
    fn from(s: Option<String>) -> Self {
        s.map_or(Cell::Empty, Cell::Text)
    }
}

/// One column: its header and its width in characters.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Header text (Spanish, as on the form or the screen).
    pub header: String,
    /// Width in characters.
    pub width: f64,
}

impl Column {
    /// A column.
    pub fn new(header: &str, width: f64) -> Self {
        Column {
            header: header.to_string(),
            width,
        }
    }
}

/// One worksheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// Tab name (at most 31 characters, no `[]:*?/\`).
    pub name: String,
    /// First line, e.g. "Registro de atenciones — UT Cusco — del 01/03/2026 al 31/03/2026".
    pub title: String,
    /// The columns.
    pub columns: Vec<Column>,
    /// The rows, each with one cell per column.
    pub rows: Vec<Vec<Cell>>,
    /// Lines after the rows (the form's legend).
    pub notes: Vec<String>,
    /// What to say instead of rows when there are none.
    pub empty_message: String,
}

/// Row of the header (0-based): title on row 0, a blank row, then the header.
pub const HEADER_ROW: u32 = 2;

/// Whether a spreadsheet would read `s` as a formula.
pub fn looks_like_formula(s: &str) -> bool {
    s.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

fn xe(e: XlsxError) -> DocsError {
    DocsError::Render(format!("hoja de cálculo: {e}"))
}

fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, DocsError> {
    ExcelDateTime::from_ymd(
        u16::try_from(d.year())
            .map_err(|_| DocsError::Render(format!("año fuera de rango: {d}")))?,
        d.month() as u8,
        d.day() as u8,
    )
    .map_err(xe)
}

fn excel_date_time(t: NaiveDateTime) -> Result<ExcelDateTime, DocsError> {
    excel_date(t.date())?
        .and_hms(t.hour() as u16, t.minute() as u8, t.second())
        .map_err(xe)
}

struct Formats {
    title: Format,
    header: Format,
    text: Format,
    quoted: Format,
    date: Format,
    date_time: Format,
    number: Format,
    note: Format,
}

impl Formats {
    fn new() -> Self {
        let cell = Format::new()
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_align(rust_xlsxwriter::FormatAlign::Top);
        Formats {
            title: Format::new().set_bold().set_font_size(13),
            header: Format::new()
                .set_bold()
                .set_border(FormatBorder::Thin)
                .set_background_color("#FFD966")
                .set_text_wrap()
                .set_align(rust_xlsxwriter::FormatAlign::Center)
                .set_align(rust_xlsxwriter::FormatAlign::VerticalCenter),
            text: cell.clone(),
            quoted: cell.clone().set_quote_prefix(),
            date: cell.clone().set_num_format("dd/mm/yyyy"),
            date_time: cell.clone().set_num_format("dd/mm/yyyy hh:mm"),
            number: cell.set_num_format("#,##0.##"),
            note: Format::new().set_italic(),
        }
    }
}

/// The parts of a sheet other than its rows.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetSpec {
    /// Tab name (at most 31 characters, no `[]:*?/\\`).
    pub name: String,
    /// First line.
    pub title: String,
    /// The columns.
    pub columns: Vec<Column>,
    /// Lines after the rows.
    pub notes: Vec<String>,
    /// What to say instead of rows when there are none.
    pub empty_message: String,
}

impl Sheet {
    /// The sheet without its rows.
    pub fn spec(&self) -> SheetSpec {
        SheetSpec {
            name: self.name.clone(),
            title: self.title.clone(),
            columns: self.columns.clone(),
            notes: self.notes.clone(),
            empty_message: self.empty_message.clone(),
        }
    }
}

/// A workbook being written, sheet by sheet and row by row (constant memory).
pub struct XlsxBook {
    wb: Workbook,
    f: Formats,
}

/// The rows of one sheet being written.
pub struct SheetRows<'a> {
    ws: &'a mut Worksheet,
    f: &'a Formats,
    spec: SheetSpec,
    ncols: u16,
    row: u32,
}

impl Default for XlsxBook {
    fn default() -> Self {
        Self::new()
    }
}

impl XlsxBook {
    /// An empty workbook.
    pub fn new() -> Self {
        XlsxBook {
            wb: Workbook::new(),
            f: Formats::new(),
        }
    }

    /// Starts a sheet: widths, title and header row.
    pub fn begin_sheet(&mut self, spec: &SheetSpec) -> Result<SheetRows<'_>, DocsError> {
        let ws = self.wb.add_worksheet_with_constant_memory().map_err(xe)?;
        let f = &self.f;
        ws.set_name(&spec.name).map_err(xe)?;
        let ncols = u16::try_from(spec.columns.len().max(1))
            .map_err(|_| DocsError::Render("demasiadas columnas".into()))?;
        for (i, c) in spec.columns.iter().enumerate() {
            ws.set_column_width(i as u16, c.width).map_err(xe)?;
        }
        ws.write_string_with_format(0, 0, &spec.title, &f.title)
            .map_err(xe)?;
        for (i, c) in spec.columns.iter().enumerate() {
            ws.write_string_with_format(HEADER_ROW, i as u16, &c.header, &f.header)
                .map_err(xe)?;
        }
        Ok(SheetRows {
            ws,
            f,
            spec: spec.clone(),
            ncols,
            row: HEADER_ROW + 1,
        })
    }

    /// The finished workbook.
    pub fn finish(mut self) -> Result<Vec<u8>, DocsError> {
        self.wb.save_to_buffer().map_err(xe)
    }
}

impl SheetRows<'_> {
    /// Writes one row (cells beyond the columns are ignored).
    pub fn push(&mut self, cells: &[Cell]) -> Result<(), DocsError> {
        let (ws, f, row) = (&mut *self.ws, self.f, self.row);
        for (i, cell) in cells.iter().enumerate().take(self.ncols as usize) {
            let col = i as u16;
            match cell {
                Cell::Text(s) if looks_like_formula(s) => {
                    ws.write_string_with_format(row, col, s, &f.quoted)
                }
                Cell::Text(s) => ws.write_string_with_format(row, col, s, &f.text),
                Cell::Number(n) => ws.write_number_with_format(row, col, *n, &f.number),
                Cell::Date(d) => ws.write_datetime_with_format(row, col, excel_date(*d)?, &f.date),
                Cell::DateTime(t) => {
                    ws.write_datetime_with_format(row, col, excel_date_time(*t)?, &f.date_time)
                }
                Cell::Empty => ws.write_blank(row, col, &f.text),
            }
            .map_err(xe)?;
        }
        self.row += 1;
        Ok(())
    }

    /// Filters, frozen header, the empty message and the notes; returns the rows written.
    pub fn end(self) -> Result<u32, DocsError> {
        let SheetRows {
            ws,
            f,
            spec,
            ncols,
            mut row,
        } = self;
        let written = row - HEADER_ROW - 1;
        let last = row.saturating_sub(1).max(HEADER_ROW);
        ws.autofilter(HEADER_ROW, 0, last, ncols - 1).map_err(xe)?;
        ws.set_freeze_panes(HEADER_ROW + 1, 0).map_err(xe)?;
        if written == 0 {
            ws.write_string_with_format(row, 0, &spec.empty_message, &f.note)
                .map_err(xe)?;
            row += 1;
        }
        row += 1;
        for n in &spec.notes {
            ws.write_string_with_format(row, 0, n, &f.note)
                .map_err(xe)?;
            row += 1;
        }
        Ok(written)
    }
}

/// A workbook of in-memory sheets as bytes.
pub fn xlsx_bytes(sheets: &[Sheet]) -> Result<Vec<u8>, DocsError> {
    let mut book = XlsxBook::new();
    for s in sheets {
        let mut rows = book.begin_sheet(&s.spec())?;
        for r in &s.rows {
            rows.push(r)?;
        }
        rows.end()?;
    }
    book.finish()
}

/// The Anexo 01 register's sheet parts (the rows of `r` are not read): its ten columns, its
/// legend and the V° B° lines.
pub fn register_spec(r: &AttentionRegister) -> SheetSpec {
    let columns = vec![
        Column::new("N°", 7.0),
        Column::new("FECHA", 12.0),
        Column::new("SEDE", 18.0),
        Column::new("USUARIA/O AFECTADA/O O SOLICITANTE", 30.0),
        Column::new("ÁREA U OFICINA", 22.0),
        Column::new("DESCRIPCIÓN DEL PROBLEMA O REQUERIMIENTO", 45.0),
        Column::new("DESCRIPCIÓN DE LA SOLUCIÓN", 45.0),
        Column::new("TIPOLOGÍA", 22.0),
        Column::new("ESTADO", 13.0),
        Column::new("PERSONAL DE SOPORTE ASIGNADO", 28.0),
    ];
    let period = format!(
        "del {} al {}",
        r.period_from.format("%d/%m/%Y"),
        r.period_to.format("%d/%m/%Y")
    );
    let vb = |role: &str, p: &Option<crate::model::PersonRef>| {
        format!(
            "V° B° {role}: {}",
            p.as_ref().map(|p| p.name.as_str()).unwrap_or("")
        )
    };
    SheetSpec {
        name: "Anexo 01".into(),
        title: format!(
            "FORMATO DE REGISTRO DE ATENCIÓN DE MESA DE AYUDA — {} — {} — {period}",
            r.entity_name, r.unit
        ),
        columns,
        notes: vec![
            "Leyenda:".into(),
            "TIPOLOGÍA: de acuerdo al cuadro de catálogo de mesa de servicios de ayuda, columna TIPO.".into(),
            "ESTADO: Atendido / Pendiente / En progreso.".into(),
            vb("Especialista TIC / Especialista informático", &r.specialist),
            vb("Jefa/e de Unidad / Jefa/e de UT", &r.chief),
        ],
        empty_message: format!("No hay atenciones registradas {period}."),
    }
}

/// One register row as cells (N° a number, FECHA a date).
pub fn register_row(a: &AttentionRow) -> Vec<Cell> {
    vec![
        Cell::Number(f64::from(a.number)),
        Cell::Date(a.date),
        a.site.as_str().into(),
        a.requester.as_str().into(),
        a.office.as_str().into(),
        a.problem.as_str().into(),
        a.solution.as_str().into(),
        a.typology.as_str().into(),
        a.status.label().into(),
        a.technician.as_str().into(),
    ]
}

/// The whole register as `.xlsx` bytes.
pub fn register_xlsx(r: &AttentionRegister) -> Result<Vec<u8>, DocsError> {
    let mut book = XlsxBook::new();
    let mut rows = book.begin_sheet(&register_spec(r))?;
    for a in &r.rows {
        rows.push(&register_row(a))?;
    }
    rows.end()?;
    book.finish()
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};

    use super::*;
    use crate::samples;

    fn read(bytes: Vec<u8>, sheet: &str) -> (calamine::Range<Data>, calamine::Range<String>) {
        let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("xlsx");
        let values = wb.worksheet_range(sheet).expect("sheet");
        let formulas = wb.worksheet_formula(sheet).expect("formulas");
        (values, formulas)
    }

    fn date_of(d: &Data) -> Option<NaiveDate> {
        match d {
            Data::DateTime(x) if x.is_datetime() => {
                let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
                base.checked_add_signed(chrono::Duration::days(x.as_f64().floor() as i64))
            }
            _ => None,
        }
    }

    #[test]
    fn register_reads_back_with_typed_cells_and_no_formulas() {
        let mut reg = samples::register(5);
        reg.rows[1].problem = "=cmd|' /C calc'!A0".into();
        reg.rows[2].solution = "+51 984 123 456".into();
        reg.rows[3].requester = "@SUMA(A1)".into();
        reg.rows[4].office = "-Logística".into();
        let bytes = register_xlsx(&reg).expect("xlsx");
        let (v, f) = read(bytes, "Anexo 01");
        let start = v.start().expect("start");
        assert_eq!(start, (0, 0));
        let cell = |r: u32, c: u32| v.get_value((r, c)).cloned().unwrap_or(Data::Empty);
        assert!(matches!(cell(0, 0), Data::String(t) if t.starts_with("FORMATO DE REGISTRO")));
        assert_eq!(cell(HEADER_ROW, 0), Data::String("N°".into()));
        assert_eq!(
            cell(HEADER_ROW, 9),
            Data::String("PERSONAL DE SOPORTE ASIGNADO".into())
        );
        for (i, row) in reg.rows.iter().enumerate() {
            let r = HEADER_ROW + 1 + i as u32;
            assert_eq!(cell(r, 0), Data::Float(f64::from(row.number)), "row {i}");
            assert_eq!(date_of(&cell(r, 1)), Some(row.date), "row {i} date");
            assert_eq!(cell(r, 3), Data::String(row.requester.clone()));
            assert_eq!(cell(r, 4), Data::String(row.office.clone()));
            assert_eq!(cell(r, 5), Data::String(row.problem.clone()));
            assert_eq!(cell(r, 6), Data::String(row.solution.clone()));
            assert_eq!(cell(r, 8), Data::String(row.status.label().into()));
        }
        // No cell is a formula: the injected texts stay text.
        assert!(
            f.used_cells().all(|(_, _, s)| s.is_empty()),
            "formulas found: {:?}",
            f.used_cells().collect::<Vec<_>>()
        );
        let legend_row = HEADER_ROW + 1 + reg.rows.len() as u32 + 1;
        assert_eq!(cell(legend_row, 0), Data::String("Leyenda:".into()));
    }

    #[test]
    fn the_header_row_has_its_filter() {
        let mut reg = samples::register(3);
        reg.rows[0].problem = "=1+1".into();
        let bytes = register_xlsx(&reg).expect("xlsx");
        // Excel keeps an autofilter as the hidden defined name `_xlnm._FilterDatabase`.
        let wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("xlsx");
        let names: Vec<String> = wb.defined_names().iter().map(|(n, _)| n.clone()).collect();
        assert!(
            names.iter().any(|n| n.contains("_FilterDatabase")),
            "no autofilter: {names:?}"
        );
    }

    #[test]
    fn an_empty_period_says_so() {
        let mut reg = samples::register(0);
        reg.rows.clear();
        let (v, _) = read(register_xlsx(&reg).expect("xlsx"), "Anexo 01");
        let msg = v
            .get_value((HEADER_ROW + 1, 0))
            .cloned()
            .unwrap_or(Data::Empty);
        assert!(
            matches!(&msg, Data::String(t) if t.starts_with("No hay atenciones registradas del 01/11/2026")),
            "{msg:?}"
        );
    }

    #[test]
    fn list_sheets_with_dates_and_times() {
        let when = NaiveDate::from_ymd_opt(2026, 3, 2)
            .and_then(|d| d.and_hms_opt(10, 49, 0))
            .expect("t");
        let sheet = Sheet {
            name: "Atenciones".into(),
            title: "Atenciones".into(),
            columns: vec![Column::new("N°", 10.0), Column::new("Recibida", 18.0)],
            rows: vec![vec!["N° 007-2026".into(), Cell::DateTime(when)]],
            notes: vec![],
            empty_message: "Sin filas.".into(),
        };
        let (v, _) = read(xlsx_bytes(&[sheet]).expect("xlsx"), "Atenciones");
        let c = v
            .get_value((HEADER_ROW + 1, 1))
            .cloned()
            .unwrap_or(Data::Empty);
        let Data::DateTime(x) = c else {
            panic!("not a date: {c:?}");
        };
        let secs = (x.as_f64().fract() * 86_400.0).round() as u32;
        assert_eq!(secs, 10 * 3600 + 49 * 60);
        assert_eq!(date_of(&Data::DateTime(x)), Some(when.date()));
    }
}
