//! Splitting a file into documents the way kubectl reads it: apimachinery
//! pkg/util/yaml/decoder.go `YAMLReader.Read` over a `LineReader`.
//!
//! - Lines are read whole; `\r\n` and `\n` endings both become `\n` (`bufio.Reader.ReadLine`).
//! - A line starting with `---` ends the document being read, if it has any bytes; followed by
//!   anything but spaces or a `#` comment it is an error (`invalid Yaml document separator: %s`)
//!   that discards the document being read and stops the stream.
//! - When no bytes are buffered yet, the `---` line itself starts the next document (so the
//!   first document's YAML line numbers count from the top of the file).
//!
//! Each chunk is then parsed on its own, so go-yaml's `line N` counts from the chunk's start.

/// One document's text, as kubectl hands it to the YAML parser.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Chunk {
    /// The chunk's text, lines joined with `\n`.
    pub text: String,
    /// The 1-based file line of the chunk's first line.
    pub first_line: usize,
    /// A bad separator ended this chunk: (kubectl's message, its 1-based file line).
    pub separator_error: Option<(String, usize)>,
}

/// Splits `text` into kubectl's document chunks; after a separator error nothing follows.
pub(crate) fn split_documents(text: &str) -> Vec<Chunk> {
    let mut out = Vec::new();
    let mut buf = String::new();
    let mut first_line = 1usize;
    let mut line_no = 0usize;
    for raw in text.split_inclusive('\n') {
        line_no += 1;
        let line = raw
            .strip_suffix("\r\n")
            .or_else(|| raw.strip_suffix('\n'))
            .unwrap_or(raw);
        if let Some(after) = line.strip_prefix("---") {
            // Go's strings.TrimSpace.
            let trimmed = after.trim();
            if !trimmed.is_empty() && !trimmed.starts_with('#') {
                out.push(Chunk {
                    text: std::mem::take(&mut buf),
                    first_line,
                    separator_error: Some((
                        format!("invalid Yaml document separator: {trimmed}"),
                        line_no,
                    )),
                });
                return out;
            }
            if !buf.is_empty() {
                out.push(Chunk {
                    text: std::mem::take(&mut buf),
                    first_line,
                    separator_error: None,
                });
                first_line = line_no + 1;
                continue;
            }
        }
        if buf.is_empty() {
            first_line = line_no;
        }
        buf.push_str(line);
        buf.push('\n');
    }
    if !buf.is_empty() {
        out.push(Chunk {
            text: buf,
            first_line,
            separator_error: None,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<(String, usize)> {
        split_documents(s)
            .into_iter()
            .map(|c| (c.text, c.first_line))
            .collect()
    }

    #[test]
    fn separators_split_and_start_documents() {
        assert_eq!(
            texts("---\na: 1\n---\nb: 2\n"),
            vec![("---\na: 1\n".to_owned(), 1), ("b: 2\n".to_owned(), 4)]
        );
        assert_eq!(
            texts("a: 1\r\n--- # next\r\nb: 2"),
            vec![("a: 1\n".to_owned(), 1), ("b: 2\n".to_owned(), 3)]
        );
        assert_eq!(texts(""), vec![]);
        // Two separators in a row: the first one is the only content of a chunk.
        assert_eq!(
            texts("---\n---\na: 1\n"),
            vec![("---\n".to_owned(), 1), ("a: 1\n".to_owned(), 3)]
        );
    }

    #[test]
    fn a_bad_separator_stops_the_stream() {
        let chunks = split_documents("a: 1\n---\nb: 2\n--- x\nc: 3\n");
        assert_eq!(chunks.len(), 2);
        assert_eq!(
            chunks.get(1).and_then(|c| c.separator_error.clone()),
            Some(("invalid Yaml document separator: x".to_owned(), 4))
        );
    }
}
