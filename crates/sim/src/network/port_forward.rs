//! `kubectl port-forward`'s end of the path: the API server streams the connection to the
//! kubelet, whose container runtime dials `localhost:PORT` inside the pod's network namespace
//! (containerd's `PortForward`). No Service, no kube-proxy rule and no other pod is involved,
//! and the pod's server sees the client as 127.0.0.1.

use std::net::Ipv4Addr;

use super::nginx::{self, Request, Response};
use super::send::is_nginx_image;
use crate::api::Pod;
use crate::cluster::Cluster;

/// What became of one forwarded connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Forwarded {
    /// The pod's server answered.
    Served(Response),
    /// Nothing listens on that port in the pod.
    Refused,
    /// The pod (with that uid) is gone or no longer running: the stream is lost.
    PodGone,
}

/// One connection forwarded to `port` of the pod `namespace/name` with `uid`.
pub fn forward(
    cluster: &mut Cluster,
    (namespace, name, uid): (&str, &str, &str),
    port: u16,
    request: &Request,
) -> Forwarded {
    let Some(pod) = cluster.store.get::<Pod>(namespace, name) else {
        return Forwarded::PodGone;
    };
    let running = pod.metadata.uid == uid
        && pod.metadata.deletion_timestamp.is_none()
        && pod.status.phase == "Running";
    if !running {
        return Forwarded::PodGone;
    }
    let serves_http = pod.spec.containers.iter().any(|c| is_nginx_image(&c.image));
    if !serves_http || port != 80 {
        return Forwarded::Refused;
    }
    let now = cluster.now_ms();
    let files = cluster
        .container_files
        .get(uid)
        .cloned()
        .unwrap_or_default();
    let response = nginx::serve(&files, request, now);
    let answer = nginx::answer(&files, request);
    cluster
        .access_logs
        .entry(uid.to_string())
        .or_default()
        .push(
            Ipv4Addr::LOCALHOST,
            now,
            request,
            answer.status,
            answer.body_bytes_sent,
        );
    Forwarded::Served(response)
}
