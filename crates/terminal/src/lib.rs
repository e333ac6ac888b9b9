//! Service Lab's terminal: the commands a learner types, run against the simulator.
//!
//! - [`shell`]: the bash subset (parsing, expansion, pipes, redirections, loops, variables).
//! - [`coreutils`]: the small programs scripts lean on (`echo`, `grep`, `head`, `wc`, …).
//! - [`kubectl`]: kubectl's output: tables, `describe`, `-o yaml|json|jsonpath|custom-columns`.
//! - [`programs`]: `kind`, `kubectl`, `docker`, `curl`, `iptables`, … wired to the simulator.
//!
//! The engine uses only the simulator's public API; the page and `svclab` drive it alike.

pub mod complete;
pub mod coreutils;
pub mod dns_tools;
pub mod exec;
pub mod io;
pub mod jobs;
pub mod kubectl;
pub mod programs;
pub mod session;
pub mod shell;
pub mod workspace;
pub mod world;
