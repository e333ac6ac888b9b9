//! The two value types whose own `UnmarshalJSON` can refuse a manifest: resource quantities
//! (apimachinery pkg/api/resource/quantity.go `ParseQuantity`) and times (meta/v1 `Time`, via
//! Go's `time.Parse(time.RFC3339, …)`).

/// quantity.go `ErrFormatWrong`.
pub(crate) const ERR_FORMAT_WRONG: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
/// quantity.go `ErrSuffix`.
pub(crate) const ERR_SUFFIX: &str = "unable to parse quantity's suffix";

/// quantity.go `ParseQuantity`, reduced to accept or refuse (the value is not needed).
pub(crate) fn parse_quantity(s: &str) -> Result<(), &'static str> {
    if s.is_empty() {
        return Err(ERR_FORMAT_WRONG);
    }
    if s == "0" {
        return Ok(());
    }
    let suffix = parse_quantity_string(s)?;
    if interpret_suffix(suffix) {
        Ok(())
    } else {
        Err(ERR_SUFFIX)
    }
}

/// quantity.go `parseQuantityString`: the suffix, or `ErrFormatWrong`.
fn parse_quantity_string(s: &str) -> Result<&str, &'static str> {
    let b = s.as_bytes();
    let end = b.len();
    let mut pos = 0;
    if matches!(b.first(), Some(b'-' | b'+')) {
        pos += 1;
    }
    // Leading zeros, then the numerator.
    while pos < end && b.get(pos) == Some(&b'0') {
        pos += 1;
    }
    if pos >= end {
        return Ok("");
    }
    while pos < end && b.get(pos).is_some_and(u8::is_ascii_digit) {
        pos += 1;
    }
    if pos >= end {
        return Ok("");
    }
    if b.get(pos) == Some(&b'.') {
        pos += 1;
        while pos < end && b.get(pos).is_some_and(u8::is_ascii_digit) {
            pos += 1;
        }
        if pos >= end {
            return Ok("");
        }
    }
    let suffix_start = pos;
    while pos < end && b.get(pos).is_some_and(|c| b"eEinumkKMGTP".contains(c)) {
        pos += 1;
    }
    if pos >= end {
        return Ok(s.get(suffix_start..).unwrap_or(""));
    }
    if matches!(b.get(pos), Some(b'-' | b'+')) {
        pos += 1;
    }
    while pos < end {
        if !b.get(pos).is_some_and(u8::is_ascii_digit) {
            return Err(ERR_FORMAT_WRONG);
        }
        pos += 1;
    }
    Ok(s.get(suffix_start..).unwrap_or(""))
}

/// suffix.go `suffixHandler.interpret`.
fn interpret_suffix(s: &str) -> bool {
    match s {
        "" | "n" | "u" | "m" | "k" | "M" | "G" | "T" | "P" | "E" | "Ki" | "Mi" | "Gi" | "Ti"
        | "Pi" | "Ei" => true,
        _ => {
            let mut chars = s.chars();
            matches!(chars.next(), Some('e' | 'E'))
                && s.len() > 1
                && s.get(1..).is_some_and(|e| e.parse::<i64>().is_ok())
        }
    }
}

/// Go's `time.Parse(time.RFC3339, s)` accept/refuse, with Go's message for the common
/// failures (`parsing time "x" as "2006-01-02T15:04:05Z07:00": cannot parse "x" as "2006"`).
pub(crate) fn parse_rfc3339(s: &str) -> Result<(), String> {
    const LAYOUT: &str = "2006-01-02T15:04:05Z07:00";
    // (layout element, what it needs)
    enum El {
        Digits(usize, &'static str),
        Lit(&'static str),
        Zone,
    }
    let elements = [
        El::Digits(4, "2006"),
        El::Lit("-"),
        El::Digits(2, "01"),
        El::Lit("-"),
        El::Digits(2, "02"),
        El::Lit("T"),
        El::Digits(2, "15"),
        El::Lit(":"),
        El::Digits(2, "04"),
        El::Lit(":"),
        El::Digits(2, "05"),
        El::Zone,
    ];
    let quote = crate::yaml::go_quote;
    let cannot = |rest: &str, el: &str| {
        format!(
            "parsing time {} as {}: cannot parse {} as {}",
            quote(s),
            quote(LAYOUT),
            quote(rest),
            quote(el)
        )
    };
    let mut rest = s;
    for el in elements {
        match el {
            El::Digits(n, name) => {
                let digits = rest.bytes().take(n).filter(u8::is_ascii_digit).count();
                if digits != n {
                    return Err(cannot(rest, name));
                }
                rest = rest.get(n..).unwrap_or("");
                if name == "05" {
                    // Fractional seconds are accepted after the seconds.
                    if let Some(frac) = rest.strip_prefix(['.', ',']) {
                        let d = frac.bytes().take_while(u8::is_ascii_digit).count();
                        rest = frac.get(d..).unwrap_or("");
                    }
                }
            }
            El::Lit(l) => match rest.strip_prefix(l) {
                Some(r) => rest = r,
                None => return Err(cannot(rest, l)),
            },
            El::Zone => {
                if let Some(r) = rest.strip_prefix('Z') {
                    rest = r;
                } else {
                    let b = rest.as_bytes();
                    let ok = b.len() >= 6
                        && matches!(b.first(), Some(b'+' | b'-'))
                        && b.get(1..3)
                            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
                        && b.get(3) == Some(&b':')
                        && b.get(4..6)
                            .is_some_and(|d| d.iter().all(u8::is_ascii_digit));
                    if !ok {
                        return Err(cannot(rest, "Z07:00"));
                    }
                    rest = rest.get(6..).unwrap_or("");
                }
            }
        }
    }
    if !rest.is_empty() {
        return Err(format!(
            "parsing time {}: extra text: {}",
            quote(s),
            quote(rest)
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_parse_like_apimachinery() {
        for ok in [
            "100m",
            "1",
            "0.5",
            "1Gi",
            "128974848",
            "129e6",
            "129M",
            "123Mi",
            "1.",
            "+1k",
        ] {
            assert_eq!(parse_quantity(ok), Ok(()), "{ok}");
        }
        assert_eq!(parse_quantity("true"), Err(ERR_FORMAT_WRONG));
        assert_eq!(parse_quantity(""), Err(ERR_FORMAT_WRONG));
        assert_eq!(parse_quantity("1.2.3"), Err(ERR_FORMAT_WRONG));
        assert_eq!(parse_quantity("1Gb"), Err(ERR_FORMAT_WRONG));
        assert_eq!(parse_quantity("1mi"), Err(ERR_SUFFIX));
        assert_eq!(parse_quantity("{"), Err(ERR_FORMAT_WRONG));
    }

    #[test]
    fn rfc3339_times() {
        assert_eq!(parse_rfc3339("2024-08-13T22:54:53Z"), Ok(()));
        assert_eq!(parse_rfc3339("2024-08-13T22:54:53.5+09:00"), Ok(()));
        assert_eq!(
            parse_rfc3339("yesterday"),
            Err(r#"parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006""#.to_owned())
        );
    }
}
