//! Where a command runs: the learner's machine, inside a node container, or inside a pod.

/// The place a program runs in, which decides what it can reach and which tools exist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    /// The learner's machine (kind, kubectl, docker, curl).
    Host,
    /// A node container of a cluster (`docker exec NODE …`).
    Node {
        /// The cluster.
        cluster: String,
        /// The node.
        node: String,
    },
    /// A container of a pod (`kubectl exec`, `kubectl run -- …`).
    Pod {
        /// The cluster.
        cluster: String,
        /// The namespace.
        namespace: String,
        /// The pod.
        pod: String,
        /// The container (`-c`, or the pod's default).
        container: String,
    },
}

impl Place {
    /// The curl version this place has: macOS's, debian bookworm's on kind nodes, and
    /// curlimages/curl:latest's (as of the article, August 2024) in pods.
    pub fn curl_version(&self) -> &'static str {
        match self {
            Place::Host => "8.7.1",
            Place::Node { .. } => "7.88.1",
            Place::Pod { .. } => "8.9.1",
        }
    }
}
