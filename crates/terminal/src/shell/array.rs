//! Indexed arrays, as bash 5.2 has them: `NAME=(…)`, `NAME+=(…)`, `NAME[i]=v`, `${NAME[i]}`,
//! `${NAME[@]}` and `${NAME[*]}` (with `#`, `!`, `:off:len`, `#`/`%` trims and `/`
//! replacement applied to every element), and `unset 'NAME[i]'`. A subscript is arithmetic;
//! a negative one counts back from the end. (bash `arrayfunc.c`, `subst.c`.)

use std::collections::BTreeMap;

use crate::io::Output;

use super::arith;
use super::ast::{Assign, Param, ParamOp};
use super::exec::Ctx;
use super::expand::{join, push_list, replace, splittable, trim, ExpError, Frag};
use super::lexer::{DoubleBody, Parser};
use super::state::State;

fn bad_subscript(name: &str, sub: &str) -> ExpError {
    ExpError::Message(format!("{name}[{sub}]: bad array subscript"))
}

/// The index a negative subscript names: counted back from one past the highest index.
pub(super) fn from_end(elements: Option<&BTreeMap<usize, String>>, value: i64) -> Option<usize> {
    if value >= 0 {
        return usize::try_from(value).ok();
    }
    let next = elements
        .and_then(|e| e.keys().next_back())
        .map_or(0, |k| k + 1);
    usize::try_from(i64::try_from(next).ok()? + value).ok()
}

impl Ctx<'_> {
    /// The index `NAME[SUB]` names: `SUB` expanded, then evaluated as arithmetic.
    pub(super) fn element_index(
        &mut self,
        st: &mut State,
        name: &str,
        sub: &str,
        out: &mut Output,
    ) -> Result<usize, ExpError> {
        if sub.trim().is_empty() {
            return Err(bad_subscript(name, sub));
        }
        let parts = Parser::new(sub, 1)
            .read_double(DoubleBody::HereDoc)
            .map_err(|_| bad_subscript(name, sub))?;
        let mut frags = Vec::new();
        self.expand_parts(st, &parts, true, false, &mut frags, out)?;
        let value = arith::eval(&join(frags), st).map_err(ExpError::Message)?;
        from_end(st.elements(name).as_ref(), value).ok_or_else(|| bad_subscript(name, sub))
    }

    /// Carries out `NAME=(…)`, `NAME+=(…)`, `NAME[i]=v` or `NAME[i]+=v`.
    pub(super) fn assign_array(
        &mut self,
        st: &mut State,
        a: &Assign,
        out: &mut Output,
    ) -> Result<(), ExpError> {
        if let Some(words) = &a.elements {
            let mut values = Vec::new();
            for w in words {
                values.extend(self.expand_fields(st, w, out)?);
            }
            let mut elements = if a.append {
                st.elements(&a.name).unwrap_or_default()
            } else {
                BTreeMap::new()
            };
            let next = elements.keys().next_back().map_or(0, |k| k + 1);
            elements.extend((next..).zip(values));
            st.set_elements(&a.name, elements);
            return Ok(());
        }
        let sub = a.index.as_deref().unwrap_or("0");
        let index = self.element_index(st, &a.name, sub, out)?;
        let mut value = self.expand_assignment(st, &a.value, out)?;
        if a.append {
            let old = st.elements(&a.name).and_then(|e| e.get(&index).cloned());
            value = format!("{}{value}", old.unwrap_or_default());
        }
        st.set_element(&a.name, index, value);
        Ok(())
    }

    /// `${NAME[@]}` / `${NAME[*]}` with its operator: the elements, as `$@` / `$*` give the
    /// positional parameters.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn expand_all_elements(
        &mut self,
        st: &mut State,
        p: &Param,
        base: &str,
        at: bool,
        quoted: bool,
        frags: &mut Vec<Frag>,
        out: &mut Output,
    ) -> Result<(), ExpError> {
        let elements = st.elements(base).unwrap_or_default();
        let is_null =
            |colon: bool| elements.is_empty() || (colon && elements.values().all(String::is_empty));
        let values: Vec<String> = match &p.op {
            ParamOp::Plain => elements.into_values().collect(),
            ParamOp::Length => {
                splittable(frags, elements.len().to_string(), !quoted);
                return Ok(());
            }
            ParamOp::Keys => elements.into_keys().map(|k| k.to_string()).collect(),
            ParamOp::Substring { offset, length } => {
                let offset = arith::eval(offset, st).map_err(ExpError::Message)?;
                let start = from_end(Some(&elements), offset).unwrap_or(0);
                let rest = elements.range(start..).map(|(_, v)| v.clone());
                match length {
                    None => rest.collect(),
                    Some(l) => {
                        let l = arith::eval(l, st).map_err(ExpError::Message)?;
                        let l = usize::try_from(l).map_err(|_| {
                            ExpError::Message(format!("{l}: substring expression < 0"))
                        })?;
                        rest.take(l).collect()
                    }
                }
            }
            ParamOp::TrimPrefix { longest, pattern } | ParamOp::TrimSuffix { longest, pattern } => {
                let pat = self.expand_pattern(st, pattern, out)?;
                let prefix = matches!(p.op, ParamOp::TrimPrefix { .. });
                elements
                    .into_values()
                    .map(|v| trim(&v.chars().collect::<Vec<_>>(), &pat, prefix, *longest))
                    .collect()
            }
            ParamOp::Replace {
                mode,
                pattern,
                with,
            } => {
                let pat = self.expand_pattern(st, pattern, out)?;
                let with = self.expand_string(st, with, out)?;
                elements
                    .into_values()
                    .map(|v| replace(&v.chars().collect::<Vec<_>>(), &pat, &with, *mode))
                    .collect()
            }
            ParamOp::Default { colon, word } | ParamOp::Assign { colon, word } => {
                if is_null(*colon) {
                    return self.expand_parts(st, &word.parts, quoted, true, frags, out);
                }
                elements.into_values().collect()
            }
            ParamOp::Alternate { colon, word } => {
                if is_null(*colon) {
                    return Ok(());
                }
                return self.expand_parts(st, &word.parts, quoted, true, frags, out);
            }
            ParamOp::Error { colon, word } => {
                if is_null(*colon) {
                    let msg = self.expand_string(st, word, out)?;
                    return Err(ExpError::Message(format!("{}: {msg}", p.name)));
                }
                elements.into_values().collect()
            }
            ParamOp::Indirect | ParamOp::Bad(_) => {
                return Err(ExpError::Message(format!(
                    "${{{}}}: bad substitution",
                    p.name
                )));
            }
        };
        push_list(frags, values, at, quoted, st);
        Ok(())
    }
}
