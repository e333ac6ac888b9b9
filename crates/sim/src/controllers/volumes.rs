//! The kubelet's ConfigMap and Secret volumes (pkg/volume/configmap, pkg/volume/secret,
//! pkg/kubelet/volumemanager): before a pod's containers start, each such volume a container
//! mounts is set up by writing the object's keys (or its `items`) as files under the mount
//! path. A missing object (unless the volume is `optional`) or key keeps the pod in
//! ContainerCreating with a FailedMount event, retried until it appears. A changed object
//! reaches the files of the pods mounting it at the kubelet's next sync of the pod (its
//! `syncFrequency`, 1 minute), which a timer stands for.

use crate::api::{
    field_value, key_files, DataSource, DownwardApiVolumeSource, KeyToPath, Pod, StringMap, Volume,
};
use crate::cluster::{Cluster, Timer};
use crate::network::nginx::File;

/// How long until the kubelet retries a failed mount (the volume manager's reconciler
/// retries with a backoff that starts well under this; events are aggregated anyway).
pub(super) const MOUNT_RETRY_MS: u64 = 8_000;

/// When a ConfigMap change shows in the mounted files: the kubelet's periodic pod sync.
const SYNC_MS: u64 = 60_000;

/// The marker key under which a mounted directory is recorded in the container's files
/// (`/usr/share/nginx/html/`): its earlier content is hidden by the mount.
pub fn mount_marker(mount_path: &str) -> String {
    format!("{}/", mount_path.trim_end_matches('/'))
}

/// What earlier pods wrote into the volume bound to the pod's claim `claim`.
fn claim_files(cluster: &Cluster, pod: &Pod, claim: &str) -> Vec<(String, String)> {
    claim_volume(cluster, &pod.metadata.namespace, claim)
        .and_then(|pv| cluster.volume_files.get(&pv))
        .map(|files| {
            files
                .iter()
                .map(|(path, f)| (path.clone(), f.content.clone()))
                .collect()
        })
        .unwrap_or_default()
}

/// The volume bound to claim `namespace/claim`, if it is bound.
fn claim_volume(cluster: &Cluster, namespace: &str, claim: &str) -> Option<String> {
    cluster
        .store
        .get::<crate::api::PersistentVolumeClaim>(namespace, claim)
        .filter(|c| c.status.phase == "Bound")
        .map(|c| c.spec.volume_name.clone())
}

/// After `pod` wrote `path`: when it is under the mount of a bound claim, the file lands in
/// the claim's volume too, where the next pod that mounts the claim finds it.
pub fn keep_in_volume(cluster: &mut Cluster, pod: &Pod, path: &str) {
    let Some((volume, relative)) = persistent_path(cluster, pod, path) else {
        return;
    };
    let written = cluster
        .container_files
        .get(&pod.metadata.uid)
        .and_then(|files| files.get(path))
        .cloned();
    if let Some(file) = written {
        cluster
            .volume_files
            .entry(volume)
            .or_default()
            .insert(relative, file);
    }
}

/// Where a write to `path` in `pod` lands in a PersistentVolume: the volume and the path
/// inside it, when `path` is under a mount of a bound claim.
fn persistent_path(cluster: &Cluster, pod: &Pod, path: &str) -> Option<(String, String)> {
    pod.spec
        .containers
        .iter()
        .flat_map(|c| &c.volume_mounts)
        .filter(|m| m.sub_path.is_empty())
        .find_map(|m| {
            let relative = path.strip_prefix(&mount_marker(&m.mount_path))?;
            let claim = pod
                .spec
                .volumes
                .iter()
                .find(|v| v.name == m.name)?
                .persistent_volume_claim
                .as_ref()?;
            let pv = claim_volume(cluster, &pod.metadata.namespace, &claim.claim_name)?;
            Some((pv, relative.to_string()))
        })
}

/// The files every mount of the pod shows: `(container path, content)`, or the FailedMount
/// message for the first volume that cannot be set up. A `subPath` mount is bound once, when
/// the container starts (`at_start`): later changes do not reach it.
fn mounted_files(
    cluster: &Cluster,
    pod: &Pod,
    at_start: bool,
) -> Result<Vec<(String, String)>, String> {
    let mut files = Vec::new();
    for c in pod.spec.containers.iter() {
        for m in &c.volume_mounts {
            let Some(volume) = pod.spec.volumes.iter().find(|v| v.name == m.name) else {
                continue;
            };
            let Some(setup) = volume_files(cluster, pod, volume) else {
                continue;
            };
            let keyed = setup.map_err(|why| {
                format!("MountVolume.SetUp failed for volume \"{}\" : {why}", m.name)
            })?;
            if !m.sub_path.is_empty() {
                if at_start {
                    files.extend(sub_path_files(&keyed, &m.sub_path, &m.mount_path));
                }
                continue;
            }
            files.push((mount_marker(&m.mount_path), String::new()));
            let dir = m.mount_path.trim_end_matches('/');
            files.extend(
                keyed
                    .into_iter()
                    .map(|(path, content)| (format!("{dir}/{path}"), content)),
            );
        }
    }
    Ok(files)
}

/// The files the kubelet writes into `volume`, relative to its root, or why it cannot set it
/// up; `None` for a volume it does not write (an emptyDir).
fn volume_files(
    cluster: &Cluster,
    pod: &Pod,
    volume: &Volume,
) -> Option<Result<Vec<(String, String)>, String>> {
    if let Some(claim) = &volume.persistent_volume_claim {
        return Some(Ok(claim_files(cluster, pod, &claim.claim_name)));
    }
    if let Some((kind, name, optional)) = volume.data_source() {
        return Some(object_files(
            cluster,
            pod,
            kind,
            name,
            volume.items(),
            optional,
        ));
    }
    if let Some(downward) = &volume.downward_api {
        return Some(Ok(downward_files(pod, downward)));
    }
    let projected = volume.projected.as_ref()?;
    // projected.go `collectData`: every source's files, and every source's error, aggregated.
    let mut files = Vec::new();
    let mut errors: Vec<String> = Vec::new();
    for source in &projected.sources {
        if let Some((kind, p)) = source.keyed() {
            let optional = p.optional == Some(true);
            match object_files(cluster, pod, kind, &p.name, &p.items, optional) {
                Ok(f) => files.extend(f),
                Err(e) if !errors.contains(&e) => errors.push(e),
                Err(_) => {}
            }
        } else if let Some(downward) = &source.downward_api {
            files.extend(downward_files(pod, downward));
        }
    }
    // utilerrors.NewAggregate: one message as it is, several in brackets.
    Some(match errors.len() {
        0 => Ok(files),
        1 => Err(errors.remove(0)),
        _ => Err(format!("[{}]", errors.join(", "))),
    })
}

/// The files of a ConfigMap or Secret (or of its `items`): `Ok` and none when it is missing
/// but optional.
fn object_files(
    cluster: &Cluster,
    pod: &Pod,
    kind: DataSource,
    name: &str,
    items: &[KeyToPath],
    optional: bool,
) -> Result<Vec<(String, String)>, String> {
    let ns = &pod.metadata.namespace;
    let Some(data) = super::container_config::source_values(&cluster.store, ns, kind, name) else {
        return if optional {
            Ok(Vec::new())
        } else {
            Err(kind.not_found(name))
        };
    };
    let keyed = key_files(items, &data).map_err(|key| missing_key(kind, key))?;
    Ok(keyed
        .into_iter()
        .map(|(p, c)| (p.to_string(), c.to_string()))
        .collect())
}

/// A downward API volume's files (pkg/volume/downwardapi `CollectData`): each item's field,
/// `metadata.labels` and `metadata.annotations` as sorted `key="value"` lines
/// (pkg/fieldpath `FormatMap`).
fn downward_files(pod: &Pod, source: &DownwardApiVolumeSource) -> Vec<(String, String)> {
    let format_map = |m: &StringMap| {
        m.iter()
            .map(|(k, v)| format!("{k}={}", crate::yaml::go_quote(v)))
            .collect::<Vec<_>>()
            .join("\n")
    };
    source
        .items
        .iter()
        .filter_map(|item| {
            let field = item.field_ref.as_ref()?;
            let content = match field.field_path.as_str() {
                "metadata.labels" => format_map(&pod.metadata.labels),
                "metadata.annotations" => format_map(&pod.metadata.annotations),
                path => field_value(pod, path)?,
            };
            Some((item.path.clone(), content))
        })
        .collect()
}

/// `MakePayload`'s error for an `items` key the object lacks.
fn missing_key(kind: DataSource, key: &str) -> String {
    match kind {
        DataSource::ConfigMap => format!("configmap references non-existent config key: {key}"),
        DataSource::Secret => format!("references non-existent secret key: {key}"),
    }
}

/// What a `subPath` mount shows at `mount_path`: the volume's file at `sub_path`, or the
/// directory of the files under it; a path the volume lacks is created as an empty directory
/// (kubelet_pods.go `makeMounts`, `SafeMakeDir`).
fn sub_path_files(
    keyed: &[(String, String)],
    sub_path: &str,
    mount_path: &str,
) -> Vec<(String, String)> {
    let sub = sub_path.trim_end_matches('/');
    if let Some((_, content)) = keyed.iter().find(|(path, _)| path == sub) {
        return vec![(mount_path.to_string(), content.clone())];
    }
    let dir = mount_path.trim_end_matches('/');
    let mut files = vec![(mount_marker(mount_path), String::new())];
    let prefix = format!("{sub}/");
    files.extend(keyed.iter().filter_map(|(path, content)| {
        let rest = path.strip_prefix(&prefix)?;
        Some((format!("{dir}/{rest}"), content.clone()))
    }));
    files
}

/// Sets up the ConfigMap volumes of the pod `ns/name` (`at_start`: as its containers start,
/// `subPath` mounts included), replacing what earlier setups wrote under their mount paths.
/// `Err` is the FailedMount message; nothing is written then.
pub(super) fn mount(
    cluster: &mut Cluster,
    ns: &str,
    name: &str,
    at_start: bool,
) -> Result<(), String> {
    let Some(pod) = cluster.store.get::<Pod>(ns, name) else {
        return Ok(());
    };
    let files = mounted_files(cluster, pod, at_start)?;
    if files.is_empty() {
        return Ok(());
    }
    let uid = pod.metadata.uid.clone();
    let now_s = cluster.now_ms() / 1000;
    let dirs: Vec<String> = files
        .iter()
        .filter(|(path, _)| path.ends_with('/'))
        .map(|(path, _)| path.clone())
        .collect();
    let container_files = cluster.container_files.entry(uid).or_default();
    container_files.retain(|path, _| !dirs.iter().any(|d| path.starts_with(d.as_str())));
    for (path, content) in files {
        let unchanged = container_files
            .get(&path)
            .is_some_and(|f| f.content == content);
        if !unchanged {
            container_files.insert(
                path,
                File {
                    content,
                    mtime_s: now_s,
                },
            );
        }
    }
    Ok(())
}

/// A ConfigMap or Secret was written, or a pod with downward API files relabelled: the
/// running pods concerned get their files refreshed at their next sync.
pub(super) fn reconcile(cluster: &mut Cluster) {
    let relabelled = std::mem::take(&mut cluster.store.tracker_mut().dirty_downward_pods);
    let at = cluster.now_ms().saturating_add(SYNC_MS);
    for (ns, name) in relabelled {
        let Some(pod) = cluster.store.get::<Pod>(&ns, &name) else {
            continue;
        };
        if !pod.status.start_time.is_empty() {
            let uid = pod.metadata.uid.clone();
            cluster.timers.set(
                at,
                Timer::VolumesSync {
                    namespace: ns,
                    name,
                    uid,
                },
            );
        }
    }
    let changed = std::mem::take(&mut cluster.store.tracker_mut().dirty_volume_sources);
    for (kind, (ns, name)) in changed {
        let mounting: Vec<(String, String)> = cluster
            .store
            .list::<Pod>(Some(&ns))
            .filter(|p| !p.status.start_time.is_empty() && p.metadata.deletion_timestamp.is_none())
            .filter(|p| p.spec.volumes.iter().any(|v| v.reads(kind, &name)))
            .map(|p| (p.metadata.name.clone(), p.metadata.uid.clone()))
            .collect();
        for (pod, uid) in mounting {
            cluster.timers.set(
                at,
                Timer::VolumesSync {
                    namespace: ns.clone(),
                    name: pod,
                    uid,
                },
            );
        }
    }
}

/// The kubelet's sync of a running pod: its ConfigMap volumes show the current data.
pub(super) fn sync(cluster: &mut Cluster, ns: &str, name: &str, uid: &str) {
    let running = super::kubelet::live_pod(cluster, ns, name, uid)
        .is_some_and(|p| p.status.phase == "Running");
    if running {
        let _ = mount(cluster, ns, name, false);
    }
}
