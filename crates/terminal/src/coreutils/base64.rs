//! GNU coreutils 9.1 `base64 [-d] [-i] [-w COLS] [FILE]`: encodes standard input or a file,
//! wrapping lines at 76 columns (`-w 0`: no wrapping), or with `-d` decodes it, skipping
//! newlines (and with `-i` every other character outside the alphabet). Invalid input prints
//! what decoded before it, then `base64: invalid input`, and fails. The learner reads a
//! Secret's value with `kubectl get secret … -o jsonpath='{.data.k}' | base64 -d`.

use crate::io::Output;

use super::{inputs, usage, Env};

/// GNU's default line length for encoded output.
const DEFAULT_WRAP: usize = 76;

pub fn base64(args: &[String], stdin: &str, env: &mut dyn Env) -> Output {
    let mut decode = false;
    let mut ignore_garbage = false;
    let mut wrap = DEFAULT_WRAP;
    let mut files: Vec<String> = Vec::new();
    let mut i = 0;
    while let Some(a) = args.get(i) {
        i += 1;
        let wrap_value = match a.as_str() {
            "-d" | "--decode" => {
                decode = true;
                continue;
            }
            "-i" | "--ignore-garbage" => {
                ignore_garbage = true;
                continue;
            }
            "-w" | "--wrap" => {
                let Some(v) = args.get(i) else {
                    return usage("base64", "option requires an argument -- 'w'", 1);
                };
                i += 1;
                v.clone()
            }
            other => {
                if let Some(v) = other.strip_prefix("--wrap=") {
                    v.to_string()
                } else if let Some(v) = other.strip_prefix("-w") {
                    v.to_string()
                } else if other.starts_with('-') && other != "-" {
                    let shown = other.trim_start_matches('-');
                    let message = if other.starts_with("--") {
                        format!("unrecognized option '--{shown}'")
                    } else {
                        format!(
                            "invalid option -- '{}'",
                            shown.chars().next().unwrap_or('-')
                        )
                    };
                    return usage("base64", &message, 1);
                } else {
                    files.push(other.to_string());
                    continue;
                }
            }
        };
        match wrap_value.parse::<usize>() {
            Ok(n) => wrap = n,
            Err(_) => {
                let mut o = Output::status(1);
                o.err(format!("base64: invalid wrap size: '{wrap_value}'\n"));
                return o;
            }
        }
    }
    if files.len() > 1 {
        return usage("base64", &format!("extra operand '{}'", files[1]), 1);
    }
    let mut out = Output::default();
    let (read, failed) = inputs("base64", &files, stdin, env, &mut out);
    if failed {
        out.status = 1;
        return out;
    }
    let text: String = read.into_iter().map(|(_, t)| t).collect();
    if decode {
        decode_text(&text, ignore_garbage, &mut out);
    } else {
        out.out(encode_text(text.as_bytes(), wrap));
    }
    out
}

/// The encoding in lines of `wrap` characters, ending with a newline (none for no input).
fn encode_text(bytes: &[u8], wrap: usize) -> String {
    let encoded = svclab_sim::base64::encode(bytes);
    if encoded.is_empty() {
        return encoded;
    }
    if wrap == 0 {
        return format!("{encoded}\n");
    }
    let mut out = String::with_capacity(encoded.len() + encoded.len() / wrap + 1);
    for line in encoded.as_bytes().chunks(wrap) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push('\n');
    }
    out
}

fn decode_text(text: &str, ignore_garbage: bool, out: &mut Output) {
    let in_alphabet = |c: char| c.is_ascii_alphanumeric() || c == '+' || c == '/' || c == '=';
    let cleaned: String = text
        .chars()
        .filter(|c| *c != '\n' && (!ignore_garbage || in_alphabet(*c)))
        .collect();
    match svclab_sim::base64::decode(&cleaned) {
        Ok(bytes) => out.out(String::from_utf8_lossy(&bytes).into_owned()),
        Err(at) => {
            // What the whole quanta before the bad one hold is written first.
            let good = cleaned.get(..at / 4 * 4).unwrap_or_default();
            if let Ok(bytes) = svclab_sim::base64::decode(good) {
                out.out(String::from_utf8_lossy(&bytes).into_owned());
            }
            out.err("base64: invalid input\n");
            out.status = 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_wraps_at_76_columns() {
        let long = encode_text(&[b'a'; 60], DEFAULT_WRAP);
        let lines: Vec<&str> = long.lines().collect();
        assert_eq!(lines.iter().map(|l| l.len()).collect::<Vec<_>>(), [76, 4]);
        assert_eq!(encode_text(b"hunter2", 0), "aHVudGVyMg==\n");
        assert_eq!(encode_text(b"", 76), "");
    }

    #[test]
    fn bad_input_keeps_what_decoded_before_it() {
        let mut out = Output::default();
        decode_text("aGVsbG8gd29ybGQ=!!", false, &mut out);
        assert_eq!(out.status, 1);
        assert_eq!(out.stdout(), "hello world");
        assert_eq!(out.stderr(), "base64: invalid input\n");
        let mut out = Output::default();
        decode_text("aGVs\nbG8=\n", false, &mut out);
        assert_eq!((out.stdout().as_str(), out.status), ("hello", 0));
        let mut out = Output::default();
        decode_text("aGVs*bG8=", true, &mut out);
        assert_eq!(out.stdout(), "hello");
    }
}
