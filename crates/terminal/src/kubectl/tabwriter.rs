//! Elastic tabstops as kubectl prints them: a port of `github.com/liggitt/tabwriter` (a fork of Go's
//! `text/tabwriter` that adds `RememberWidths`), with the two configurations kubectl uses.
//!
//! - Tables (`staging/src/k8s.io/cli-runtime/pkg/printers/tabwriter.go`, `GetNewTabWriter`):
//!   minwidth 6, tabwidth 4, padding 3, padchar `' '`, flags `RememberWidths`.
//! - `describe` (`staging/src/k8s.io/kubectl/pkg/describe/describe.go`, `tabbedString`):
//!   minwidth 0, tabwidth 8, padding 2, padchar `' '`, no flags.
//!
//! Cells are *terminated* by `\t`: text after the last tab of a line is not part of a column and
//! is never padded, while a line ending in `\t` pads its last real cell (kubectl's
//! `get-contexts` rows end `…kind-kind\t\n` and so carry trailing spaces). A line with a single
//! cell (no tab) ends a column block, as in Go.

/// One cell: its size in bytes, its width in characters, whether a tab terminated it.
#[derive(Clone, Copy, Debug, Default)]
struct Cell {
    size: usize,
    width: usize,
    htab: bool,
}

/// A tabwriter with Go's algorithm. Feed text with [`TabWriter::write`], then [`TabWriter::flush`].
#[derive(Clone, Debug)]
pub struct TabWriter {
    minwidth: usize,
    padding: usize,
    padchar: char,
    remember_widths: bool,
    buf: String,
    cell: Cell,
    lines: Vec<Vec<Cell>>,
    widths: Vec<usize>,
    maxwidths: Vec<usize>,
    out: String,
}

impl TabWriter {
    /// A writer with Go's `Init(minwidth, tabwidth, padding, padchar, flags)` settings; only the
    /// `RememberWidths` flag is supported (`tabwidth` matters only for tab padding, unused here).
    pub fn new(minwidth: usize, padding: usize, padchar: char, remember_widths: bool) -> TabWriter {
        TabWriter {
            minwidth,
            padding,
            padchar,
            remember_widths,
            buf: String::new(),
            cell: Cell::default(),
            lines: vec![Vec::new()],
            widths: Vec::new(),
            maxwidths: Vec::new(),
            out: String::new(),
        }
    }

    /// kubectl's table writer (`printers.GetNewTabWriter`): 6, 4, 3, `' '`, `RememberWidths`.
    pub fn kubectl_table() -> TabWriter {
        TabWriter::new(6, 3, ' ', true)
    }

    /// `describe`'s writer (`tabbedString`): 0, 8, 2, `' '`, no flags.
    pub fn describe() -> TabWriter {
        TabWriter::new(0, 2, ' ', false)
    }

    /// Forgets remembered column widths (`SetRememberedWidths(nil)`), as `kubectl get` does
    /// between resource kinds.
    pub fn reset_remembered_widths(&mut self) {
        self.maxwidths.clear();
    }

    /// Buffers text; complete blocks are formatted into the output as Go's writer does.
    pub fn write(&mut self, text: &str) {
        for ch in text.chars() {
            match ch {
                '\t' | '\x0b' => {
                    self.terminate_cell(ch == '\t');
                }
                '\n' | '\x0c' => {
                    let ncells = self.terminate_cell(false);
                    self.lines.push(Vec::new());
                    if ch == '\x0c' || ncells == 1 {
                        self.flush_internal();
                        if ch == '\x0c' {
                            self.out.push('\n');
                        }
                    }
                }
                _ => {
                    self.buf.push(ch);
                    self.cell.size += ch.len_utf8();
                    self.cell.width += 1;
                }
            }
        }
    }

    /// Formats everything buffered, appends it to the output and returns the output so far,
    /// leaving the writer empty (remembered widths stay).
    pub fn flush(&mut self) -> String {
        self.flush_internal();
        std::mem::take(&mut self.out)
    }

    fn terminate_cell(&mut self, htab: bool) -> usize {
        self.cell.htab = htab;
        let cell = std::mem::take(&mut self.cell);
        match self.lines.last_mut() {
            Some(line) => {
                line.push(cell);
                line.len()
            }
            None => {
                self.lines.push(vec![cell]);
                1
            }
        }
    }

    fn flush_internal(&mut self) {
        if self.cell.size > 0 {
            self.terminate_cell(false);
        }
        let n = self.lines.len();
        self.format(0, 0, n);
        self.buf.clear();
        self.cell = Cell::default();
        self.lines = vec![Vec::new()];
        self.widths.clear();
    }

    fn write_padding(&mut self, textw: usize, cellw: usize) {
        for _ in textw..cellw {
            self.out.push(self.padchar);
        }
    }

    fn write_lines(&mut self, pos0: usize, line0: usize, line1: usize) -> usize {
        let mut pos = pos0;
        for i in line0..line1 {
            let line = self.lines.get(i).cloned().unwrap_or_default();
            for (j, c) in line.iter().enumerate() {
                if c.size > 0 {
                    let text = self.buf.get(pos..pos + c.size).unwrap_or("").to_string();
                    self.out.push_str(&text);
                    pos += c.size;
                }
                if let Some(&w) = self.widths.get(j) {
                    self.write_padding(c.width, w);
                }
            }
            if i + 1 == self.lines.len() {
                let text = self
                    .buf
                    .get(pos..pos + self.cell.size)
                    .unwrap_or("")
                    .to_string();
                self.out.push_str(&text);
                pos += self.cell.size;
            } else {
                self.out.push('\n');
            }
        }
        pos
    }

    fn format(&mut self, pos0: usize, line0: usize, line1: usize) -> usize {
        let mut pos = pos0;
        let mut line0 = line0;
        let column = self.widths.len();
        let mut this = line0;
        while this < line1 {
            let len = self.lines.get(this).map_or(0, Vec::len);
            if column + 1 >= len {
                this += 1;
                continue;
            }
            pos = self.write_lines(pos, line0, this);
            line0 = this;
            let mut width = self.minwidth;
            while this < line1 {
                let line = match self.lines.get(this) {
                    Some(l) => l,
                    None => break,
                };
                if column + 1 >= line.len() {
                    break;
                }
                let w = line[column].width + self.padding;
                if w > width {
                    width = w;
                }
                this += 1;
            }
            if self.remember_widths {
                if self.maxwidths.len() < self.widths.len() {
                    let from = self.maxwidths.len();
                    let extra: Vec<usize> = self.widths[from..].to_vec();
                    self.maxwidths.extend(extra);
                }
                let k = self.widths.len();
                if self.maxwidths.len() == k {
                    self.maxwidths.push(width);
                } else if self.maxwidths[k] > width {
                    width = self.maxwidths[k];
                } else if self.maxwidths[k] < width {
                    self.maxwidths[k] = width;
                }
            }
            self.widths.push(width);
            pos = self.format(pos, line0, this);
            self.widths.pop();
            line0 = this;
        }
        self.write_lines(pos, line0, line1)
    }
}

/// Formats tab-separated text with kubectl's table settings.
pub fn format_table(text: &str) -> String {
    let mut w = TabWriter::kubectl_table();
    w.write(text);
    w.flush()
}

/// Formats tab-separated text with `describe`'s settings.
pub fn format_describe(text: &str) -> String {
    let mut w = TabWriter::describe();
    w.write(text);
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kubernetes_md_rendered_examples() {
        // /work/shared/KUBERNETES.md §4.1, "Rendered examples".
        let nodes = "NAME\tSTATUS\tROLES\tAGE\tVERSION\nkind-control-plane\tReady\tcontrol-plane\t5m12s\tv1.33.1\nkind-worker\tReady\t<none>\t4m58s\tv1.33.1\n";
        assert_eq!(
            format_table(nodes),
            "NAME                 STATUS   ROLES           AGE     VERSION\n\
             kind-control-plane   Ready    control-plane   5m12s   v1.33.1\n\
             kind-worker          Ready    <none>          4m58s   v1.33.1\n"
        );
        let ctx =
            "CURRENT\tNAME\tCLUSTER\tAUTHINFO\tNAMESPACE\n*\tkind-kind\tkind-kind\tkind-kind\t\n";
        assert_eq!(
            format_table(ctx),
            "CURRENT   NAME        CLUSTER     AUTHINFO    NAMESPACE\n\
             *         kind-kind   kind-kind   kind-kind   \n"
        );
    }

    #[test]
    fn minimum_width_and_unterminated_last_cell() {
        assert_eq!(format_table("A\tB\nab\tc\n"), "A     B\nab    c\n");
        // A line without tabs ends the column block.
        assert_eq!(
            format_table("a\tb\nxyz\nlonger\tc\n"),
            "a     b\nxyz\nlonger   c\n"
        );
    }

    #[test]
    fn describe_settings() {
        assert_eq!(
            format_describe("Name:\tweb\nNamespace:\tdefault\n"),
            "Name:       web\nNamespace:  default\n"
        );
    }

    #[test]
    fn remembered_widths_survive_flushes() {
        let mut w = TabWriter::kubectl_table();
        w.write("a-long-name\tx\n");
        let first = w.flush();
        w.write("b\ty\n");
        let second = w.flush();
        assert_eq!(first, "a-long-name   x\n");
        assert_eq!(second, "b             y\n");
    }
}
