//! A minimal `awk`: `-F SEP`, `-v NAME=VALUE`, rules `PATTERN { ACTIONS }` with `BEGIN`, `END`,
//! `/regex/`, expressions; actions `print` (`,` joins with a space), `printf`, assignments
//! (`=`, `+=`, `-=`, `++`); fields `$0 $1 $NF`, `NF`, `NR`, string and number literals,
//! concatenation, arithmetic, comparisons, `~`, `&&`, `||`, `!`, `length`, `toupper`, `tolower`.
//! Enough for the one-liners tutorials use (`awk '{print $1}'`, `awk -F: '{print $1, $3}'`).

use std::collections::BTreeMap;

use super::regex::Regex;
use super::{inputs, lines, Env};
use crate::io::Output;

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Num(f64),
    Str(String),
    Re(String),
    Name(String),
    Op(String),
}

#[derive(Clone, Debug)]
enum Expr {
    Num(f64),
    Str(String),
    Re(String),
    Var(String),
    Field(Box<Expr>),
    Bin(String, Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    Concat(Vec<Expr>),
    Assign(String, Box<Expr>, Box<Expr>),
    Incr(Box<Expr>, f64),
    Call(String, Vec<Expr>),
}

#[derive(Clone, Debug)]
enum Stmt {
    Print(Vec<Expr>),
    Printf(Vec<Expr>),
    Expr(Expr),
}

#[derive(Clone, Debug)]
enum Pattern {
    All,
    Begin,
    End,
    Expr(Expr),
}

/// A pattern and its action (`None`: print the record).
type Rule = (Pattern, Option<Vec<Stmt>>);

const MAX_DEPTH: usize = 100;

fn lex(src: &str) -> Result<Vec<Tok>, String> {
    let c: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&ch) = c.get(i) {
        if ch == ' ' || ch == '\t' {
            i += 1;
            continue;
        }
        if ch == '\n' || ch == ';' {
            out.push(Tok::Op(";".into()));
            i += 1;
            continue;
        }
        if ch == '#' {
            while c.get(i).is_some_and(|c| *c != '\n') {
                i += 1;
            }
            continue;
        }
        if ch.is_ascii_digit() || (ch == '.' && c.get(i + 1).is_some_and(|d| d.is_ascii_digit())) {
            let mut j = i;
            while c.get(j).is_some_and(|d| d.is_ascii_digit() || *d == '.') {
                j += 1;
            }
            let s: String = c[i..j].iter().collect();
            out.push(Tok::Num(
                s.parse().map_err(|_| format!("invalid number {s}"))?,
            ));
            i = j;
            continue;
        }
        if ch == '_' || ch.is_ascii_alphabetic() {
            let mut j = i;
            while c
                .get(j)
                .is_some_and(|d| *d == '_' || d.is_ascii_alphanumeric())
            {
                j += 1;
            }
            out.push(Tok::Name(c[i..j].iter().collect()));
            i = j;
            continue;
        }
        if ch == '"' {
            let mut s = String::new();
            i += 1;
            loop {
                match c.get(i) {
                    None => return Err("unterminated string".into()),
                    Some('"') => break,
                    Some('\\') => {
                        i += 1;
                        match c.get(i) {
                            Some('n') => s.push('\n'),
                            Some('t') => s.push('\t'),
                            Some(&o) => s.push(o),
                            None => {}
                        }
                    }
                    Some(&o) => s.push(o),
                }
                i += 1;
            }
            i += 1;
            out.push(Tok::Str(s));
            continue;
        }
        // A `/` starts a regex where an operand is expected (not after a value or `)`).
        let operand_expected = match out.last() {
            None => true,
            Some(Tok::Num(_) | Tok::Str(_) | Tok::Name(_) | Tok::Re(_)) => false,
            Some(Tok::Op(o)) => o != ")",
        };
        if ch == '/' && operand_expected {
            let mut s = String::new();
            i += 1;
            loop {
                match c.get(i) {
                    None => return Err("unterminated regexp".into()),
                    Some('/') => break,
                    Some('\\') if c.get(i + 1) == Some(&'/') => {
                        s.push('/');
                        i += 1;
                    }
                    Some(&o) => s.push(o),
                }
                i += 1;
            }
            i += 1;
            out.push(Tok::Re(s));
            continue;
        }
        let two: String = c[i..c.len().min(i + 2)].iter().collect();
        let op = [
            "==", "!=", "<=", ">=", "&&", "||", "+=", "-=", "*=", "/=", "++", "--", "!~",
        ]
        .iter()
        .find(|o| two == **o)
        .map(|o| o.to_string())
        .unwrap_or_else(|| ch.to_string());
        i += op.chars().count();
        out.push(Tok::Op(op));
    }
    Ok(out)
}

struct Parser {
    t: Vec<Tok>,
    i: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.t.get(self.i)
    }

    fn is(&self, op: &str) -> bool {
        matches!(self.peek(), Some(Tok::Op(o)) if o == op)
    }

    fn eat(&mut self, op: &str) -> bool {
        if self.is(op) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn skip_semis(&mut self) {
        while self.eat(";") {}
    }

    fn program(&mut self) -> Result<Vec<Rule>, String> {
        let mut rules = Vec::new();
        loop {
            self.skip_semis();
            let Some(tok) = self.peek().cloned() else {
                break;
            };
            let pattern = match tok {
                Tok::Name(n) if n == "BEGIN" => {
                    self.i += 1;
                    Pattern::Begin
                }
                Tok::Name(n) if n == "END" => {
                    self.i += 1;
                    Pattern::End
                }
                Tok::Op(o) if o == "{" => Pattern::All,
                _ => Pattern::Expr(self.expr(false)?),
            };
            let action = if self.eat("{") {
                let body = self.block()?;
                Some(body)
            } else {
                None
            };
            rules.push((pattern, action));
        }
        Ok(rules)
    }

    fn block(&mut self) -> Result<Vec<Stmt>, String> {
        let mut stmts = Vec::new();
        loop {
            self.skip_semis();
            if self.eat("}") {
                return Ok(stmts);
            }
            if self.peek().is_none() {
                return Err("unexpected end of program".into());
            }
            stmts.push(self.stmt()?);
        }
    }

    fn stmt(&mut self) -> Result<Stmt, String> {
        match self.peek() {
            Some(Tok::Name(n)) if n == "print" || n == "printf" => {
                let printf = n == "printf";
                self.i += 1;
                let mut args = Vec::new();
                if !(self.is(";") || self.is("}") || self.peek().is_none()) {
                    args.push(self.expr(true)?);
                    while self.eat(",") {
                        args.push(self.expr(true)?);
                    }
                }
                Ok(if printf {
                    Stmt::Printf(args)
                } else {
                    Stmt::Print(args)
                })
            }
            _ => Ok(Stmt::Expr(self.expr(false)?)),
        }
    }

    /// `no_gt`: inside print, where `>` would be a redirection.
    fn expr(&mut self, no_gt: bool) -> Result<Expr, String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err("expression nested too deeply".into());
        }
        let r = self.assign(no_gt);
        self.depth -= 1;
        r
    }

    fn assign(&mut self, no_gt: bool) -> Result<Expr, String> {
        let lhs = self.or(no_gt)?;
        for op in ["=", "+=", "-=", "*=", "/="] {
            if self.is(op) && matches!(lhs, Expr::Var(_) | Expr::Field(_)) {
                self.i += 1;
                let rhs = self.assign(no_gt)?;
                return Ok(Expr::Assign(op.to_string(), Box::new(lhs), Box::new(rhs)));
            }
        }
        Ok(lhs)
    }

    fn or(&mut self, no_gt: bool) -> Result<Expr, String> {
        let mut l = self.and(no_gt)?;
        while self.eat("||") {
            let r = self.and(no_gt)?;
            l = Expr::Bin("||".into(), Box::new(l), Box::new(r));
        }
        Ok(l)
    }

    fn and(&mut self, no_gt: bool) -> Result<Expr, String> {
        let mut l = self.cmp(no_gt)?;
        while self.eat("&&") {
            let r = self.cmp(no_gt)?;
            l = Expr::Bin("&&".into(), Box::new(l), Box::new(r));
        }
        Ok(l)
    }

    fn cmp(&mut self, no_gt: bool) -> Result<Expr, String> {
        let l = self.concat(no_gt)?;
        for op in ["==", "!=", "<=", ">=", "<", ">", "~", "!~"] {
            if op == ">" && no_gt {
                continue;
            }
            if self.is(op) {
                self.i += 1;
                let r = self.concat(no_gt)?;
                return Ok(Expr::Bin(op.into(), Box::new(l), Box::new(r)));
            }
        }
        Ok(l)
    }

    fn concat(&mut self, no_gt: bool) -> Result<Expr, String> {
        let mut parts = vec![self.additive()?];
        while matches!(self.peek(), Some(Tok::Num(_) | Tok::Str(_) | Tok::Name(_)))
            || self.is("$")
            || self.is("(")
        {
            if matches!(self.peek(), Some(Tok::Name(n)) if n == "in" || n == "print") {
                break;
            }
            parts.push(self.additive()?);
        }
        let _ = no_gt;
        Ok(if parts.len() == 1 {
            parts.pop().unwrap_or(Expr::Num(0.0))
        } else {
            Expr::Concat(parts)
        })
    }

    fn additive(&mut self) -> Result<Expr, String> {
        let mut l = self.mul()?;
        loop {
            let op = if self.is("+") {
                "+"
            } else if self.is("-") {
                "-"
            } else {
                return Ok(l);
            };
            self.i += 1;
            let r = self.mul()?;
            l = Expr::Bin(op.into(), Box::new(l), Box::new(r));
        }
    }

    fn mul(&mut self) -> Result<Expr, String> {
        let mut l = self.unary()?;
        loop {
            let op = ["*", "/", "%"].into_iter().find(|o| self.is(o));
            let Some(op) = op else { return Ok(l) };
            self.i += 1;
            let r = self.unary()?;
            l = Expr::Bin(op.into(), Box::new(l), Box::new(r));
        }
    }

    fn unary(&mut self) -> Result<Expr, String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err("expression nested too deeply".into());
        }
        let r = self.unary_inner();
        self.depth -= 1;
        r
    }

    fn unary_inner(&mut self) -> Result<Expr, String> {
        if self.eat("!") {
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        if self.eat("-") {
            return Ok(Expr::Neg(Box::new(self.unary()?)));
        }
        if self.eat("+") {
            return self.unary();
        }
        if self.eat("++") {
            return Ok(Expr::Incr(Box::new(self.primary()?), 1.0));
        }
        if self.eat("--") {
            return Ok(Expr::Incr(Box::new(self.primary()?), -1.0));
        }
        let p = self.primary()?;
        if self.eat("++") {
            return Ok(Expr::Bin(
                "post".into(),
                Box::new(Expr::Incr(Box::new(p), 1.0)),
                Box::new(Expr::Num(1.0)),
            ));
        }
        if self.eat("--") {
            return Ok(Expr::Bin(
                "post".into(),
                Box::new(Expr::Incr(Box::new(p), -1.0)),
                Box::new(Expr::Num(-1.0)),
            ));
        }
        Ok(p)
    }

    fn primary(&mut self) -> Result<Expr, String> {
        let Some(tok) = self.peek().cloned() else {
            return Err("unexpected end of program".into());
        };
        self.i += 1;
        match tok {
            Tok::Num(n) => Ok(Expr::Num(n)),
            Tok::Str(s) => Ok(Expr::Str(s)),
            Tok::Re(r) => Ok(Expr::Re(r)),
            Tok::Op(o) if o == "$" => Ok(Expr::Field(Box::new(self.unary()?))),
            Tok::Op(o) if o == "(" => {
                let e = self.expr(false)?;
                if !self.eat(")") {
                    return Err("missing )".into());
                }
                Ok(e)
            }
            Tok::Name(n) => {
                if self.is("(")
                    && matches!(
                        n.as_str(),
                        "length" | "toupper" | "tolower" | "substr" | "int" | "index"
                    )
                {
                    self.i += 1;
                    let mut args = Vec::new();
                    if !self.is(")") {
                        args.push(self.expr(false)?);
                        while self.eat(",") {
                            args.push(self.expr(false)?);
                        }
                    }
                    if !self.eat(")") {
                        return Err("missing )".into());
                    }
                    return Ok(Expr::Call(n, args));
                }
                if n == "length" {
                    return Ok(Expr::Call(n, Vec::new()));
                }
                Ok(Expr::Var(n))
            }
            Tok::Op(o) => Err(format!("syntax error at source line 1 near '{o}'")),
        }
    }
}

struct Run {
    vars: BTreeMap<String, String>,
    fields: Vec<String>,
    record: String,
    fs: String,
    nr: usize,
    out: String,
}

fn num(s: &str) -> f64 {
    let t = s.trim_start();
    let mut end = 0;
    for (i, c) in t.char_indices() {
        if c.is_ascii_digit()
            || c == '.'
            || ((c == '-' || c == '+') && i == 0)
            || ((c == 'e' || c == 'E') && i > 0)
        {
            end = i + 1;
        } else {
            break;
        }
    }
    let mut e = end;
    while e > 0 {
        if let Ok(v) = t[..e].parse::<f64>() {
            return v;
        }
        e -= 1;
    }
    0.0
}

fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e16 {
        format!("{}", v as i64)
    } else {
        // awk's OFMT %.6g.
        let s = format!("{v:.6}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        s.to_string()
    }
}

fn is_numeric_string(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty() && t.parse::<f64>().is_ok()
}

impl Run {
    fn split(&mut self) {
        self.fields = if self.fs == " " {
            self.record.split_whitespace().map(str::to_string).collect()
        } else if self.fs.chars().count() == 1 {
            self.record
                .split(self.fs.as_str())
                .map(str::to_string)
                .collect()
        } else {
            match Regex::new(&self.fs, true, false) {
                Ok(re) => {
                    let chars: Vec<char> = self.record.chars().collect();
                    let mut v = Vec::new();
                    let mut last = 0;
                    for (s, e) in re.find_all(&chars) {
                        if e > s {
                            v.push(chars[last..s].iter().collect());
                            last = e;
                        }
                    }
                    v.push(chars[last..].iter().collect());
                    v
                }
                Err(_) => vec![self.record.clone()],
            }
        };
    }

    fn get_var(&self, n: &str) -> String {
        match n {
            "NF" => self.fields.len().to_string(),
            "NR" | "FNR" => self.nr.to_string(),
            "FS" => self.fs.clone(),
            _ => self.vars.get(n).cloned().unwrap_or_default(),
        }
    }

    fn field(&self, i: usize) -> String {
        if i == 0 {
            self.record.clone()
        } else {
            self.fields.get(i - 1).cloned().unwrap_or_default()
        }
    }

    fn set(&mut self, target: &Expr, v: String) -> Result<(), String> {
        match target {
            Expr::Var(n) if n == "NF" => {
                let n = num(&v).max(0.0) as usize;
                self.fields.resize(n, String::new());
                self.record = self.fields.join(" ");
            }
            Expr::Var(n) if n == "FS" => self.fs = v,
            Expr::Var(n) => {
                self.vars.insert(n.clone(), v);
            }
            Expr::Field(e) => {
                let i = num(&self.eval(e)?).max(0.0) as usize;
                if i == 0 {
                    self.record = v;
                    self.split();
                } else {
                    if self.fields.len() < i {
                        self.fields.resize(i, String::new());
                    }
                    if let Some(f) = self.fields.get_mut(i - 1) {
                        *f = v;
                    }
                    self.record = self.fields.join(" ");
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn truthy(&mut self, e: &Expr) -> Result<bool, String> {
        Ok(match e {
            Expr::Re(r) => self.matches(&self.record.clone(), r)?,
            Expr::Num(_) | Expr::Bin(..) | Expr::Not(_) | Expr::Neg(_) => {
                num(&self.eval(e)?) != 0.0
            }
            Expr::Str(s) => !s.is_empty(),
            _ => {
                let v = self.eval(e)?;
                if is_numeric_string(&v) {
                    num(&v) != 0.0
                } else {
                    !v.is_empty()
                }
            }
        })
    }

    fn matches(&self, text: &str, re: &str) -> Result<bool, String> {
        Ok(Regex::new(re, true, false)?.is_match(text))
    }

    fn eval(&mut self, e: &Expr) -> Result<String, String> {
        Ok(match e {
            Expr::Num(n) => fmt_num(*n),
            Expr::Str(s) => s.clone(),
            Expr::Re(r) => {
                let rec = self.record.clone();
                if self.matches(&rec, r)? { "1" } else { "0" }.to_string()
            }
            Expr::Var(n) => self.get_var(n),
            Expr::Field(i) => {
                let i = num(&self.eval(i)?);
                if i < 0.0 {
                    return Err(format!("trying to access out of range field {}", i as i64));
                }
                self.field(i as usize)
            }
            Expr::Not(x) => if self.truthy(x)? { "0" } else { "1" }.to_string(),
            Expr::Neg(x) => fmt_num(-num(&self.eval(x)?)),
            Expr::Concat(parts) => {
                let mut s = String::new();
                for p in parts {
                    s.push_str(&self.eval(p)?);
                }
                s
            }
            Expr::Assign(op, target, rhs) => {
                let r = self.eval(rhs)?;
                let v = if op == "=" {
                    r
                } else {
                    let cur = num(&self.eval(target)?);
                    let r = num(&r);
                    fmt_num(match op.as_str() {
                        "+=" => cur + r,
                        "-=" => cur - r,
                        "*=" => cur * r,
                        _ => {
                            if r == 0.0 {
                                return Err("division by zero in /=".into());
                            }
                            cur / r
                        }
                    })
                };
                self.set(target, v.clone())?;
                v
            }
            Expr::Incr(target, d) => {
                let v = fmt_num(num(&self.eval(target)?) + d);
                self.set(target, v.clone())?;
                v
            }
            Expr::Call(name, args) => {
                let a: Vec<String> = args
                    .iter()
                    .map(|x| self.eval(x))
                    .collect::<Result<_, _>>()?;
                let first = a.first().cloned().unwrap_or_else(|| self.record.clone());
                match name.as_str() {
                    "length" => first.chars().count().to_string(),
                    "toupper" => first.to_uppercase(),
                    "tolower" => first.to_lowercase(),
                    "int" => fmt_num(num(&first).trunc()),
                    "index" => {
                        let needle = a.get(1).cloned().unwrap_or_default();
                        first
                            .find(&needle)
                            .map(|b| first[..b].chars().count() + 1)
                            .unwrap_or(0)
                            .to_string()
                    }
                    _ => {
                        let chars: Vec<char> = first.chars().collect();
                        let start = a.get(1).map(|s| num(s) as i64).unwrap_or(1).max(1) as usize;
                        let len = a
                            .get(2)
                            .map(|s| num(s).max(0.0) as usize)
                            .unwrap_or(usize::MAX);
                        chars.iter().skip(start - 1).take(len).collect()
                    }
                }
            }
            Expr::Bin(op, l, r) => match op.as_str() {
                "post" => {
                    let v = num(&self.eval(l)?) - num(&self.eval(r)?);
                    fmt_num(v)
                }
                "&&" => (if self.truthy(l)? && self.truthy(r)? {
                    "1"
                } else {
                    "0"
                })
                .to_string(),
                "||" => (if self.truthy(l)? || self.truthy(r)? {
                    "1"
                } else {
                    "0"
                })
                .to_string(),
                "~" | "!~" => {
                    let text = self.eval(l)?;
                    let re = match &**r {
                        Expr::Re(re) => re.clone(),
                        other => self.eval(other)?,
                    };
                    let m = self.matches(&text, &re)?;
                    (if m == (op == "~") { "1" } else { "0" }).to_string()
                }
                "+" | "-" | "*" | "/" | "%" => {
                    let (a, b) = (num(&self.eval(l)?), num(&self.eval(r)?));
                    if (op == "/" || op == "%") && b == 0.0 {
                        return Err("division by zero".into());
                    }
                    fmt_num(match op.as_str() {
                        "+" => a + b,
                        "-" => a - b,
                        "*" => a * b,
                        "/" => a / b,
                        _ => a % b,
                    })
                }
                _ => {
                    let (a, b) = (self.eval(l)?, self.eval(r)?);
                    let numeric = (is_numeric_string(&a) || matches!(**l, Expr::Num(_)))
                        && (is_numeric_string(&b) || matches!(**r, Expr::Num(_)));
                    let ord = if numeric {
                        num(&a)
                            .partial_cmp(&num(&b))
                            .unwrap_or(std::cmp::Ordering::Equal)
                    } else {
                        a.cmp(&b)
                    };
                    use std::cmp::Ordering::*;
                    let t = match op.as_str() {
                        "==" => ord == Equal,
                        "!=" => ord != Equal,
                        "<" => ord == Less,
                        "<=" => ord != Greater,
                        ">" => ord == Greater,
                        _ => ord != Less,
                    };
                    (if t { "1" } else { "0" }).to_string()
                }
            },
        })
    }

    fn exec(&mut self, stmts: &[Stmt]) -> Result<(), String> {
        for s in stmts {
            match s {
                Stmt::Print(args) => {
                    let line = if args.is_empty() {
                        self.record.clone()
                    } else {
                        let v: Vec<String> = args
                            .iter()
                            .map(|a| self.eval(a))
                            .collect::<Result<_, _>>()?;
                        v.join(" ")
                    };
                    self.out.push_str(&line);
                    self.out.push('\n');
                }
                Stmt::Printf(args) => {
                    let v: Vec<String> = args
                        .iter()
                        .map(|a| self.eval(a))
                        .collect::<Result<_, _>>()?;
                    let o = crate::shell::printf(&v, "awk: ");
                    self.out.push_str(&o.stdout());
                }
                Stmt::Expr(e) => {
                    self.eval(e)?;
                }
            }
        }
        Ok(())
    }
}

/// `awk [-F SEP] [-v NAME=VALUE] 'PROGRAM' [FILE…]`.
pub fn awk(args: &[String], stdin: &str, env: &mut dyn Env) -> Output {
    let mut fs = " ".to_string();
    let mut vars = BTreeMap::new();
    let mut i = 0;
    let mut program = None;
    let mut files = Vec::new();
    while let Some(a) = args.get(i) {
        i += 1;
        if program.is_some() {
            files.push(a.clone());
        } else if let Some(f) = a.strip_prefix("-F") {
            let f = if f.is_empty() {
                i += 1;
                args.get(i - 1).cloned().unwrap_or_default()
            } else {
                f.to_string()
            };
            fs = if f == "t" { "\t".into() } else { f };
        } else if let Some(v) = a.strip_prefix("-v") {
            let v = if v.is_empty() {
                i += 1;
                args.get(i - 1).cloned().unwrap_or_default()
            } else {
                v.to_string()
            };
            if let Some((k, val)) = v.split_once('=') {
                vars.insert(k.to_string(), val.to_string());
            }
        } else if a == "--" {
            continue;
        } else {
            program = Some(a.clone());
        }
    }
    let Some(program) = program else {
        let mut o = Output::status(2);
        o.err("usage: awk [-F fs][-v var=value][prog | -f progfile][file ...]\n");
        return o;
    };
    let rules = match lex(&program).and_then(|t| Parser { t, i: 0, depth: 0 }.program()) {
        Ok(r) => r,
        Err(e) => {
            let mut o = Output::status(2);
            o.err(format!("awk: {e}\n"));
            return o;
        }
    };
    let mut out = Output::default();
    let mut run = Run {
        vars,
        fields: Vec::new(),
        record: String::new(),
        fs,
        nr: 0,
        out: String::new(),
    };
    let result = (|| -> Result<bool, String> {
        for (p, a) in &rules {
            if matches!(p, Pattern::Begin) {
                run.exec(a.as_deref().unwrap_or(&[]))?;
            }
        }
        let main = rules.iter().any(|(p, _)| !matches!(p, Pattern::Begin));
        let mut failed = false;
        if main {
            let (ins, f) = inputs("awk", &files, stdin, env, &mut out);
            failed = f;
            for (_, text) in ins {
                for line in lines(&text) {
                    run.nr += 1;
                    run.record = line.to_string();
                    run.split();
                    for (p, a) in &rules {
                        let hit = match p {
                            Pattern::All => true,
                            Pattern::Begin | Pattern::End => false,
                            Pattern::Expr(e) => run.truthy(e)?,
                        };
                        if hit {
                            match a {
                                Some(stmts) => run.exec(stmts)?,
                                None => {
                                    run.out.push_str(&run.record.clone());
                                    run.out.push('\n');
                                }
                            }
                        }
                    }
                }
            }
        }
        for (p, a) in &rules {
            if matches!(p, Pattern::End) {
                run.exec(a.as_deref().unwrap_or(&[]))?;
            }
        }
        Ok(failed)
    })();
    out.out(std::mem::take(&mut run.out));
    match result {
        Ok(failed) => out.status = if failed { 2 } else { 0 },
        Err(e) => {
            out.err(format!("awk: {e}\n"));
            out.status = 2;
        }
    }
    out
}
