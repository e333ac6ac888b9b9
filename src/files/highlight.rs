//! YAML highlighting for the editor's overlay: comments, keys, document separators and
//! scalars, line by line (no DOM here).

/// A highlighted piece of a line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    /// CSS class, empty for plain text.
    pub class: &'static str,
    /// The text.
    pub text: String,
}

fn span(class: &'static str, text: &str) -> Span {
    Span {
        class,
        text: text.to_owned(),
    }
}

/// Where a `#` starts a comment: at the line start or after a space, outside quotes.
fn comment_start(line: &str) -> Option<usize> {
    let mut quote = None;
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '#') if prev == ' ' || prev == '\t' => return Some(i),
            _ => {}
        }
        prev = c;
    }
    None
}

/// The spans of one line.
pub fn highlight_line(line: &str) -> Vec<Span> {
    if line == "---" || line.starts_with("--- ") || line == "..." {
        return vec![span("yaml-doc", line)];
    }
    let (code, comment) = match comment_start(line) {
        Some(i) => line.split_at(i),
        None => (line, ""),
    };
    let mut out = Vec::new();
    let indent = code.len() - code.trim_start().len();
    let mut rest = code;
    if indent > 0 {
        out.push(span("", &rest[..indent]));
        rest = &rest[indent..];
    }
    while let Some(after) = rest.strip_prefix("- ") {
        out.push(span("yaml-dash", "- "));
        rest = after;
    }
    // A key: text up to `: ` (or a trailing `:`), not inside quotes or flow collections.
    let key_end = rest
        .find(": ")
        .or_else(|| rest.ends_with(':').then(|| rest.len() - 1))
        .filter(|&i| !rest[..i].contains(['"', '\'', '{', '[']));
    if let Some(i) = key_end {
        out.push(span("yaml-key", &rest[..i]));
        out.push(span("", ":"));
        rest = &rest[i + 1..];
    }
    if !rest.is_empty() {
        let value = rest.trim();
        let class = if value.starts_with('"') || value.starts_with('\'') {
            "yaml-string"
        } else if value.parse::<f64>().is_ok() || matches!(value, "true" | "false" | "null" | "~") {
            "yaml-literal"
        } else {
            "yaml-value"
        };
        out.push(span(class, rest));
    }
    if !comment.is_empty() {
        out.push(span("yaml-comment", comment));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes(line: &str) -> Vec<(&'static str, String)> {
        highlight_line(line)
            .into_iter()
            .map(|s| (s.class, s.text))
            .collect()
    }

    #[test]
    fn keys_values_and_comments_are_told_apart() {
        assert_eq!(
            classes("  nodePort: 30000 # fixed"),
            vec![
                ("", "  ".into()),
                ("yaml-key", "nodePort".into()),
                ("", ":".into()),
                ("yaml-literal", " 30000 ".into()),
                ("yaml-comment", "# fixed".into()),
            ]
        );
        assert_eq!(
            classes("- role: worker"),
            vec![
                ("yaml-dash", "- ".into()),
                ("yaml-key", "role".into()),
                ("", ":".into()),
                ("yaml-value", " worker".into()),
            ]
        );
    }

    #[test]
    fn a_hash_inside_quotes_is_not_a_comment_and_the_text_is_kept_whole() {
        let line = r#"  image: "nginx#1" # c"#;
        let spans = highlight_line(line);
        let joined: String = spans.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(joined, line);
        assert_eq!(spans.last().map(|s| s.class), Some("yaml-comment"));
        assert_eq!(classes("---"), vec![("yaml-doc", "---".into())]);
    }
}
