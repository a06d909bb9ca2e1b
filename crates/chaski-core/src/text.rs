//! Text folding for search: lower case, Spanish accents and diaeresis removed, runs of
//! whitespace collapsed. "Peña Núñez" and "pena nunez" fold to the same text, so a person
//! typing without accents (common on keyboards set to English) still finds everyone. The
//! attention full-text index does the same with FTS5's `remove_diacritics 2`.

/// Folds `s` for accent- and case-insensitive matching.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last_space = true;
    for c in s.chars() {
        let mapped = match c {
            'á' | 'à' | 'ä' | 'â' | 'Á' | 'À' | 'Ä' | 'Â' => 'a',
            'é' | 'è' | 'ë' | 'ê' | 'É' | 'È' | 'Ë' | 'Ê' => 'e',
            'í' | 'ì' | 'ï' | 'î' | 'Í' | 'Ì' | 'Ï' | 'Î' => 'i',
            'ó' | 'ò' | 'ö' | 'ô' | 'Ó' | 'Ò' | 'Ö' | 'Ô' => 'o',
            'ú' | 'ù' | 'ü' | 'û' | 'Ú' | 'Ù' | 'Ü' | 'Û' => 'u',
            'ñ' | 'Ñ' => 'n',
            'ç' | 'Ç' => 'c',
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if mapped == ' ' {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.extend(mapped.to_lowercase());
            last_space = false;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn folds_accents_case_and_spaces() {
        assert_eq!(fold("  Peña   NÚÑEZ, Güido "), "pena nunez, guido");
        assert_eq!(fold("Impresión"), "impresion");
        assert_eq!(fold(""), "");
    }
}
