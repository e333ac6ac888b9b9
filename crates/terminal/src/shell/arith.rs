//! Shell arithmetic: `$(( … ))` and `(( … ))` with 64-bit wrapping integers, as bash.
//!
//! Supported: decimal/octal/hex literals, variables (their values are themselves evaluated),
//! `+ - * / % **`, unary `- + ! ~`, comparisons, `&& ||`, bit operators, `?:`, `=`, `op=`,
//! `++`/`--` and parentheses. Errors use bash's wording (`division by 0 (error token is "0")`).

/// Reads and writes shell variables for the evaluator.
pub trait Vars {
    /// A variable's value (`None` when unset).
    fn get(&self, name: &str) -> Option<String>;
    /// Sets a variable.
    fn set(&mut self, name: &str, value: String);
}

#[derive(Clone, Debug, PartialEq)]
enum T {
    Num(i64),
    Name(String),
    Op(&'static str),
}

const OPS: &[&str] = &[
    "**=", "<<=", ">>=", "**", "<=", ">=", "==", "!=", "&&", "||", "<<", ">>", "++", "--", "+=",
    "-=", "*=", "/=", "%=", "&=", "|=", "^=", "+", "-", "*", "/", "%", "<", ">", "!", "~", "&",
    "|", "^", "?", ":", "=", "(", ")", ",",
];

/// Cap on nested evaluation (a variable whose value names another variable, parentheses).
const MAX_DEPTH: usize = 64;

struct Eval<'a> {
    toks: Vec<(T, usize)>,
    pos: usize,
    text: &'a str,
    vars: &'a mut dyn Vars,
    depth: usize,
    /// When false, assignments and `++` are parsed but not performed (the branch not taken
    /// by `&&`, `||` or `?:`).
    live: bool,
}

fn lex(text: &str) -> Result<Vec<(T, usize)>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let byte_at = |i: usize| chars.iter().take(i).map(|c| c.len_utf8()).sum::<usize>();
    while let Some(&c) = chars.get(i) {
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let start = byte_at(i);
        if c.is_ascii_digit() {
            let mut j = i;
            while chars
                .get(j)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '#' || *c == '_')
            {
                j += 1;
            }
            let lit: String = chars[i..j].iter().collect();
            let value = parse_number(&lit).ok_or_else(|| {
                format!(
                    "{}: value too great for base (error token is \"{}\")",
                    text.trim(),
                    lit
                )
            })?;
            out.push((T::Num(value), start));
            i = j;
            continue;
        }
        if c == '_' || c.is_ascii_alphabetic() {
            let mut j = i;
            while chars
                .get(j)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_')
            {
                j += 1;
            }
            out.push((T::Name(chars[i..j].iter().collect()), start));
            i = j;
            continue;
        }
        let rest: String = chars[i..chars.len().min(i + 3)].iter().collect();
        match OPS.iter().find(|op| rest.starts_with(**op)) {
            Some(op) => {
                out.push((T::Op(op), start));
                i += op.len();
            }
            None => {
                let tail: String = chars[i..].iter().collect();
                return Err(format!(
                    "{}: syntax error: invalid arithmetic operator (error token is \"{}\")",
                    text.trim(),
                    tail
                ));
            }
        }
    }
    Ok(out)
}

fn parse_number(lit: &str) -> Option<i64> {
    if let Some(hex) = lit.strip_prefix("0x").or_else(|| lit.strip_prefix("0X")) {
        return u64::from_str_radix(hex, 16).ok().map(|v| v as i64);
    }
    if let Some((base, digits)) = lit.split_once('#') {
        let base: u32 = base.parse().ok()?;
        if !(2..=36).contains(&base) {
            return None;
        }
        return u64::from_str_radix(digits, base).ok().map(|v| v as i64);
    }
    if lit.len() > 1 && lit.starts_with('0') {
        return u64::from_str_radix(&lit[1..], 8).ok().map(|v| v as i64);
    }
    lit.parse::<u64>().ok().map(|v| v as i64)
}

/// Evaluates an arithmetic expression; the error is bash's message without the `bash: `.
pub fn eval(text: &str, vars: &mut dyn Vars) -> Result<i64, String> {
    eval_depth(text, vars, 0)
}

fn eval_depth(text: &str, vars: &mut dyn Vars, depth: usize) -> Result<i64, String> {
    if depth > MAX_DEPTH {
        return Err(format!(
            "{}: expression recursion level exceeded",
            text.trim()
        ));
    }
    let toks = lex(text)?;
    if toks.is_empty() {
        return Ok(0);
    }
    let mut e = Eval {
        toks,
        pos: 0,
        text,
        vars,
        depth,
        live: true,
    };
    let v = e.comma()?;
    if e.pos < e.toks.len() {
        return Err(e.error("syntax error in expression"));
    }
    Ok(v)
}

impl Eval<'_> {
    fn peek(&self) -> Option<&T> {
        self.toks.get(self.pos).map(|(t, _)| t)
    }

    fn is_op(&self, op: &str) -> bool {
        matches!(self.peek(), Some(T::Op(o)) if *o == op)
    }

    fn error(&self, what: &str) -> String {
        // At the end of the text bash points at the last token read.
        let at = match self.toks.get(self.pos) {
            Some((_, p)) => *p,
            None => self.toks.last().map(|(_, p)| *p).unwrap_or(self.text.len()),
        };
        let token = self.text.get(at..).unwrap_or("");
        format!(
            "{}: {} (error token is \"{}\")",
            self.text.trim_start(),
            what,
            token
        )
    }

    fn var_value(&mut self, name: &str) -> Result<i64, String> {
        let v = self.vars.get(name).unwrap_or_default();
        let v = v.trim();
        if v.is_empty() {
            return Ok(0);
        }
        if let Ok(n) = v.parse::<i64>() {
            return Ok(n);
        }
        eval_depth(v, self.vars, self.depth + 1)
    }

    fn comma(&mut self) -> Result<i64, String> {
        let mut v = self.assign()?;
        while self.is_op(",") {
            self.pos += 1;
            v = self.assign()?;
        }
        Ok(v)
    }

    fn assign(&mut self) -> Result<i64, String> {
        if let (Some(T::Name(name)), Some(T::Op(op))) = (
            self.toks.get(self.pos).map(|t| t.0.clone()),
            self.toks.get(self.pos + 1).map(|t| t.0.clone()),
        ) {
            if matches!(
                op,
                "=" | "+=" | "-=" | "*=" | "/=" | "%=" | "**=" | "<<=" | ">>=" | "&=" | "|=" | "^="
            ) {
                self.pos += 2;
                let rhs = self.assign()?;
                let value = if op == "=" {
                    rhs
                } else {
                    let cur = self.var_value(&name)?;
                    self.binary(&op[..op.len() - 1], cur, rhs)?
                };
                if self.live {
                    self.vars.set(&name, value.to_string());
                }
                return Ok(value);
            }
        }
        self.ternary()
    }

    fn ternary(&mut self) -> Result<i64, String> {
        let cond = self.binary_level(0)?;
        if !self.is_op("?") {
            return Ok(cond);
        }
        self.pos += 1;
        let live = self.live;
        self.live = live && cond != 0;
        let a = self.assign()?;
        if !self.is_op(":") {
            self.live = live;
            return Err(self.error("`:' expected for conditional expression"));
        }
        self.pos += 1;
        self.live = live && cond == 0;
        let b = self.assign()?;
        self.live = live;
        Ok(if cond != 0 { a } else { b })
    }

    fn binary_level(&mut self, level: usize) -> Result<i64, String> {
        const LEVELS: &[&[&str]] = &[
            &["||"],
            &["&&"],
            &["|"],
            &["^"],
            &["&"],
            &["==", "!="],
            &["<", ">", "<=", ">="],
            &["<<", ">>"],
            &["+", "-"],
            &["*", "/", "%"],
        ];
        let Some(ops) = LEVELS.get(level) else {
            return self.power();
        };
        let mut lhs = self.binary_level(level + 1)?;
        loop {
            let op = match self.peek() {
                Some(T::Op(o)) if ops.contains(o) => *o,
                _ => return Ok(lhs),
            };
            let op_pos = self.pos;
            self.pos += 1;
            let live = self.live;
            if (op == "&&" && lhs == 0) || (op == "||" && lhs != 0) {
                self.live = false;
            }
            let rhs = self.binary_level(level + 1);
            self.live = live;
            let rhs = rhs?;
            lhs = match op {
                "&&" => i64::from(lhs != 0 && rhs != 0),
                "||" => i64::from(lhs != 0 || rhs != 0),
                _ => {
                    if matches!(op, "/" | "%") && rhs == 0 {
                        if !live {
                            0
                        } else {
                            self.pos = op_pos + 1;
                            return Err(self.error("division by 0"));
                        }
                    } else {
                        self.binary(op, lhs, rhs)?
                    }
                }
            };
        }
    }

    fn binary(&self, op: &str, a: i64, b: i64) -> Result<i64, String> {
        Ok(match op {
            "+" => a.wrapping_add(b),
            "-" => a.wrapping_sub(b),
            "*" => a.wrapping_mul(b),
            "/" | "%" if b == 0 => return Err(self.error("division by 0")),
            "/" => a.wrapping_div(b),
            "%" => a.wrapping_rem(b),
            "**" => {
                if b < 0 {
                    return Err(self.error("exponent less than 0"));
                }
                a.wrapping_pow(b.min(u32::MAX as i64) as u32)
            }
            "<<" => a.wrapping_shl(b as u32),
            ">>" => a.wrapping_shr(b as u32),
            "&" => a & b,
            "|" => a | b,
            "^" => a ^ b,
            "==" => i64::from(a == b),
            "!=" => i64::from(a != b),
            "<" => i64::from(a < b),
            ">" => i64::from(a > b),
            "<=" => i64::from(a <= b),
            ">=" => i64::from(a >= b),
            _ => return Err(self.error("syntax error in expression")),
        })
    }

    fn power(&mut self) -> Result<i64, String> {
        let base = self.unary()?;
        if self.is_op("**") {
            self.pos += 1;
            let exp = self.power()?;
            return self.binary("**", base, exp);
        }
        Ok(base)
    }

    fn unary(&mut self) -> Result<i64, String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH + 64 {
            return Err(self.error("expression recursion level exceeded"));
        }
        let r = self.unary_inner();
        self.depth -= 1;
        r
    }

    fn unary_inner(&mut self) -> Result<i64, String> {
        match self.peek().cloned() {
            Some(T::Op(op @ ("-" | "+" | "!" | "~"))) => {
                self.pos += 1;
                let v = self.unary()?;
                Ok(match op {
                    "-" => v.wrapping_neg(),
                    "+" => v,
                    "!" => i64::from(v == 0),
                    _ => !v,
                })
            }
            Some(T::Op(op @ ("++" | "--"))) => {
                self.pos += 1;
                let Some(T::Name(name)) = self.peek().cloned() else {
                    return Err(self.error("syntax error: operand expected"));
                };
                self.pos += 1;
                let v = self.var_value(&name)?;
                let v = if op == "++" {
                    v.wrapping_add(1)
                } else {
                    v.wrapping_sub(1)
                };
                if self.live {
                    self.vars.set(&name, v.to_string());
                }
                Ok(v)
            }
            Some(T::Op("(")) => {
                self.pos += 1;
                let v = self.comma()?;
                if !self.is_op(")") {
                    return Err(self.error("missing `)'"));
                }
                self.pos += 1;
                Ok(v)
            }
            Some(T::Num(n)) => {
                self.pos += 1;
                Ok(n)
            }
            Some(T::Name(name)) => {
                self.pos += 1;
                let v = self.var_value(&name)?;
                if let Some(T::Op(op @ ("++" | "--"))) = self.peek().cloned() {
                    self.pos += 1;
                    let nv = if op == "++" {
                        v.wrapping_add(1)
                    } else {
                        v.wrapping_sub(1)
                    };
                    if self.live {
                        self.vars.set(&name, nv.to_string());
                    }
                }
                Ok(v)
            }
            _ => Err(self.error("syntax error: operand expected")),
        }
    }
}
