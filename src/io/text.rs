//! The encoding of a text file someone else made (a CSV saved from Excel, a GIAS download), one
//! rule for every reader: valid UTF-8 is UTF-8 (a byte-order mark dropped); a file with no valid
//! UTF-8 multi-byte sequence at all is Windows-1252 (what Excel and GIAS save as "CSV"); a file
//! with both is neither, and is refused at its first bad byte rather than read wrongly
//! (`Zoë` read as `ZoÃ«`). UTF-16 is refused with what to do.

use std::borrow::Cow;

/// Which encoding a file was read in, for the summary line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Windows1252,
}

impl Encoding {
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Windows1252 => "Windows-1252",
        }
    }
}

/// Why a file's text could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextError {
    Utf16,
    /// Valid UTF-8 sequences and bytes that are not UTF-8 in one file: the first bad byte,
    /// by line (from 1) and column (characters from 1, counted as Windows-1252 would).
    Mixed {
        line: usize,
        column: usize,
    },
}

impl TextError {
    /// What is wrong and what to do; `where_` is the file as the message names it.
    pub fn message(&self) -> String {
        match self {
            TextError::Utf16 => {
                "the file is UTF-16 (\"Unicode text\"); save it as \"CSV UTF-8\" or plain CSV"
                    .to_owned()
            }
            TextError::Mixed { line, column } => format!(
                "line {line}, column {column}: a byte that is not UTF-8 in a file that is otherwise UTF-8; the file mixes two encodings, so neither can be trusted: save it again as \"CSV UTF-8\""
            ),
        }
    }
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The text of `bytes`, by the rule above.
pub fn decode(bytes: &[u8]) -> Result<(Cow<'_, str>, Encoding), TextError> {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(TextError::Utf16);
    }
    let body = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    let first_bad = match std::str::from_utf8(body) {
        Ok(s) => return Ok((Cow::Borrowed(s), Encoding::Utf8)),
        Err(e) => e.valid_up_to(),
    };
    // Windows-1252 only if nothing in the file reads as a UTF-8 multi-byte sequence, and no BOM
    // said it was UTF-8.
    if body.len() == bytes.len() && !has_utf8_sequence(body) {
        let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
        return Ok((text, Encoding::Windows1252));
    }
    let before = &body[..first_bad];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    let column = std::str::from_utf8(&before[line_start..])
        .map_or(first_bad - line_start, |s| s.chars().count())
        + 1;
    Err(TextError::Mixed { line, column })
}

/// Does `b` hold a well-formed UTF-8 sequence of two or more bytes anywhere?
fn has_utf8_sequence(b: &[u8]) -> bool {
    let mut i = 0;
    while i < b.len() {
        let n = match b[i] {
            0xC2..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF4 => 4,
            _ => {
                i += 1;
                continue;
            }
        };
        if b.get(i..i + n)
            .is_some_and(|s| std::str::from_utf8(s).is_ok())
        {
            return true;
        }
        i += 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_is_utf8_windows_1252_is_windows_1252_and_a_mix_is_refused_where_it_breaks() {
        assert_eq!(
            decode("Zoë Café".as_bytes()).unwrap(),
            (Cow::Borrowed("Zoë Café"), Encoding::Utf8)
        );
        assert_eq!(
            decode(b"\xEF\xBB\xBFURN").unwrap(),
            (Cow::Borrowed("URN"), Encoding::Utf8)
        );
        let (t, e) = decode(b"Zo\xEB Caf\xE9 \x92s").unwrap();
        assert_eq!((t.as_ref(), e), ("Zoë Café ’s", Encoding::Windows1252));
        // One stray 0x92 in an otherwise UTF-8 file: neither encoding reads it right.
        assert_eq!(
            decode(&[&b"URN,Name\n1,"[..], "Zoë Café".as_bytes(), b"\n2,Bob\x92s"].concat()),
            Err(TextError::Mixed { line: 3, column: 6 })
        );
        assert_eq!(decode(b"\xFF\xFEU\0"), Err(TextError::Utf16));
        // A BOM says UTF-8: a bad byte after it is not Windows-1252.
        assert!(matches!(
            decode(b"\xEF\xBB\xBFcaf\xE9"),
            Err(TextError::Mixed { line: 1, column: 4 })
        ));
    }
}
