//! `-o custom-columns=NAME:.metadata.name,IP:.status.podIP`
//! (`staging/src/k8s.io/kubectl/pkg/cmd/get/customcolumn.go`): headers as given, one row per
//! object, several values of a cell joined by `,`, `<none>` when a path finds nothing, cells
//! formatted with Go's `%v`, aligned with the table tabwriter.

use super::jsonpath::{go_fmt_value, relaxed_expression, JsonPath};
use super::tabwriter::format_table;
use super::value::Value;

/// A parsed column spec.
#[derive(Clone, Debug, PartialEq)]
pub struct CustomColumns {
    columns: Vec<(String, JsonPath)>,
}

impl CustomColumns {
    /// Parses `HEADER:path,HEADER:path`; errors carry kubectl's wording.
    pub fn parse(spec: &str) -> Result<CustomColumns, String> {
        if spec.is_empty() {
            return Err("custom-columns format specified but no custom columns given".to_string());
        }
        let mut columns = Vec::new();
        for part in spec.split(',') {
            let Some((header, path)) = part.split_once(':') else {
                return Err(format!(
                    "unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>"
                ));
            };
            let expr = relaxed_expression(path)?;
            let jp = JsonPath::parse(&expr)?;
            columns.push((header.to_string(), jp));
        }
        Ok(CustomColumns { columns })
    }

    /// The aligned output for these objects (nothing for no objects).
    pub fn print(&self, objects: &[Value], no_headers: bool) -> String {
        if objects.is_empty() {
            return String::new();
        }
        let mut text = String::new();
        if !no_headers {
            let headers: Vec<&str> = self.columns.iter().map(|(h, _)| h.as_str()).collect();
            text.push_str(&headers.join("\t"));
            text.push('\n');
        }
        for obj in objects {
            let cells: Vec<String> = self
                .columns
                .iter()
                .map(|(_, jp)| {
                    let vals = jp.values(obj);
                    if vals.is_empty() {
                        "<none>".to_string()
                    } else {
                        vals.iter().map(go_fmt_value).collect::<Vec<_>>().join(",")
                    }
                })
                .collect();
            text.push_str(&cells.join("\t"));
            text.push('\n');
        }
        format_table(&text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_with_missing_values() {
        let pod = |n: &str, ip: Option<&str>| {
            let mut status = Vec::new();
            if let Some(ip) = ip {
                status.push(("podIP", Value::Str(ip.into())));
            }
            Value::object(vec![
                (
                    "metadata",
                    Value::object(vec![("name", Value::Str(n.into()))]),
                ),
                ("status", Value::object(status)),
            ])
        };
        let cc = CustomColumns::parse("NAME:.metadata.name,IP:.status.podIP").expect("valid");
        assert_eq!(
            cc.print(
                &[pod("web-1", Some("10.244.1.2")), pod("pending", None)],
                false
            ),
            "NAME      IP\nweb-1     10.244.1.2\npending   <none>\n"
        );
        assert!(CustomColumns::parse("NAME").is_err());
    }
}
