//! The article's files, seeded into a new lab's workspace (`kind-config.yaml` and the
//! manifests the article applies).

/// The article's files by path, as a learner following it has them.
pub const FILES: [(&str, &str); 4] = [
    (
        "manifests/kind-config.yaml",
        include_str!("../content/article/manifests/kind-config.yaml"),
    ),
    (
        "manifests/nginx-replicaset.yaml",
        include_str!("../content/article/manifests/nginx-replicaset.yaml"),
    ),
    (
        "manifests/nginx-service-clusterip.yaml",
        include_str!("../content/article/manifests/nginx-service-clusterip.yaml"),
    ),
    (
        "manifests/nginx-service-nodeport.yaml",
        include_str!("../content/article/manifests/nginx-service-nodeport.yaml"),
    ),
];
