//! What a command produces and what the shell needs from the world around it.

/// Which stream a piece of output went to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    /// Standard output.
    Stdout,
    /// Standard error.
    Stderr,
}

/// A command's output, in the order it was written, and its exit status.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Output {
    /// The pieces written, in order (a terminal shows them interleaved like this).
    pub chunks: Vec<(Stream, String)>,
    /// The exit status (0 = success).
    pub status: i32,
}

impl Output {
    /// An output with only an exit status.
    pub fn status(status: i32) -> Self {
        Output {
            chunks: Vec::new(),
            status,
        }
    }

    /// Appends text to standard output.
    pub fn out(&mut self, text: impl Into<String>) {
        self.push(Stream::Stdout, text.into());
    }

    /// Appends text to standard error.
    pub fn err(&mut self, text: impl Into<String>) {
        self.push(Stream::Stderr, text.into());
    }

    fn push(&mut self, stream: Stream, text: String) {
        if text.is_empty() {
            return;
        }
        match self.chunks.last_mut() {
            Some((s, t)) if *s == stream => t.push_str(&text),
            _ => self.chunks.push((stream, text)),
        }
    }

    /// Everything written to standard output.
    pub fn stdout(&self) -> String {
        self.of(Stream::Stdout)
    }

    /// Everything written to standard error.
    pub fn stderr(&self) -> String {
        self.of(Stream::Stderr)
    }

    /// Both streams as a terminal shows them.
    pub fn combined(&self) -> String {
        self.chunks.iter().map(|(_, t)| t.as_str()).collect()
    }

    fn of(&self, stream: Stream) -> String {
        self.chunks
            .iter()
            .filter(|(s, _)| *s == stream)
            .map(|(_, t)| t.as_str())
            .collect()
    }
}

/// The world a shell runs in: which programs exist beyond the shell's builtins and the
/// coreutils, the files it can read and write, and time.
pub trait Host {
    /// Runs an external program (`kubectl`, `curl`, …) with `argv[0]` as its name and `stdin`
    /// as its input; `None` if there is no such program here (`command not found`).
    fn run(&mut self, argv: &[String], stdin: &str, env: &[(String, String)]) -> Option<Output>;
    /// Reads a file (relative paths against the working directory).
    fn read_file(&self, path: &str) -> Result<String, String>;
    /// Writes (or with `append`, appends to) a file.
    fn write_file(&mut self, path: &str, content: &str, append: bool) -> Result<(), String>;
    /// Lets virtual time pass (`sleep`).
    fn sleep_ms(&mut self, ms: u64);
    /// The names of the external programs here, for `help` and completion.
    fn programs(&self) -> Vec<String>;
    /// Starts `argv` as a background job (`cmd &`) if this host runs it so (the learner's
    /// machine runs `kubectl port-forward` so): what the shell prints as it starts. `None`:
    /// the command runs in the foreground.
    fn run_background(&mut self, argv: &[String]) -> Option<Output> {
        let _ = argv;
        None
    }
    /// Runs the job-control builtin `jobs`, `kill`, `fg` or `bg` over this host's jobs.
    /// `None`: this host has no background jobs.
    fn job_control(&mut self, builtin: &str, args: &[String]) -> Option<Output> {
        let _ = (builtin, args);
        None
    }
}
