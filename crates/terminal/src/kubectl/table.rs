//! The human-readable table printer (`staging/src/k8s.io/cli-runtime/pkg/printers/tableprinter.go`
//! `printTable`/`decorateTable`) and `kubectl get`'s handling of several kinds at once
//! (`staging/src/k8s.io/kubectl/pkg/cmd/get/get.go`: a blank line between kinds, kind-prefixed
//! names, and the "No resources found" messages on stderr).

use svclab_sim::api::StringMap;

use super::selector::format_labels;
use super::tabwriter::TabWriter;

/// A column definition: its name as printers.go spells it and its priority (non-zero columns
/// appear only with `-o wide`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    /// e.g. `Cluster-IP`; the header is its upper case.
    pub name: &'static str,
    /// 0 for always, 1 for `-o wide` only.
    pub priority: u8,
}

impl Column {
    /// A column always shown.
    pub const fn base(name: &'static str) -> Column {
        Column { name, priority: 0 }
    }
    /// A column shown with `-o wide`.
    pub const fn wide(name: &'static str) -> Column {
        Column { name, priority: 1 }
    }
}

/// One row: a cell per column definition, plus the object's namespace and labels for
/// `-A` and `--show-labels`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Row {
    /// The cells, one per column (wide cells included).
    pub cells: Vec<String>,
    /// The object's namespace (empty for cluster-scoped kinds).
    pub namespace: String,
    /// The object's labels.
    pub labels: StringMap,
}

/// A table as the server-side printers build it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    /// Column definitions.
    pub columns: Vec<Column>,
    /// Rows.
    pub rows: Vec<Row>,
}

/// Options of the table printer (`printers.PrintOptions`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PrintOptions {
    /// `-o wide`.
    pub wide: bool,
    /// `-A` on a namespaced kind: a leading NAMESPACE column.
    pub with_namespace: bool,
    /// `-L KEY`: a column per label key, before LABELS (tableprinter.go `labelValues`).
    pub label_columns: Vec<String>,
    /// `--show-labels`: a trailing LABELS column.
    pub show_labels: bool,
    /// `--no-headers`.
    pub no_headers: bool,
    /// Prefix names with `kind.group/` (lower case), as when several kinds are requested,
    /// e.g. `pod`, `deployment.apps`.
    pub with_kind: Option<String>,
}

/// `tableprinter.go` truncates a cell at its first line break and appends `...`.
fn sanitize_cell(cell: &str) -> String {
    match cell.find(['\n', '\r', '\x0c']) {
        Some(i) => format!("{}...", &cell[..i]),
        None => cell.to_string(),
    }
}

/// The tab-separated text `printTable` writes into the tabwriter (before alignment); empty
/// when there are no rows.
pub fn table_text(table: &Table, opts: &PrintOptions) -> String {
    if table.rows.is_empty() {
        return String::new();
    }
    let visible: Vec<usize> = table
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| opts.wide || c.priority == 0)
        .map(|(i, _)| i)
        .collect();
    let name_col = table.columns.iter().position(|c| c.name == "Name");
    let mut out = String::new();
    if !opts.no_headers {
        let mut headers: Vec<String> = Vec::new();
        if opts.with_namespace {
            headers.push("NAMESPACE".into());
        }
        headers.extend(
            visible
                .iter()
                .map(|&i| table.columns[i].name.to_uppercase()),
        );
        // formatLabelHeaders: the key's last path segment, upper case.
        headers.extend(
            opts.label_columns
                .iter()
                .map(|key| key.rsplit('/').next().unwrap_or(key).to_uppercase()),
        );
        if opts.show_labels {
            headers.push("LABELS".into());
        }
        out.push_str(&headers.join("\t"));
        out.push('\n');
    }
    for row in &table.rows {
        let mut cells: Vec<String> = Vec::new();
        if opts.with_namespace {
            cells.push(row.namespace.clone());
        }
        for &i in &visible {
            let mut cell = row.cells.get(i).cloned().unwrap_or_default();
            if Some(i) == name_col {
                if let Some(kind) = &opts.with_kind {
                    cell = format!("{kind}/{cell}");
                }
            }
            cells.push(sanitize_cell(&cell));
        }
        cells.extend(
            opts.label_columns
                .iter()
                .map(|key| row.labels.get(key).cloned().unwrap_or_default()),
        );
        if opts.show_labels {
            cells.push(format_labels(&row.labels));
        }
        out.push_str(&cells.join("\t"));
        out.push('\n');
    }
    out
}

/// Prints one table as `kubectl get` does: aligned, nothing at all when there are no rows.
pub fn print_table(table: &Table, opts: &PrintOptions) -> String {
    let mut w = TabWriter::kubectl_table();
    w.write(&table_text(table, opts));
    w.flush()
}

/// Prints several kinds in one `kubectl get` (`get all`, `get pods,svc`): each kind is flushed
/// and its widths forgotten; a blank line goes before a kind only when something was printed
/// already and that kind prints something (get.go's `separatorWriterWrapper`).
pub fn print_sections(sections: &[(Table, PrintOptions)]) -> String {
    let mut out = String::new();
    let mut w = TabWriter::kubectl_table();
    for (table, opts) in sections {
        w.reset_remembered_widths();
        w.write(&table_text(table, opts));
        let text = w.flush();
        if text.is_empty() {
            continue;
        }
        if !out.is_empty() && !opts.no_headers {
            out.push('\n');
        }
        out.push_str(&text);
    }
    out
}

/// What `kubectl get` prints on stderr when nothing matched: `No resources found in dev
/// namespace.` when every requested kind is namespaced and `-A` is off, else
/// `No resources found` (get.go). Each ends with a newline.
pub fn no_resources_found(namespace: Option<&str>) -> String {
    match namespace {
        Some(ns) => format!("No resources found in {ns} namespace.\n"),
        None => "No resources found\n".to_string(),
    }
}

/// The warning the v1.33 API server attaches to Endpoints requests, which kubectl prints on
/// stderr (pkg/registry/core/endpoint/storage/storage.go via the `Warning:` header).
pub const ENDPOINTS_DEPRECATION_WARNING: &str =
    "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n";

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        Table {
            columns: vec![
                Column::base("Name"),
                Column::base("Age"),
                Column::wide("IP"),
            ],
            rows: vec![Row {
                cells: vec!["web".into(), "5s".into(), "10.0.0.1".into()],
                namespace: "dev".into(),
                labels: [("app".to_string(), "web".to_string())]
                    .into_iter()
                    .collect(),
            }],
        }
    }

    #[test]
    fn decorations() {
        let t = table();
        assert_eq!(
            print_table(&t, &PrintOptions::default()),
            "NAME   AGE\nweb    5s\n"
        );
        let opts = PrintOptions {
            wide: true,
            with_namespace: true,
            label_columns: vec!["example.com/app".into(), "tier".into()],
            show_labels: true,
            with_kind: Some("pod".into()),
            no_headers: false,
        };
        assert_eq!(
            print_table(&t, &opts),
            "NAMESPACE   NAME      AGE   IP         APP   TIER   LABELS\ndev         pod/web   5s    10.0.0.1                app=web\n"
        );
        assert_eq!(print_table(&Table::default(), &opts), "");
    }

    #[test]
    fn sections_are_separated_by_one_blank_line() {
        let t = table();
        let out = print_sections(&[
            (t.clone(), PrintOptions::default()),
            (Table::default(), PrintOptions::default()),
            (t, PrintOptions::default()),
        ]);
        assert_eq!(out, "NAME   AGE\nweb    5s\n\nNAME   AGE\nweb    5s\n");
        assert_eq!(
            no_resources_found(Some("dev")),
            "No resources found in dev namespace.\n"
        );
    }
}
