//! The syntax tree the parser builds and the executor walks.
//!
//! Words keep their quoting structure (which parts were quoted, which are expansions) because
//! brace expansion, word splitting and quote removal all depend on it, and they happen at run
//! time, after the whole command has been parsed — as in bash.

/// One piece of a word, as written.
#[derive(Clone, Debug, PartialEq)]
pub enum WordPart {
    /// Unquoted literal text: subject to brace and tilde expansion (never split: it has no
    /// expansion results in it).
    Lit(String),
    /// Text that was quoted by a backslash or single quotes: taken literally.
    Quoted(String),
    /// A double-quoted string: its expansions are not split.
    Double(Vec<WordPart>),
    /// `$name`, `${…}`.
    Param(Box<Param>),
    /// `$(…)` or `` `…` ``.
    Command(Box<List>),
    /// `$((…))`: the expression text, itself made of parts (it may hold `$x`).
    Arith(Vec<WordPart>),
}

/// A word: the parts written next to each other with no blank between them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Word {
    /// The parts in order.
    pub parts: Vec<WordPart>,
}

impl Word {
    /// The word's text when it is a single unquoted literal (how reserved words are
    /// recognised: `"do"` or `\do` are not the keyword).
    pub fn plain(&self) -> Option<&str> {
        match self.parts.as_slice() {
            [WordPart::Lit(s)] => Some(s),
            _ => None,
        }
    }
}

/// A parameter expansion.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    /// The name: a variable, a digit string or one of `? $ # @ * ! - 0`.
    pub name: String,
    /// What to do with the value.
    pub op: ParamOp,
}

/// The operators of `${name OP word}`.
#[derive(Clone, Debug, PartialEq)]
pub enum ParamOp {
    /// `$x`, `${x}`.
    Plain,
    /// `${#x}`.
    Length,
    /// `${!x}`: the value of the variable whose name is `x`'s value.
    Indirect,
    /// `${!x[@]}`: an array's indices.
    Keys,
    /// `${x:-w}` (`colon`: also when set but empty) or `${x-w}`.
    Default { colon: bool, word: Word },
    /// `${x:=w}`.
    Assign { colon: bool, word: Word },
    /// `${x:+w}`.
    Alternate { colon: bool, word: Word },
    /// `${x:?w}`.
    Error { colon: bool, word: Word },
    /// `${x#p}` / `${x##p}`.
    TrimPrefix { longest: bool, pattern: Word },
    /// `${x%p}` / `${x%%p}`.
    TrimSuffix { longest: bool, pattern: Word },
    /// `${x/p/r}`, `${x//p/r}`, `${x/#p/r}`, `${x/%p/r}`.
    Replace {
        mode: ReplaceMode,
        pattern: Word,
        with: Word,
    },
    /// `${x:offset}` / `${x:offset:length}` (arithmetic text).
    Substring {
        offset: String,
        length: Option<String>,
    },
    /// Something bash refuses at expansion time: `${x!}` → `bad substitution`; the text is
    /// the whole `${…}`.
    Bad(String),
}

/// Which matches of `${x/p/r}` are replaced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplaceMode {
    /// `/`: the first (longest) match.
    First,
    /// `//`: every match.
    All,
    /// `/#`: a match at the start.
    Prefix,
    /// `/%`: a match at the end.
    Suffix,
}

/// Where a redirection sends or takes a file descriptor.
#[derive(Clone, Debug, PartialEq)]
pub enum RedirOp {
    /// `>` (and `>|`).
    Out,
    /// `>>`.
    Append,
    /// `<`.
    In,
    /// `>&N`, `<&N`: duplicate a descriptor (`-` closes).
    Dup,
    /// `&>` (stdout and stderr to one file).
    OutErr,
    /// `&>>`.
    AppendErr,
    /// `<<<` here-string.
    HereString,
    /// `<<` / `<<-` here-document: the target is the body, newline included.
    HereDoc,
}

/// A redirection such as `2>/dev/null`.
#[derive(Clone, Debug, PartialEq)]
pub struct Redir {
    /// The descriptor written before the operator, or the operator's default.
    pub fd: u32,
    /// The operator.
    pub op: RedirOp,
    /// The file name, descriptor number or string.
    pub target: Word,
}

/// `NAME=value` written before a command (or alone).
#[derive(Clone, Debug, PartialEq)]
pub struct Assign {
    /// The variable name.
    pub name: String,
    /// `+=` rather than `=`.
    pub append: bool,
    /// The value (not split, no brace expansion).
    pub value: Word,
    /// `NAME[SUBSCRIPT]=value`: the subscript as written (expanded, then arithmetic).
    pub index: Option<String>,
    /// `NAME=(WORD…)`: an indexed array's elements (each expanded and split like arguments).
    pub elements: Option<Vec<Word>>,
}

/// One `pattern) body ;;` arm of a `case`.
#[derive(Clone, Debug, PartialEq)]
pub struct CaseArm {
    /// The alternatives separated by `|`.
    pub patterns: Vec<Word>,
    /// What runs when one matches.
    pub body: List,
}

/// A command: simple or compound.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Words, assignments and redirections.
    Simple {
        /// Leading `NAME=value` words.
        assigns: Vec<Assign>,
        /// The command name and its arguments, unexpanded.
        words: Vec<Word>,
        /// Redirections in the order written.
        redirs: Vec<Redir>,
        /// The source line the command starts on (for `line N:` in messages).
        line: usize,
    },
    /// `{ …; }`.
    Group(List, Vec<Redir>),
    /// `( … )`: runs in a copy of the shell's state.
    Subshell(List, Vec<Redir>),
    /// `for NAME in WORDS; do …; done` (`words` is `None` for `for NAME; do`: the positional
    /// parameters).
    For {
        /// The loop variable.
        var: String,
        /// The words after `in`.
        words: Option<Vec<Word>>,
        /// The loop body.
        body: List,
        /// Redirections after `done`.
        redirs: Vec<Redir>,
    },
    /// `if … then … elif … else … fi`.
    If {
        /// Each condition with its branch.
        branches: Vec<(List, List)>,
        /// The `else` branch.
        otherwise: Option<List>,
        /// Redirections after `fi`.
        redirs: Vec<Redir>,
    },
    /// `while`/`until` … `do … done`.
    While {
        /// `until` rather than `while`.
        until: bool,
        /// The condition list.
        cond: List,
        /// The body.
        body: List,
        /// Redirections after `done`.
        redirs: Vec<Redir>,
    },
    /// `case WORD in …) …;; esac`.
    Case {
        /// The word matched.
        word: Word,
        /// The arms in order.
        arms: Vec<CaseArm>,
        /// Redirections after `esac`.
        redirs: Vec<Redir>,
    },
    /// `name() { …; }`.
    Function {
        /// The function's name.
        name: String,
        /// Its body (a compound command).
        body: Box<Command>,
    },
}

/// Commands joined by `|` (or `|&`).
#[derive(Clone, Debug, PartialEq)]
pub struct Pipeline {
    /// `!` before the pipeline.
    pub negate: bool,
    /// The commands, left to right.
    pub commands: Vec<Command>,
    /// For each `|` between commands: `true` when it was `|&` (stderr too).
    pub with_stderr: Vec<bool>,
}

/// How two pipelines of an and-or list are joined.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Connector {
    /// `&&`.
    And,
    /// `||`.
    Or,
}

/// `a && b || c`.
#[derive(Clone, Debug, PartialEq)]
pub struct AndOr {
    /// The first pipeline.
    pub first: Pipeline,
    /// The rest, each with the operator before it.
    pub rest: Vec<(Connector, Pipeline)>,
}

/// A sequence of and-or lists separated by `;`, `&` or newlines.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct List {
    /// Each and-or list, with `true` when it ended in `&` (run in the foreground here).
    pub items: Vec<(AndOr, bool)>,
}
