//! What every CSV export writes: cells a spreadsheet cannot take for a formula.

use std::borrow::Cow;

/// `text` as a CSV cell: when it starts with a character a spreadsheet reads as the start of
/// a formula (`=`, `+`, `-`, `@`, or a tab or carriage return before one), a single quote is
/// put in front, so that it is shown as text instead of run ("CSV injection").
pub fn cell(text: &str) -> Cow<'_, str> {
    match text.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => Cow::Owned(format!("'{text}")),
        _ => Cow::Borrowed(text),
    }
}

/// Writes one record, every field made safe by [`cell`].
pub fn write_row<W: std::io::Write, S: AsRef<str>>(
    out: &mut csv::Writer<W>,
    fields: impl IntoIterator<Item = S>,
) -> anyhow::Result<()> {
    let cells: Vec<String> = fields
        .into_iter()
        .map(|f| cell(f.as_ref()).into_owned())
        .collect();
    out.write_record(&cells)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn formula_starts_are_quoted() {
        for risky in ["=1+2", "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"] {
            assert_eq!(cell(risky), format!("'{risky}"));
        }
        for plain in [
            "",
            "anonymous",
            "3f9a1c02-17",
            "2026-11-23T09:00:00Z",
            "a=b",
            "42",
        ] {
            assert_eq!(cell(plain), plain);
        }
    }
}
