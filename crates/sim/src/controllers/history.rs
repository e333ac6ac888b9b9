//! Controller history (pkg/controller/history/controller_history.go and the StatefulSet
//! controller's `getPatch`/`newRevision` in stateful_set_utils.go): the ControllerRevisions a
//! StatefulSet keeps, one per distinct pod template, named `<set>-<hash>`.
//!
//! A revision's data is the patch `{"spec":{"template":{…,"$patch":"replace"}}}`, which Go writes
//! with `json.Marshal` of a map: compact, keys sorted at every level. Its hash is FNV-1 (32-bit,
//! `fnv.New32`, not FNV-1a) of those bytes followed by the decimal collision count (controllers
//! always pass one, so `0` is hashed too), printed in decimal and passed through
//! `rand.SafeEncodeString`. Upstream's v1.33 compatibility fixture
//! (pkg/controller/statefulset/testdata/compatibility_revision_1.33.0.json) is the test below.
//!
//! The template JSON is the lab's serialization of the defaulted template plus the three
//! fields Go always writes for non-pointer structs (`creationTimestamp: null`, `resources: {}`,
//! `securityContext: {}`); for the fields the lab keeps it is the API server's.

use std::collections::BTreeSet;

use serde_yaml_ng::{Mapping, Value};

use crate::api::{ControllerRevision, ObjectMeta, PodTemplateSpec, ResourceKind};
use crate::cluster::Cluster;
use crate::manifest::go_json_string;
use crate::names::safe_encode_string;

/// The label a ControllerRevision carries its hash in.
pub const CONTROLLER_REVISION_HASH_LABEL: &str = "controller.kubernetes.io/hash";

/// The 32-bit FNV-1 hash (`hash/fnv.New32`): multiply, then xor.
fn fnv32(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5_u32, |hash, &b| {
        hash.wrapping_mul(0x0100_0193) ^ u32::from(b)
    })
}

/// `getPatch`: the revision data for a template, as a YAML value (what the lab stores) and as
/// Go's JSON bytes (what is hashed).
pub fn template_patch(template: &PodTemplateSpec) -> (Value, String) {
    let mut value = serde_yaml_ng::to_value(template).unwrap_or(Value::Null);
    go_struct_fields(&mut value);
    let mut with_patch = match value {
        Value::Mapping(m) => m,
        _ => Mapping::new(),
    };
    with_patch.insert("$patch".into(), "replace".into());
    let mut spec = Mapping::new();
    spec.insert("template".into(), Value::Mapping(with_patch));
    let mut root = Mapping::new();
    root.insert("spec".into(), Value::Mapping(spec));
    let root = Value::Mapping(root);
    let mut json = String::new();
    write_go_json(&root, &mut json);
    (root, json)
}

/// Adds what the API server stores that the lab's template leaves out: the zero values Go's
/// encoder writes for non-pointer structs, and the `SetDefaults_PodSpec`/`SetDefaults_Container`
/// values the lab derives only when printing (the terminal's `derived_pod.rs` adds the same).
fn go_struct_fields(template: &mut Value) {
    let Value::Mapping(t) = template else { return };
    let meta = t
        .entry("metadata".into())
        .or_insert_with(|| Value::Mapping(Mapping::new()));
    if let Value::Mapping(m) = meta {
        m.entry("creationTimestamp".into()).or_insert(Value::Null);
    }
    let Some(Value::Mapping(spec)) = t.get_mut("spec") else {
        return;
    };
    let empty = || Value::Mapping(Mapping::new());
    spec.entry("dnsPolicy".into())
        .or_insert("ClusterFirst".into());
    spec.entry("schedulerName".into())
        .or_insert("default-scheduler".into());
    spec.entry("securityContext".into()).or_insert_with(empty);
    for list in ["containers", "initContainers"] {
        if let Some(Value::Sequence(containers)) = spec.get_mut(list) {
            for c in containers {
                if let Value::Mapping(c) = c {
                    c.entry("resources".into()).or_insert_with(empty);
                    c.entry("terminationMessagePath".into())
                        .or_insert("/dev/termination-log".into());
                    c.entry("terminationMessagePolicy".into())
                        .or_insert("File".into());
                }
            }
        }
    }
}

/// `json.Marshal` of a decoded map: compact, keys sorted, Go's string escaping.
fn write_go_json(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => go_json_string(s, out),
        Value::Sequence(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_go_json(item, out);
            }
            out.push(']');
        }
        Value::Mapping(m) => {
            let mut entries: Vec<(String, &Value)> =
                m.iter().map(|(k, v)| (key_text(k), v)).collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            out.push('{');
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                go_json_string(k, out);
                out.push(':');
                write_go_json(v, out);
            }
            out.push('}');
        }
        Value::Tagged(t) => write_go_json(&t.value, out),
    }
}

fn key_text(k: &Value) -> String {
    match k {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

/// `HashControllerRevision` of the data's JSON with a collision count.
pub fn revision_hash(json: &str, collision_count: i32) -> String {
    let mut bytes = json.as_bytes().to_vec();
    bytes.extend_from_slice(collision_count.to_string().as_bytes());
    safe_encode_string(&fnv32(&bytes).to_string())
}

/// `ControllerRevisionName`: the owner's name (cut to 223 bytes) and the hash.
pub fn revision_name(owner: &str, hash: &str) -> String {
    let prefix: String = owner
        .char_indices()
        .take_while(|(i, _)| *i < 223)
        .map(|(_, c)| c)
        .collect();
    format!("{prefix}-{hash}")
}

/// `NewControllerRevision` (with `newRevision`'s annotations): a StatefulSet's revision of
/// `template`, hashed from its data, labelled with the template's labels and the hash.
pub fn new_revision(
    owner: &ObjectMeta,
    owner_kind: &str,
    template: &PodTemplateSpec,
    revision: i64,
    collision_count: i32,
) -> ControllerRevision {
    let (data, json) = template_patch(template);
    let hash = revision_hash(&json, collision_count);
    revision_object(
        owner,
        owner_kind,
        template,
        data,
        (CONTROLLER_REVISION_HASH_LABEL, &hash),
        revision,
    )
}

/// The DaemonSet controller's `snapshot` (pkg/controller/daemon/update.go): named by the
/// template hash its pods carry, which is also its `controller-revision-hash` label.
pub fn daemon_revision(
    owner: &ObjectMeta,
    template: &PodTemplateSpec,
    hash: &str,
    revision: i64,
) -> ControllerRevision {
    let (data, _) = template_patch(template);
    revision_object(
        owner,
        "DaemonSet",
        template,
        data,
        (crate::cluster::REVISION_LABEL, hash),
        revision,
    )
}

fn revision_object(
    owner: &ObjectMeta,
    owner_kind: &str,
    template: &PodTemplateSpec,
    data: Value,
    (label, hash): (&str, &str),
    revision: i64,
) -> ControllerRevision {
    let mut metadata = ObjectMeta {
        name: revision_name(&owner.name, hash),
        namespace: owner.namespace.clone(),
        labels: template.metadata.labels.clone(),
        annotations: owner.annotations.clone(),
        ..ObjectMeta::default()
    };
    metadata.labels.insert(label.to_string(), hash.to_string());
    metadata.owner_references = vec![super::owner_ref(
        "apps/v1",
        owner_kind,
        &owner.name,
        &owner.uid,
    )];
    ControllerRevision {
        metadata,
        data,
        revision,
    }
}

/// The revisions an owner controls, oldest revision first (`controlledHistories`).
pub fn owned_revisions(cluster: &Cluster, ns: &str, uid: &str) -> Vec<ControllerRevision> {
    let mut revisions: Vec<ControllerRevision> = cluster
        .store
        .tracker()
        .dependents_of(ns, uid, ResourceKind::ControllerRevision)
        .iter()
        .filter_map(|name| cluster.store.get::<ControllerRevision>(ns, name))
        .cloned()
        .collect();
    revisions.sort_by(|a, b| {
        a.revision
            .cmp(&b.revision)
            .then(a.metadata.name.cmp(&b.metadata.name))
    });
    revisions
}

/// The revision for the current template: an equal older one renumbered as the newest
/// (`UpdateControllerRevision`, as a rollback leaves it), the newest itself, or `candidate`
/// stored. `candidate` is built for a collision count; a name taken by other data asks for
/// the next count (`CreateControllerRevision`). Returns the revision and the count used.
pub(super) fn record(
    cluster: &mut Cluster,
    owned: &[ControllerRevision],
    mut collision_count: i32,
    candidate: impl Fn(i64, i32) -> ControllerRevision,
) -> (ControllerRevision, i32) {
    let next = owned.last().map_or(1, |r| r.revision.saturating_add(1));
    let mut wanted = candidate(next, collision_count);
    let ns = wanted.metadata.namespace.clone();
    if let Some(equal) = owned.iter().rev().find(|r| r.data == wanted.data) {
        if owned.last().map(|l| &l.metadata.name) == Some(&equal.metadata.name) {
            return (equal.clone(), collision_count);
        }
        let name = equal.metadata.name.clone();
        cluster.modify::<ControllerRevision>(&ns, &name, |c| c.revision = next);
        let mut bumped = equal.clone();
        bumped.revision = next;
        return (bumped, collision_count);
    }
    while cluster
        .store
        .get::<ControllerRevision>(&ns, &wanted.metadata.name)
        .is_some_and(|taken| taken.data != wanted.data)
        && collision_count < i32::MAX
    {
        collision_count += 1;
        wanted = candidate(next, collision_count);
    }
    // Keyed, not drawn: a DaemonSet's revision is made at boot, and drawing its uid would
    // move every later random choice (pod names, IPs, placement) of a seed.
    cluster.stamp_new_keyed("ControllerRevision", &mut wanted.metadata);
    cluster.store.put(wanted.clone());
    (wanted, collision_count)
}

/// `truncateHistory` / `cleanupHistory`: revisions not in `live` go, oldest first, beyond
/// `limit`.
pub(super) fn truncate(
    cluster: &mut Cluster,
    ns: &str,
    uid: &str,
    live: &BTreeSet<&str>,
    limit: i32,
) {
    let old: Vec<String> = owned_revisions(cluster, ns, uid)
        .into_iter()
        .filter(|c| !live.contains(c.metadata.name.as_str()))
        .map(|c| c.metadata.name)
        .collect();
    let excess = old.len().saturating_sub(limit.max(0) as usize);
    for name in old.into_iter().take(excess) {
        cluster.store.remove::<ControllerRevision>(ns, &name);
        cluster.store.next_resource_version();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1_matches_the_reference_vectors() {
        // FNV-1 32-bit test vectors (not FNV-1a's).
        assert_eq!(fnv32(b""), 0x811c9dc5);
        assert_eq!(fnv32(b"a"), 0x050c5d7e);
        assert_eq!(fnv32(b"foobar"), 0x31f0b262);
    }

    #[test]
    fn the_upstream_v1_33_revision_hashes_the_same() {
        let mut template: PodTemplateSpec = serde_yaml_ng::from_str(
            "metadata:\n  labels: {app: foo}\n  annotations: {test: value}\nspec:\n  containers:\n  - name: test\n    image: test\n",
        )
        .expect("a template");
        crate::apiserver::validation::default_pod_spec(&mut template.spec);
        let (_, json) = template_patch(&template);
        assert_eq!(
            json,
            r#"{"spec":{"template":{"$patch":"replace","metadata":{"annotations":{"test":"value"},"creationTimestamp":null,"labels":{"app":"foo"}},"spec":{"containers":[{"image":"test","imagePullPolicy":"Always","name":"test","resources":{},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],"dnsPolicy":"ClusterFirst","restartPolicy":"Always","schedulerName":"default-scheduler","securityContext":{},"terminationGracePeriodSeconds":30}}}}"#
        );
        assert_eq!(revision_hash(&json, 0), "c77f6d978");
        assert_eq!(revision_name("test", "c77f6d978"), "test-c77f6d978");
    }

    #[test]
    fn a_revision_reads_back_its_template() {
        let template: PodTemplateSpec = serde_yaml_ng::from_str(
            "metadata:\n  labels: {app: web}\nspec:\n  containers:\n  - name: nginx\n    image: nginx:1.27\n",
        )
        .expect("a template");
        let owner = ObjectMeta {
            name: "web".into(),
            namespace: "default".into(),
            uid: "u1".into(),
            ..ObjectMeta::default()
        };
        let r = new_revision(&owner, "StatefulSet", &template, 1, 0);
        assert!(r.metadata.name.starts_with("web-"));
        assert_eq!(
            r.metadata
                .labels
                .get(CONTROLLER_REVISION_HASH_LABEL)
                .map(String::as_str),
            r.metadata.name.strip_prefix("web-")
        );
        let back = r.template().expect("a template");
        assert_eq!(back.spec.containers[0].image, "nginx:1.27");
        assert_eq!(back.metadata.labels, template.metadata.labels);
    }
}
