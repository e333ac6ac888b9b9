//! Colours and short labels for the map (no DOM here).

/// Colour-blind-safe hues (Okabe–Ito), one per owner; colour is never the only signal, the
/// owner is also in each pod's title.
const HUES: [&str; 7] = [
    "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#d55e00", "#56b4e9", "#7a6a00",
];

/// The colour for pods of one owner (`ReplicaSet/nginx-replicaset`); grey for bare pods.
pub fn owner_colour(owner: &str) -> &'static str {
    if owner.is_empty() {
        return "#64748b";
    }
    // FNV-1a: stable across runs, so a class sees the same colours.
    let hash = owner.bytes().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    HUES[hash as usize % HUES.len()]
}

/// A pod's name as the map shows it: a controller's pod by what follows its owner's name
/// (`nginx-replicaset-4x7bq` of `ReplicaSet/nginx-replicaset` → `…-4x7bq`), others whole
/// unless long. A StatefulSet's pod keeps its name (`web-0`): the name is its identity.
pub fn short_name(name: &str, owner: &str) -> String {
    let (owner_kind, owner_name) = owner.split_once('/').unwrap_or(("", ""));
    let fits = name.chars().count() <= 22;
    let keeps_name = owner_kind == "StatefulSet" && fits;
    if !owner_name.is_empty() && !keeps_name {
        if let Some(rest) = name.strip_prefix(owner_name) {
            if rest.starts_with('-') {
                return format!("…{rest}");
            }
        }
    }
    if fits {
        return name.to_owned();
    }
    let tail: String = name
        .chars()
        .rev()
        .take(20)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("…{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owners_keep_their_colour_and_bare_pods_are_grey() {
        let a = owner_colour("ReplicaSet/nginx-replicaset");
        assert_eq!(a, owner_colour("ReplicaSet/nginx-replicaset"));
        assert!(HUES.contains(&a));
        assert_eq!(owner_colour(""), "#64748b");
    }

    #[test]
    fn names_keep_what_sets_a_pod_apart() {
        assert_eq!(
            short_name("nginx-replicaset-4x7bq", "ReplicaSet/nginx-replicaset"),
            "…-4x7bq"
        );
        assert_eq!(short_name("curl-pod", ""), "curl-pod");
        assert_eq!(short_name("web-0", "StatefulSet/web"), "web-0");
        assert_eq!(
            short_name("nginx-deployment-674b8bbfcf-4x7bq", ""),
            "…ent-674b8bbfcf-4x7bq"
        );
    }
}
