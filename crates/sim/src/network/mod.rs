//! Packets and the servers that answer them: the path a request takes from its source to a
//! pod, CoreDNS, and nginx with its access log.

pub mod access_log;
pub mod dns;
pub mod load_balancer;
pub mod nginx;
pub mod port_forward;
mod reach;
pub mod send;
pub mod traffic;

#[cfg(test)]
pub(crate) mod tests;
