//! Keys sold under an earlier system (X5): each product's key format, and importing a CSV file
//! of keys in the spelling they were sold in. The file is read and every line judged; nothing
//! is written unless every line is accepted, and the same file imported again changes nothing.

use std::collections::HashMap;

use tessera_api::{ErrorCode, KeyImport, RefusedLine};
use tessera_core::key_format::KeyFormat;
use tessera_core::key_import::{self, ImportLine, LineRefusal, RawLine};
use tessera_store::{ImportResult, StoreError};

use crate::actors::Operator;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The body limit of the import route: 200 000 lines of about 80 bytes, and room.
pub const MAX_FILE_BYTES: usize = 24 * 1024 * 1024;
/// Times an import is judged again when another import added some of its keys meanwhile.
const RACE_RETRIES: usize = 3;

/// Sets or clears the key format of `product` (X5); the pattern is checked first.
pub async fn set_format(
    app: &AppState,
    op: &Operator,
    product: &str,
    pattern: Option<&str>,
) -> ApiResult<Option<KeyFormat>> {
    let format = pattern
        .map(|p| KeyFormat::parse(p).map_err(|e| ApiError::invalid((&e).into(), "pattern", e)))
        .transpose()?;
    app.store
        .set_key_format(
            product.trim(),
            format.as_ref(),
            &op.actor(),
            app.clock.now(),
        )
        .await?;
    Ok(format)
}

/// The key format of `product`, if it states one.
pub async fn format(app: &AppState, op: &Operator, product: &str) -> ApiResult<Option<KeyFormat>> {
    app.store.product(product.trim()).await?;
    Ok(formats(app, op).await?.remove(product.trim()))
}

/// Every product's key format, by product code; products without one are left out.
pub async fn formats(app: &AppState, _op: &Operator) -> ApiResult<HashMap<String, KeyFormat>> {
    Ok(app.store.key_formats().await?)
}

/// Imports the keys of the CSV file `body` (named `file`, if given); with `dry_run` only
/// judges them.
pub async fn import(
    app: &AppState,
    op: &Operator,
    file: Option<&str>,
    body: &[u8],
    dry_run: bool,
) -> ApiResult<KeyImport> {
    if file.is_some_and(|f| f.chars().count() > 200) {
        return Err(ApiError::invalid(
            ErrorCode::InvalidQuery,
            "file",
            "a file name has at most 200 characters",
        ));
    }
    let rows = read_csv(body)?;
    let mut refused: Vec<RefusedLine> = Vec::new();
    let mut lines: Vec<ImportLine> = Vec::with_capacity(rows.len());
    for row in &rows {
        match key_import::read_line(&row.raw()) {
            Ok(line) => lines.push(line),
            Err(refusal) => refused.push(refused_line(row.line, &row.cells[0], &refusal)),
        }
    }
    let repeated: HashMap<u64, u64> = key_import::repeated(&lines).into_iter().collect();
    lines.retain(|line| match repeated.get(&line.line) {
        None => true,
        Some(first) => {
            let refusal = LineRefusal::Repeated(*first);
            refused.push(refused_line(line.line, &line.key.to_string(), &refusal));
            false
        }
    });
    let write = refused.is_empty() && !dry_run;
    let note = match file {
        Some(name) => format!("imported from {name}"),
        None => "imported".to_owned(),
    };
    let result = import_judged(app, op, &lines, write, &note).await?;
    for (line, refusal) in result.refused() {
        refused.push(refused_line(line.line, &line.key.to_string(), refusal));
    }
    refused.sort_by_key(|r| r.line);
    let (new, unchanged, registered) = result.counts();
    let refusal = (!refused.is_empty()).then(|| {
        let (n, total) = (refused.len(), rows.len());
        if dry_run {
            format!("{n} of {total} lines would be refused")
        } else {
            format!("{n} of {total} lines refused; nothing was imported")
        }
    });
    if result.written {
        tracing::info!(new, unchanged, registered, "keys imported");
    }
    Ok(KeyImport {
        code: refusal
            .as_ref()
            .map(|_| ErrorCode::ImportRefused.as_str().to_owned()),
        message: refusal,
        file: file.map(str::to_owned),
        lines: rows.len() as u32,
        new,
        unchanged,
        registered,
        written: result.written,
        dry_run,
        batches: result.batches,
        refused,
    })
}

/// The store's judgement (and writing), judged again when a concurrent import added some of
/// the same keys between judging and writing.
async fn import_judged(
    app: &AppState,
    op: &Operator,
    lines: &[ImportLine],
    write: bool,
    note: &str,
) -> ApiResult<ImportResult> {
    let mut attempt = 0;
    loop {
        let now = app.clock.now();
        match app
            .store
            .import_keys(lines, write, note, &op.actor(), now)
            .await
        {
            Err(StoreError::Conflict(ErrorCode::KeyExists)) if attempt < RACE_RETRIES => {
                attempt += 1;
            }
            other => return Ok(other?),
        }
    }
}

fn refused_line(line: u64, key: &str, refusal: &LineRefusal) -> RefusedLine {
    RefusedLine {
        line,
        key: key.to_owned(),
        code: ErrorCode::from(refusal).as_str().to_owned(),
        message: refusal.to_string(),
    }
}

/// One line of the file: its number and its cells in [`key_import::COLUMNS`] order.
struct Row {
    line: u64,
    cells: [String; 6],
    /// Which of the optional columns the file has.
    has: [bool; 6],
}

impl Row {
    fn raw(&self) -> RawLine<'_> {
        let optional = |i: usize| self.has[i].then_some(self.cells[i].as_str());
        RawLine {
            line: self.line,
            key: &self.cells[0],
            product: &self.cells[1],
            edition: &self.cells[2],
            size: &self.cells[3],
            customer: optional(4),
            site: optional(5),
        }
    }
}

fn csv_invalid(message: impl std::fmt::Display) -> ApiError {
    ApiError::refused(ErrorCode::CsvInvalid, message)
}

/// The file's lines. UTF-8 (a byte-order mark is skipped), a header naming the columns in any
/// order and case; comma-separated, or semicolon-separated when the header has semicolons and
/// no commas (as spreadsheets in much of Europe save it).
fn read_csv(body: &[u8]) -> ApiResult<Vec<Row>> {
    let body = body.strip_prefix(b"\xef\xbb\xbf").unwrap_or(body);
    let text = std::str::from_utf8(body).map_err(|e| {
        csv_invalid(format!(
            "the file is not UTF-8 (byte {}); save it as UTF-8 CSV",
            e.valid_up_to()
        ))
    })?;
    let header = text.lines().next().unwrap_or("");
    let delimiter = if header.contains(';') && !header.contains(',') {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let names = reader
        .headers()
        .map_err(|e| csv_invalid(format!("the header: {e}")))?
        .clone();
    let mut column_of = [None; 6];
    for (i, name) in names.iter().enumerate() {
        let name = name.trim().to_ascii_lowercase();
        let Some(c) = key_import::COLUMNS.iter().position(|&c| c == name) else {
            return Err(csv_invalid(format!(
                "unknown column '{name}': the columns are {}",
                key_import::COLUMNS.join(", ")
            )));
        };
        if column_of[c].replace(i).is_some() {
            return Err(csv_invalid(format!("the column '{name}' is there twice")));
        }
    }
    if let Some(missing) = key_import::REQUIRED_COLUMNS
        .iter()
        .zip(column_of)
        .find_map(|(name, at)| at.is_none().then_some(name))
    {
        return Err(csv_invalid(format!(
            "the header lacks the column '{missing}'"
        )));
    }
    let has = column_of.map(|c| c.is_some());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_invalid(e.to_string()))?;
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        if rows.len() == key_import::MAX_LINES {
            return Err(csv_invalid(format!(
                "a file holds at most {} lines; split it",
                key_import::MAX_LINES
            )));
        }
        let cell = |c: usize| {
            column_of[c]
                .and_then(|i| record.get(i))
                .unwrap_or("")
                .to_owned()
        };
        rows.push(Row {
            line,
            cells: std::array::from_fn(cell),
            has,
        });
    }
    if rows.is_empty() {
        return Err(csv_invalid("the file has no lines below the header"));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(e: ApiError) -> (ErrorCode, String) {
        (e.code(), e.to_string())
    }

    #[test]
    fn reads_columns_in_any_order_and_either_separator() {
        let rows =
            read_csv(b"\xef\xbb\xbfProduct;KEY;edition;size\nfm;U107-3D27;std;s\n\n").unwrap();
        assert_eq!(rows.len(), 1);
        let raw = rows[0].raw();
        assert_eq!((raw.key, raw.product, raw.line), ("U107-3D27", "fm", 2));
        assert_eq!((raw.customer, raw.site), (None, None));
        let rows =
            read_csv(b"key,product,edition,size,customer,site\nA,b,c,d,,\nE,f,g,h,x@y.it,Depot\n")
                .unwrap();
        assert_eq!(rows[0].raw().customer, Some(""));
        assert_eq!(rows[1].raw().site, Some("Depot"));
        assert_eq!(rows[1].raw().line, 3);
    }

    #[test]
    fn refuses_a_file_that_is_not_a_key_list() {
        let (code, message) = codes(read_csv(b"key,product,edition\nA,b,c\n").err().unwrap());
        assert_eq!(code, ErrorCode::CsvInvalid);
        assert!(message.contains("'size'"), "{message}");
        let (_, message) = codes(
            read_csv(b"key,product,edition,size,colour\n")
                .err()
                .unwrap(),
        );
        assert!(message.contains("'colour'"), "{message}");
        let (_, message) = codes(read_csv(b"key,product,edition,size\n").err().unwrap());
        assert!(message.contains("no lines"), "{message}");
        let (_, message) = codes(
            read_csv(b"key,product,edition,size\n\xff,a,b,c\n")
                .err()
                .unwrap(),
        );
        assert!(message.contains("UTF-8"), "{message}");
    }
}
