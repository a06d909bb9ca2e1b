//! Reading a spreadsheet into rows of text cells, with the row numbers a person sees in Excel.
//!
//! `.xlsx` through calamine; `.csv` in UTF-8 (with or without BOM) or Windows-1252 (what Excel
//! on Windows writes with "CSV (delimitado por comas)"): a file that is not valid UTF-8 is read
//! as Windows-1252, which maps every byte, so accents survive either way. The separator (`,`,
//! `;` or tab) is the one that appears most in the first line.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use chaski_core::error::{Error as DomainError, ErrorCode};

use crate::error::Result;

/// One sheet as text: (row number as shown by Excel, 1-based; cells).
pub(crate) struct Table {
    pub rows: Vec<(u32, Vec<String>)>,
    pub sheet: Option<String>,
    pub encoding: Option<String>,
}

fn unreadable(what: &str, detail: impl std::fmt::Display) -> DomainError {
    DomainError::field(
        ErrorCode::ValorInvalido,
        "file",
        format!(
            "No se pudo leer el archivo como {what} ({detail}). Verifique que sea el archivo correcto y vuelva a intentarlo."
        ),
    )
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{}", *f as i64)
            } else {
                f.to_string()
            }
        }
        Data::Bool(b) => if *b { "VERDADERO" } else { "FALSO" }.to_string(),
        Data::DateTime(d) => d.to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
    }
}

/// Every sheet of an `.xlsx`, in order.
pub(crate) fn xlsx(bytes: &[u8]) -> Result<Vec<Table>> {
    let mut wb: Xlsx<_> =
        open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| unreadable("Excel (.xlsx)", e))?;
    let mut out = Vec::new();
    for name in wb.sheet_names() {
        let range = wb
            .worksheet_range(&name)
            .map_err(|e| unreadable("Excel (.xlsx)", e))?;
        let first_row = range.start().map_or(0, |(r, _)| r);
        let first_col = range.start().map_or(0, |(_, c)| c) as usize;
        let rows = range
            .rows()
            .enumerate()
            .map(|(i, cells)| {
                let mut v = vec![String::new(); first_col];
                v.extend(cells.iter().map(cell_text));
                (
                    first_row + u32::try_from(i).unwrap_or(u32::MAX - first_row) + 1,
                    v,
                )
            })
            .collect();
        out.push(Table {
            rows,
            sheet: Some(name),
            encoding: None,
        });
    }
    Ok(out)
}

/// Decodes CSV bytes: UTF-8 if valid (BOM removed), else Windows-1252.
pub(crate) fn decode(bytes: &[u8]) -> (String, &'static str) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), "UTF-8"),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            (text.into_owned(), "Windows-1252")
        }
    }
}

fn separator(text: &str) -> u8 {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let count = |c: char| first.chars().filter(|x| *x == c).count();
    [b';', b'\t', b',']
        .into_iter()
        .max_by_key(|b| (count(char::from(*b)), *b == b','))
        .unwrap_or(b',')
}

/// A `.csv` as one table.
pub(crate) fn csv(bytes: &[u8]) -> Result<Table> {
    let (text, encoding) = decode(bytes);
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator(&text))
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut record = ::csv::StringRecord::new();
    // Line numbers from each record's byte offset, counted incrementally (the csv crate's
    // own line counter lags by one after the first record).
    let (mut line, mut counted) = (1u32, 0usize);
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let start = record
                    .position()
                    .and_then(|p| usize::try_from(p.byte()).ok())
                    .unwrap_or(counted)
                    .clamp(counted, text.len());
                // A record's offset may include the previous line's terminator (and skipped
                // blank lines): the record starts at its first other character.
                let bytes = text.as_bytes();
                let mut start = start;
                while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
                    start += 1;
                }
                let newlines = bytes[counted..start]
                    .iter()
                    .filter(|b| **b == b'\n')
                    .count();
                line = line.saturating_add(u32::try_from(newlines).unwrap_or(u32::MAX));
                counted = start;
                rows.push((line, record.iter().map(str::to_string).collect()));
            }
            Err(e) => return Err(unreadable("CSV", e).into()),
        }
    }
    Ok(Table {
        rows,
        sheet: None,
        encoding: Some(encoding.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_is_detected_and_decoded() {
        let (text, enc) = decode(b"CAMPA\xd1A;Jos\xe9");
        assert_eq!(enc, "Windows-1252");
        assert_eq!(text, "CAMPAÑA;José");
        let (text, enc) = decode("\u{feff}Núñez".as_bytes());
        assert_eq!((text.as_str(), enc), ("Núñez", "UTF-8"));
    }

    #[test]
    fn csv_rows_are_numbered_like_a_text_editor() {
        for text in [
            "H1,H2\r\na,b\r\n,\r\nc,\"d\ne\"\r\nf,g\r\n",
            "H1,H2\na,b\n,\nc,\"d\ne\"\nf,g\n",
        ] {
            let t = csv(text.as_bytes()).expect("csv");
            let numbers: Vec<u32> = t.rows.iter().map(|(n, _)| *n).collect();
            assert_eq!(numbers, [1, 2, 3, 4, 6], "{text:?}");
        }
    }

    #[test]
    fn separator_is_the_most_frequent() {
        assert_eq!(separator("A;B;C\n1,2;3"), b';');
        assert_eq!(separator("A,B,C"), b',');
        assert_eq!(separator("A\tB"), b'\t');
        assert_eq!(separator(""), b',');
    }
}
