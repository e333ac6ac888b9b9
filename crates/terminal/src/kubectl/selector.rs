//! Label selectors as kubectl's `-l` reads them (`staging/src/k8s.io/apimachinery/pkg/labels/
//! selector.go`, `Parse`) and as printers format them (`labels.FormatLabels`,
//! `metav1.FormatLabelSelector`).

use svclab_sim::api::{LabelSelector, StringMap};

/// A selector operator (`selection.Operator`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operator {
    /// `key=value`.
    Equals,
    /// `key==value`.
    DoubleEquals,
    /// `key!=value`.
    NotEquals,
    /// `key in (a,b)`.
    In,
    /// `key notin (a,b)`.
    NotIn,
    /// `key`.
    Exists,
    /// `!key`.
    DoesNotExist,
    /// `key>n`.
    GreaterThan,
    /// `key<n`.
    LessThan,
}

/// One requirement of a selector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requirement {
    /// The label key.
    pub key: String,
    /// The operator.
    pub operator: Operator,
    /// The values (one for `=`, `!=`, `>`, `<`; a set for `in`/`notin`; none otherwise).
    pub values: Vec<String>,
}

/// A parsed selector: requirements ANDed, sorted by key as `labels.Parse` returns them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selector {
    /// The requirements.
    pub requirements: Vec<Requirement>,
}

impl Requirement {
    /// Whether `labels` satisfy this requirement (`Requirement.Matches`).
    pub fn matches(&self, labels: &StringMap) -> bool {
        let value = labels.get(&self.key);
        match self.operator {
            Operator::Equals | Operator::DoubleEquals | Operator::In => {
                value.is_some_and(|v| self.values.contains(v))
            }
            Operator::NotEquals | Operator::NotIn => value.is_none_or(|v| !self.values.contains(v)),
            Operator::Exists => value.is_some(),
            Operator::DoesNotExist => value.is_none(),
            Operator::GreaterThan | Operator::LessThan => {
                let Some(have) = value.and_then(|v| v.parse::<i64>().ok()) else {
                    return false;
                };
                let Some(want) = self.values.first().and_then(|v| v.parse::<i64>().ok()) else {
                    return false;
                };
                if self.operator == Operator::GreaterThan {
                    have > want
                } else {
                    have < want
                }
            }
        }
    }

    /// `Requirement.String()`.
    pub fn to_selector_string(&self) -> String {
        let mut s = String::new();
        if self.operator == Operator::DoesNotExist {
            s.push('!');
        }
        s.push_str(&self.key);
        let op = match self.operator {
            Operator::Equals => "=",
            Operator::DoubleEquals => "==",
            Operator::NotEquals => "!=",
            Operator::In => " in ",
            Operator::NotIn => " notin ",
            Operator::GreaterThan => ">",
            Operator::LessThan => "<",
            Operator::Exists | Operator::DoesNotExist => return s,
        };
        s.push_str(op);
        let set = matches!(self.operator, Operator::In | Operator::NotIn);
        if set {
            s.push('(');
        }
        if self.values.len() == 1 {
            s.push_str(&self.values[0]);
        } else {
            let mut v = self.values.clone();
            v.sort();
            s.push_str(&v.join(","));
        }
        if set {
            s.push(')');
        }
        s
    }
}

impl Selector {
    /// Whether `labels` satisfy every requirement; the empty selector matches everything.
    pub fn matches(&self, labels: &StringMap) -> bool {
        self.requirements.iter().all(|r| r.matches(labels))
    }

    /// `Selector.String()`: requirements joined by `,`.
    pub fn to_selector_string(&self) -> String {
        self.requirements
            .iter()
            .map(Requirement::to_selector_string)
            .collect::<Vec<_>>()
            .join(",")
    }

    /// `metav1.LabelSelectorAsSelector` of a workload's `spec.selector`.
    pub fn from_label_selector(sel: &LabelSelector) -> Selector {
        let mut reqs: Vec<Requirement> = sel
            .match_labels
            .iter()
            .map(|(k, v)| Requirement {
                key: k.clone(),
                operator: Operator::Equals,
                values: vec![v.clone()],
            })
            .collect();
        for e in &sel.match_expressions {
            let operator = match e.operator.as_str() {
                "In" => Operator::In,
                "NotIn" => Operator::NotIn,
                "Exists" => Operator::Exists,
                _ => Operator::DoesNotExist,
            };
            reqs.push(Requirement {
                key: e.key.clone(),
                operator,
                values: e.values.clone(),
            });
        }
        reqs.sort_by(|a, b| a.key.cmp(&b.key));
        Selector { requirements: reqs }
    }
}

/// `metav1.FormatLabelSelector`: the selector string, `<none>` when empty.
pub fn format_label_selector(sel: &LabelSelector) -> String {
    let s = Selector::from_label_selector(sel).to_selector_string();
    if s.is_empty() {
        "<none>".to_string()
    } else {
        s
    }
}

/// `labels.FormatLabels`: `k=v,k=v` sorted by key, `<none>` when empty.
pub fn format_labels(labels: &StringMap) -> String {
    if labels.is_empty() {
        return "<none>".to_string();
    }
    labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// Parses a `-l` selector with `labels.Parse` semantics: `a=b`, `a==b`, `a!=b`,
/// `a in (x,y)`, `a notin (x)`, `a`, `!a`, `a>1`, `a<1`, comma-separated.
pub fn parse_selector(input: &str) -> Result<Selector, String> {
    let mut p = Parser {
        chars: input.chars().collect(),
        pos: 0,
    };
    let mut reqs = Vec::new();
    loop {
        p.skip_ws();
        if p.at_end() {
            if reqs.is_empty() {
                break;
            }
            return Err("found '', expected: !, identifier, or 'end of string'".to_string());
        }
        reqs.push(p.requirement()?);
        p.skip_ws();
        if p.at_end() {
            break;
        }
        if p.peek() == Some(',') {
            p.pos += 1;
            continue;
        }
        let rest: String = p.chars[p.pos..].iter().collect();
        return Err(format!("found '{rest}', expected: ',' or 'end of string'"));
    }
    reqs.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(Selector { requirements: reqs })
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
}

impl Parser {
    fn at_end(&self) -> bool {
        self.pos >= self.chars.len()
    }
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }
    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }
    fn is_ident(c: char) -> bool {
        !c.is_whitespace() && !"!=,()<>".contains(c)
    }
    fn ident(&mut self) -> String {
        let start = self.pos;
        while self.peek().is_some_and(Self::is_ident) {
            self.pos += 1;
        }
        self.chars[start..self.pos].iter().collect()
    }
    fn requirement(&mut self) -> Result<Requirement, String> {
        let negated = self.peek() == Some('!');
        if negated {
            self.pos += 1;
            self.skip_ws();
        }
        let key = self.ident();
        if key.is_empty() {
            return Err("found '', expected: identifier".to_string());
        }
        validate_key(&key)?;
        if negated {
            return Ok(Requirement {
                key,
                operator: Operator::DoesNotExist,
                values: vec![],
            });
        }
        self.skip_ws();
        let op = match self.peek() {
            None | Some(',') => {
                return Ok(Requirement {
                    key,
                    operator: Operator::Exists,
                    values: vec![],
                })
            }
            Some('=') => {
                self.pos += 1;
                if self.peek() == Some('=') {
                    self.pos += 1;
                    Operator::DoubleEquals
                } else {
                    Operator::Equals
                }
            }
            Some('!') => {
                self.pos += 1;
                if self.peek() != Some('=') {
                    return Err("found '!', expected: '='".to_string());
                }
                self.pos += 1;
                Operator::NotEquals
            }
            Some('>') => {
                self.pos += 1;
                Operator::GreaterThan
            }
            Some('<') => {
                self.pos += 1;
                Operator::LessThan
            }
            _ => {
                let word = self.ident();
                match word.as_str() {
                    "in" => Operator::In,
                    "notin" => Operator::NotIn,
                    other => {
                        return Err(format!(
                            "found '{other}', expected: in, notin, =, ==, !=, gt, lt"
                        ))
                    }
                }
            }
        };
        self.skip_ws();
        let values = if matches!(op, Operator::In | Operator::NotIn) {
            if self.peek() != Some('(') {
                return Err("found '', expected: '('".to_string());
            }
            self.pos += 1;
            let mut vals = Vec::new();
            loop {
                self.skip_ws();
                let v = self.ident();
                vals.push(v);
                self.skip_ws();
                match self.peek() {
                    Some(',') => self.pos += 1,
                    Some(')') => {
                        self.pos += 1;
                        break;
                    }
                    _ => return Err("found '', expected: ',' or ')'".to_string()),
                }
            }
            vals
        } else {
            let v = self.ident();
            if matches!(op, Operator::GreaterThan | Operator::LessThan) && v.parse::<i64>().is_err()
            {
                return Err("for 'Gt', 'Lt' operators, the value must be an integer".to_string());
            }
            vec![v]
        };
        for v in &values {
            validate_value(v)?;
        }
        Ok(Requirement {
            key,
            operator: op,
            values,
        })
    }
}

fn validate_key(key: &str) -> Result<(), String> {
    let name = key.rsplit('/').next().unwrap_or(key);
    let ok = !name.is_empty()
        && name.len() <= 63
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.ends_with(|c: char| c.is_ascii_alphanumeric());
    if ok {
        Ok(())
    } else {
        Err(format!("invalid label key \"{key}\""))
    }
}

fn validate_value(v: &str) -> Result<(), String> {
    let ok = v.is_empty()
        || (v.len() <= 63
            && v.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
            && v.starts_with(|c: char| c.is_ascii_alphanumeric())
            && v.ends_with(|c: char| c.is_ascii_alphanumeric()));
    if ok {
        Ok(())
    } else {
        Err(format!("invalid label value: \"{v}\""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> StringMap {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn parses_every_operator_and_matches() {
        let sel = parse_selector("app=nginx,tier!=x,env in (a,b),!gone,key").expect("valid");
        assert_eq!(
            sel.to_selector_string(),
            "app=nginx,env in (a,b),!gone,key,tier!=x"
        );
        let good = labels(&[("app", "nginx"), ("env", "b"), ("key", "")]);
        assert!(sel.matches(&good));
        let mut bad = good.clone();
        bad.insert("gone".into(), "1".into());
        assert!(!sel.matches(&bad));
        assert!(!sel.matches(&labels(&[("app", "nginx"), ("env", "c"), ("key", "")])));
        assert!(parse_selector("").expect("empty").matches(&labels(&[])));
        assert!(parse_selector("a notin (x)")
            .expect("ok")
            .matches(&labels(&[])));
        assert!(parse_selector("n>3")
            .expect("ok")
            .matches(&labels(&[("n", "4")])));
        assert!(parse_selector("app==web")
            .expect("ok")
            .matches(&labels(&[("app", "web")])));
    }

    #[test]
    fn rejects_malformed_selectors() {
        for bad in ["app=", "a in b", "=x", "a!x", "a,", "app=ngi nx"] {
            if bad == "app=" {
                // An empty value is valid in labels.Parse.
                assert!(parse_selector(bad).is_ok());
                continue;
            }
            assert!(parse_selector(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn formats_like_the_printers() {
        assert_eq!(format_labels(&labels(&[])), "<none>");
        assert_eq!(
            format_labels(&labels(&[("tier", "web"), ("app", "nginx")])),
            "app=nginx,tier=web"
        );
        let sel = LabelSelector {
            match_labels: labels(&[("app", "nginx")]),
            ..Default::default()
        };
        assert_eq!(format_label_selector(&sel), "app=nginx");
        assert_eq!(format_label_selector(&LabelSelector::default()), "<none>");
    }
}
