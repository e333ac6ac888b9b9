//! Plain-scalar resolution and tag names, as go-yaml does them (sigs.k8s.io/yaml
//! goyaml.v3/resolve.go and goyaml.v2/resolve.go, `resolve` and `shortTag`): the tag printed in
//! type errors and the value a field receives. v2 (what kubectl converts manifests with) differs
//! from v3 in one way that matters: YAML 1.1 booleans (`y`, `yes`, `on`, `n`, `no`, `off`, in
//! three casings) resolve to bools.

pub(crate) const NULL_TAG: &str = "!!null";
pub(crate) const BOOL_TAG: &str = "!!bool";
pub(crate) const STR_TAG: &str = "!!str";
pub(crate) const INT_TAG: &str = "!!int";
pub(crate) const FLOAT_TAG: &str = "!!float";
pub(crate) const TIMESTAMP_TAG: &str = "!!timestamp";
pub(crate) const SEQ_TAG: &str = "!!seq";
pub(crate) const MAP_TAG: &str = "!!map";
pub(crate) const BINARY_TAG: &str = "!!binary";
pub(crate) const MERGE_TAG: &str = "!!merge";

const LONG_TAG_PREFIX: &str = "tag:yaml.org,2002:";

/// A resolved scalar (go-yaml returns an `interface{}`; these are the cases that matter here).
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Resolved {
    Null,
    Bool(bool),
    /// int, int64 or uint64 in Go; all fit in i128.
    Int(i128),
    Float(f64),
    /// A string; `!!binary` already base64-decoded.
    Str(String),
    Timestamp,
}

/// goyaml.v3 `shortTag`: `tag:yaml.org,2002:x` becomes `!!x`.
pub(crate) fn short_tag(tag: &str) -> String {
    match tag.strip_prefix(LONG_TAG_PREFIX) {
        Some(rest) => format!("!!{rest}"),
        None => tag.to_owned(),
    }
}

/// The tag go-yaml's parser gives an untagged plain scalar (`resolve("", value)`).
pub(crate) fn resolve_plain_tag(value: &str) -> &'static str {
    resolve_untagged(value).0
}

/// What goyaml v2 and v3 `resolve` both do with a tag outside the resolvable set: keep the
/// text, base64-decoding `!!binary`. `None` for the resolvable tags (and no tag).
fn unresolved(tag: &str, value: &str) -> Option<Result<Resolved, String>> {
    let resolvable = matches!(
        tag,
        "" | STR_TAG | BOOL_TAG | INT_TAG | FLOAT_TAG | NULL_TAG | TIMESTAMP_TAG
    );
    if resolvable {
        return None;
    }
    Some(if tag == BINARY_TAG {
        base64_decode(value)
            .map(Resolved::Str)
            .ok_or_else(|| "!!binary value contains invalid base64 data".to_owned())
    } else {
        Ok(Resolved::Str(value.to_owned()))
    })
}

/// goyaml.v3 `resolve(tag, in)`; an `Err` is go-yaml's `failf` text (without `yaml: `).
pub(crate) fn resolve(tag: &str, value: &str) -> Result<(String, Resolved), String> {
    let tag = short_tag(tag);
    if let Some(kept) = unresolved(&tag, value) {
        return kept.map(|v| (tag, v));
    }
    if tag == STR_TAG {
        return Ok((tag, Resolved::Str(value.to_owned())));
    }
    let (rtag, out) = if tag == TIMESTAMP_TAG || tag.is_empty() {
        resolve_untagged(value)
    } else {
        resolve_untagged_no_timestamp(value)
    };
    if tag.is_empty() || tag == rtag {
        return Ok((rtag.to_owned(), out));
    }
    // The deferred check in resolve: an explicit !!float accepts an int.
    if tag == FLOAT_TAG && rtag == INT_TAG {
        if let Resolved::Int(i) = out {
            return Ok((FLOAT_TAG.to_owned(), Resolved::Float(i as f64)));
        }
    }
    Err(format!("cannot decode {rtag} `{value}` as a {tag}"))
}

fn resolve_untagged(value: &str) -> (&'static str, Resolved) {
    resolve_inner(value, true)
}

fn resolve_untagged_no_timestamp(value: &str) -> (&'static str, Resolved) {
    resolve_inner(value, false)
}

fn resolve_inner(value: &str, timestamps: bool) -> (&'static str, Resolved) {
    match value {
        "true" | "True" | "TRUE" => return (BOOL_TAG, Resolved::Bool(true)),
        "false" | "False" | "FALSE" => return (BOOL_TAG, Resolved::Bool(false)),
        "" | "~" | "null" | "Null" | "NULL" => return (NULL_TAG, Resolved::Null),
        ".nan" | ".NaN" | ".NAN" => return (FLOAT_TAG, Resolved::Float(f64::NAN)),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return (FLOAT_TAG, Resolved::Float(f64::INFINITY))
        }
        "-.inf" | "-.Inf" | "-.INF" => return (FLOAT_TAG, Resolved::Float(f64::NEG_INFINITY)),
        "<<" => return (MERGE_TAG, Resolved::Str(value.to_owned())),
        _ => {}
    }
    let first = value.as_bytes().first().copied().unwrap_or(b'N');
    match first {
        b'.' => {
            if let Some(f) = go_parse_float(value) {
                return (FLOAT_TAG, Resolved::Float(f));
            }
        }
        b'+' | b'-' | b'0'..=b'9' => {
            if timestamps && looks_like_timestamp(value) {
                return (TIMESTAMP_TAG, Resolved::Timestamp);
            }
            let plain: String = value.chars().filter(|&c| c != '_').collect();
            if let Some(i) = go_parse_int_base0(&plain) {
                return (INT_TAG, Resolved::Int(i));
            }
            if is_yaml_style_float(&plain) {
                if let Some(f) = go_parse_float(&plain) {
                    return (FLOAT_TAG, Resolved::Float(f));
                }
            }
            // The explicit 0b/-0b/0o/-0o branches only add cases strconv already handled.
        }
        _ => {}
    }
    (STR_TAG, Resolved::Str(value.to_owned()))
}

/// goyaml.v2 `resolve(tag, in)` (sigs.k8s.io/yaml goyaml.v2/resolve.go), as kubectl's YAML to
/// JSON conversion sees it: `tag` is the explicit short tag or empty for a plain untagged scalar.
/// Timestamps stay strings (goyaml.v2 decode.go keeps them as text when decoding into
/// `interface{}`). An `Err` is go-yaml's `failf` text (without `yaml: `).
pub(crate) fn resolve_v2(tag: &str, value: &str) -> Result<(String, Resolved), String> {
    let tag = short_tag(tag);
    if let Some(kept) = unresolved(&tag, value) {
        return kept.map(|v| (tag, v));
    }
    let (rtag, out) = if tag == STR_TAG {
        (STR_TAG, Resolved::Str(value.to_owned()))
    } else {
        resolve_v2_untagged(value, tag.is_empty() || tag == TIMESTAMP_TAG)
    };
    if tag.is_empty() || tag == rtag || tag == STR_TAG {
        return Ok((rtag.to_owned(), out));
    }
    if tag == FLOAT_TAG && rtag == INT_TAG {
        if let Resolved::Int(i) = out {
            return Ok((FLOAT_TAG.to_owned(), Resolved::Float(i as f64)));
        }
    }
    Err(format!("cannot decode {rtag} `{value}` as a {tag}"))
}

/// goyaml.v2's hint table and lookups (`resolveTable`, `resolveMap`).
fn resolve_v2_untagged(value: &str, timestamps: bool) -> (&'static str, Resolved) {
    match value {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return (BOOL_TAG, Resolved::Bool(true))
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return (BOOL_TAG, Resolved::Bool(false))
        }
        "" | "~" | "null" | "Null" | "NULL" => return (NULL_TAG, Resolved::Null),
        ".nan" | ".NaN" | ".NAN" => return (FLOAT_TAG, Resolved::Float(f64::NAN)),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return (FLOAT_TAG, Resolved::Float(f64::INFINITY))
        }
        "-.inf" | "-.Inf" | "-.INF" => return (FLOAT_TAG, Resolved::Float(f64::NEG_INFINITY)),
        _ => {}
    }
    match value.as_bytes().first().copied().unwrap_or(b'N') {
        b'.' => {
            if let Some(f) = go_parse_float(value) {
                return (FLOAT_TAG, Resolved::Float(f));
            }
        }
        b'+' | b'-' | b'0'..=b'9' => {
            if timestamps && looks_like_timestamp(value) {
                return (TIMESTAMP_TAG, Resolved::Str(value.to_owned()));
            }
            let plain: String = value.chars().filter(|&c| c != '_').collect();
            if let Some(i) = go_parse_int_base0(&plain) {
                return (INT_TAG, Resolved::Int(i));
            }
            if is_yaml_style_float(&plain) {
                if let Some(f) = go_parse_float(&plain) {
                    return (FLOAT_TAG, Resolved::Float(f));
                }
            }
        }
        _ => {}
    }
    (STR_TAG, Resolved::Str(value.to_owned()))
}

/// strconv.ParseInt(s, 0, 64), falling back to ParseUint(s, 0, 64), as resolve tries them.
fn go_parse_int_base0(s: &str) -> Option<i128> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, s.get(1..)?),
        Some(b'+') => (false, s.get(1..)?),
        _ => (false, s),
    };
    let signed = s.starts_with(['+', '-']);
    let lower = body.to_ascii_lowercase();
    let (radix, digits) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d.to_owned())
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d.to_owned())
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d.to_owned())
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, lower.get(1..)?.to_owned())
    } else {
        (10, lower)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let mag = u128::from_str_radix(&digits, radix).ok()?;
    let v = i128::try_from(mag).ok()?;
    let v = if neg { -v } else { v };
    // ParseInt: int64 range; ParseUint (no sign allowed): uint64 range.
    let fits_int64 = v >= i128::from(i64::MIN) && v <= i128::from(i64::MAX);
    let fits_uint64 = !signed && v >= 0 && v <= i128::from(u64::MAX);
    (fits_int64 || fits_uint64).then_some(v)
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`, by hand.
fn is_yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'-' | b'+')) {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// strconv.ParseFloat for the decimal forms YAML uses (no hex floats, no "inf" words).
fn go_parse_float(s: &str) -> Option<f64> {
    let body = s.strip_prefix('+').unwrap_or(s);
    if body.is_empty()
        || body
            .chars()
            .any(|c| c.is_ascii_alphabetic() && c != 'e' && c != 'E')
    {
        return None;
    }
    body.parse::<f64>().ok()
}

/// goyaml.v3 `parseTimestamp`, approximated: `YYYY-M-D`, optionally followed by a time.
fn looks_like_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let year_digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if year_digits != 4 || b.get(4) != Some(&b'-') {
        return false;
    }
    let rest = s.get(5..).unwrap_or("");
    let (date, time) = match rest.find(['T', 't', ' ']) {
        Some(i) => (rest.get(..i).unwrap_or(""), rest.get(i + 1..)),
        None => (rest, None),
    };
    let mut parts = date.split('-');
    let ok_num = |p: Option<&str>, max: u32| {
        p.is_some_and(|p| {
            (1..=2).contains(&p.len())
                && p.chars().all(|c| c.is_ascii_digit())
                && p.parse::<u32>().is_ok_and(|v| (1..=max).contains(&v))
        })
    };
    if !ok_num(parts.next(), 12) || !ok_num(parts.next(), 31) || parts.next().is_some() {
        return false;
    }
    match time {
        None => true,
        Some(t) => {
            let hms: Vec<&str> = t.split(':').collect();
            hms.len() == 3
                && hms
                    .iter()
                    .take(2)
                    .all(|p| (1..=2).contains(&p.len()) && p.chars().all(|c| c.is_ascii_digit()))
        }
    }
}

/// base64.StdEncoding.DecodeString (go-yaml decodes `!!binary` with it); `None` when invalid.
fn base64_decode(s: &str) -> Option<String> {
    crate::base64::decode(s)
        .ok()
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_scalars_resolve_like_go_yaml() {
        let cases: &[(&str, &str)] = &[
            ("80", INT_TAG),
            ("-1", INT_TAG),
            ("0x50", INT_TAG),
            ("0o17", INT_TAG),
            ("017", INT_TAG),
            ("08", FLOAT_TAG),
            ("1_000", INT_TAG),
            ("18446744073709551615", INT_TAG),
            ("1e3", FLOAT_TAG),
            (".5", FLOAT_TAG),
            ("6443.5", FLOAT_TAG),
            ("true", BOOL_TAG),
            ("yes", STR_TAG),
            ("~", NULL_TAG),
            ("", NULL_TAG),
            ("2024-01-02", TIMESTAMP_TAG),
            ("10.244.0.0/16", STR_TAG),
            ("1.2.3", STR_TAG),
            ("<<", MERGE_TAG),
            ("worker", STR_TAG),
        ];
        for (value, tag) in cases {
            assert_eq!(resolve_plain_tag(value), *tag, "{value}");
        }
    }

    #[test]
    fn v2_resolves_yaml_1_1_booleans() {
        for (value, want) in [
            ("yes", Resolved::Bool(true)),
            ("On", Resolved::Bool(true)),
            ("n", Resolved::Bool(false)),
            ("OFF", Resolved::Bool(false)),
            ("80", Resolved::Int(80)),
            ("2024-01-02", Resolved::Str("2024-01-02".to_owned())),
            ("nginx", Resolved::Str("nginx".to_owned())),
        ] {
            assert_eq!(resolve_v2("", value).map(|r| r.1), Ok(want), "{value}");
        }
        assert_eq!(
            resolve_v2("!!str", "yes"),
            Ok((STR_TAG.to_owned(), Resolved::Str("yes".to_owned())))
        );
        assert_eq!(
            resolve_v2("!!int", "yes"),
            Err("cannot decode !!bool `yes` as a !!int".to_owned())
        );
    }

    #[test]
    fn explicit_tags() {
        assert_eq!(
            resolve("!!int", "abc"),
            Err("cannot decode !!str `abc` as a !!int".to_owned())
        );
        assert_eq!(
            resolve("tag:yaml.org,2002:float", "3"),
            Ok((FLOAT_TAG.to_owned(), Resolved::Float(3.0)))
        );
        assert_eq!(
            resolve("!!binary", "aGVsbG8="),
            Ok((BINARY_TAG.to_owned(), Resolved::Str("hello".to_owned())))
        );
        assert_eq!(short_tag("tag:yaml.org,2002:str"), STR_TAG);
        assert_eq!(short_tag("!custom"), "!custom");
    }
}
