//! The host shell's background jobs (bash's job table, as `jobs` and `kill` show it). The lab
//! runs one kind of command in the background: `kubectl port-forward … &`, which keeps
//! listening on the learner's machine until it is killed or its pod goes away. Every other
//! `cmd &` runs in the foreground, as before.

use crate::io::Output;

/// Where a port-forward sends connections.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Forward {
    /// The cluster.
    pub cluster: String,
    /// The pod's namespace.
    pub namespace: String,
    /// The pod.
    pub pod: String,
    /// The pod's uid: a new pod with the same name is not this one.
    pub uid: String,
    /// `(local port, pod port)` pairs.
    pub ports: Vec<(u16, u16)>,
}

/// One background job.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Job {
    /// `%1`.
    pub number: usize,
    /// Its process id.
    pub pid: u32,
    /// The command as the job table shows it.
    pub command: String,
    /// What it forwards.
    pub forward: Forward,
}

/// How a job ended, as bash reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ended {
    /// A signal, by bash's description (`Terminated`, `Killed`, `Interrupt`).
    Signal(&'static str),
    /// It exited with this status.
    Exit(i32),
}

/// The job table.
#[derive(Clone, Debug, Default)]
pub struct Jobs {
    jobs: Vec<Job>,
    /// Processes started so far (ids follow the shell's own, 4242).
    started: u32,
}

/// bash's status column width in `jobs` and job notices.
const STATUS_WIDTH: usize = 24;

impl Jobs {
    /// Starts a job; returns bash's `[N] PID` line.
    pub fn start(&mut self, command: &str, forward: Forward) -> String {
        let (number, pid) = self.next_ids();
        self.jobs.push(Job {
            number,
            pid,
            command: command.to_string(),
            forward,
        });
        format!("[{number}] {pid}\n")
    }

    /// A job that fails as it starts (it still had a number and a process): bash's `[N] PID`
    /// line, and its `Exit 1` notice.
    pub fn start_failed(&mut self, command: &str) -> (String, String) {
        let (number, pid) = self.next_ids();
        let status = "Exit 1";
        (
            format!("[{number}] {pid}\n"),
            format!("[{number}]+  {status:<STATUS_WIDTH$}{command}\n"),
        )
    }

    /// A new job's number (one past the highest running, as bash numbers) and process id.
    fn next_ids(&mut self) -> (usize, u32) {
        self.started += 1;
        let number = self.jobs.last().map_or(1, |j| j.number + 1);
        (number, 4242 + self.started)
    }

    /// The running port-forward listening on `port`, and the pod port it sends to.
    pub fn forwarding(&self, port: u16) -> Option<(&Job, u16)> {
        self.jobs.iter().find_map(|j| {
            let (_, remote) = j.forward.ports.iter().find(|(local, _)| *local == port)?;
            Some((j, *remote))
        })
    }

    /// Every local port a job listens on.
    pub fn local_ports(&self) -> Vec<u16> {
        self.jobs
            .iter()
            .flat_map(|j| j.forward.ports.iter().map(|(local, _)| *local))
            .collect()
    }

    /// `+` for the current job (the newest), `-` for the one before, else a space.
    fn mark(&self, index: usize) -> char {
        let n = self.jobs.len();
        if index + 1 == n {
            '+'
        } else if index + 2 == n {
            '-'
        } else {
            ' '
        }
    }

    /// What `jobs` prints.
    pub fn listing(&self) -> String {
        self.jobs
            .iter()
            .enumerate()
            .map(|(i, j)| {
                format!(
                    "[{}]{}  {:<STATUS_WIDTH$}{} &\n",
                    j.number,
                    self.mark(i),
                    "Running",
                    j.command
                )
            })
            .collect()
    }

    /// Ends the job with `pid`; returns bash's notice (`[1]+  Terminated  …`).
    pub fn end(&mut self, pid: u32, how: Ended) -> Option<String> {
        let index = self.jobs.iter().position(|j| j.pid == pid)?;
        let mark = self.mark(index);
        let job = self.jobs.remove(index);
        let status = match how {
            Ended::Signal(name) => name.to_string(),
            Ended::Exit(code) => format!("Exit {code}"),
        };
        Some(format!(
            "[{}]{mark}  {status:<STATUS_WIDTH$}{}\n",
            job.number, job.command
        ))
    }

    /// The process id a `kill` or `fg` operand names: `%N`, `%%`/`%+`, `%-`, or a pid.
    pub fn resolve(&self, spec: &str) -> Result<u32, String> {
        let Some(job) = spec.strip_prefix('%') else {
            return match spec.parse::<u32>() {
                Ok(pid) if self.jobs.iter().any(|j| j.pid == pid) => Ok(pid),
                Ok(pid) => Err(format!("({pid}) - No such process")),
                Err(_) => Err(format!("{spec}: arguments must be process or job IDs")),
            };
        };
        let found = match job {
            "" | "%" | "+" => self.jobs.last(),
            "-" => self.jobs.iter().rev().nth(1),
            n => n
                .parse::<usize>()
                .ok()
                .and_then(|n| self.jobs.iter().find(|j| j.number == n)),
        };
        found
            .map(|j| j.pid)
            .ok_or_else(|| format!("{spec}: no such job"))
    }

    /// The jobs whose pod `alive` says is gone, ended with status 1.
    pub fn reap(&mut self, mut alive: impl FnMut(&Forward) -> bool) -> Vec<String> {
        let gone: Vec<u32> = self
            .jobs
            .iter()
            .filter(|j| !alive(&j.forward))
            .map(|j| j.pid)
            .collect();
        gone.into_iter()
            .filter_map(|pid| self.end(pid, Ended::Exit(1)))
            .collect()
    }

    /// Whether no job runs.
    pub fn is_empty(&self) -> bool {
        self.jobs.is_empty()
    }
}

/// The job-control builtins over the host's jobs: `jobs`, `kill [-SIG] %N|PID…`, and `fg`/`bg`
/// (a job the lab runs is already in the background, and stays there).
pub fn builtin(jobs: &mut Jobs, name: &str, args: &[String]) -> Output {
    let mut out = Output::status(0);
    match name {
        "jobs" => out.out(jobs.listing()),
        "kill" => {
            let mut signal = "Terminated";
            let mut specs = Vec::new();
            let mut rest = args.iter();
            while let Some(a) = rest.next() {
                match a.as_str() {
                    "-s" | "-n" => {
                        signal = signal_name(rest.next().map_or("", String::as_str));
                    }
                    flag if flag.starts_with('-') && flag.len() > 1 => {
                        signal = signal_name(&flag[1..]);
                    }
                    spec => specs.push(spec),
                }
            }
            if specs.is_empty() {
                out.status = 2;
                out.err("bash: kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n");
            }
            for spec in specs {
                match jobs.resolve(spec) {
                    Ok(pid) => {
                        if let Some(notice) = jobs.end(pid, Ended::Signal(signal)) {
                            out.err(notice);
                        }
                    }
                    Err(e) => {
                        out.status = 1;
                        out.err(format!("bash: kill: {e}\n"));
                    }
                }
            }
        }
        "fg" | "bg" => {
            let spec = args.first().map_or("%+", String::as_str);
            match jobs.resolve(spec) {
                Ok(pid) if name == "bg" => {
                    let n = jobs
                        .jobs
                        .iter()
                        .find(|j| j.pid == pid)
                        .map_or(0, |j| j.number);
                    out.err(format!("bash: bg: job {n} already in background\n"));
                }
                Ok(_) => {
                    out.status = 1;
                    out.err("the lab's terminal runs one command at a time, so a port-forward stays in the background (kill %1 stops it)\n");
                }
                Err(_) if spec == "%+" => {
                    out.status = 1;
                    out.err(format!("bash: {name}: current: no such job\n"));
                }
                Err(e) => {
                    out.status = 1;
                    out.err(format!("bash: {name}: {e}\n"));
                }
            }
        }
        _ => out.status = 1,
    }
    out
}

/// bash's description of a signal given as `9`, `KILL` or `SIGKILL`.
fn signal_name(signal: &str) -> &'static str {
    match signal.trim_start_matches("SIG") {
        "9" | "KILL" => "Killed",
        "2" | "INT" => "Interrupt",
        "1" | "HUP" => "Hangup",
        _ => "Terminated",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forward(port: u16) -> Forward {
        Forward {
            cluster: "kind".into(),
            namespace: "default".into(),
            pod: "web".into(),
            uid: "u".into(),
            ports: vec![(port, 80)],
        }
    }

    #[test]
    fn jobs_are_listed_and_ended_as_bash_shows_them() {
        let mut jobs = Jobs::default();
        assert_eq!(
            jobs.start("kubectl port-forward svc/web 8080:80", forward(8080)),
            "[1] 4243\n"
        );
        assert_eq!(
            jobs.start("kubectl port-forward pod/web 9090:80", forward(9090)),
            "[2] 4244\n"
        );
        assert_eq!(
            jobs.listing(),
            "[1]-  Running                 kubectl port-forward svc/web 8080:80 &\n[2]+  Running                 kubectl port-forward pod/web 9090:80 &\n"
        );
        assert_eq!(jobs.resolve("%1"), Ok(4243));
        assert_eq!(jobs.resolve("%+"), Ok(4244));
        assert_eq!(jobs.resolve("%3"), Err("%3: no such job".into()));
        assert_eq!(jobs.resolve("99"), Err("(99) - No such process".into()));
        assert_eq!(
            jobs.forwarding(9090).map(|(j, remote)| (j.pid, remote)),
            Some((4244, 80))
        );
        assert_eq!(jobs.local_ports(), [8080, 9090]);
        assert_eq!(
            jobs.end(4243, Ended::Signal("Terminated")).as_deref(),
            Some("[1]-  Terminated              kubectl port-forward svc/web 8080:80\n")
        );
        assert_eq!(
            jobs.reap(|_| false),
            ["[2]+  Exit 1                  kubectl port-forward pod/web 9090:80\n"]
        );
        assert!(jobs.is_empty());
    }
}
