//! The programs of the lab's terminal, wired to the simulator.

pub mod args;
pub mod brew;
pub mod curl;
pub mod docker;
pub mod host_ports;
pub mod kind;
pub mod kubectl;
mod node_help;
pub mod node_tools;
pub mod place;

use svclab_sim::lab::Lab;

use crate::workspace::Workspace;

/// What a program may touch: the lab and the learner's files.
pub struct Context<'a> {
    /// The simulated clusters and kubeconfig.
    pub lab: &'a mut Lab,
    /// The files commands read (`--config`, `-f`).
    pub workspace: &'a mut Workspace,
}
