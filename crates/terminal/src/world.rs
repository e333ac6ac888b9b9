//! The `Host` a shell runs against: which programs exist and which files are visible depend
//! on where the shell is — the learner's machine, a node container, or a pod's container.

use svclab_sim::api::Pod;
use svclab_sim::controllers::{persistent_volumes, pod_hosts};
use svclab_sim::lab::Lab;
use svclab_sim::network::nginx::{File, DEFAULT_PAGE, HTML_ROOT};

use crate::io::{Host, Output};
use crate::jobs::{Ended, Forward, Jobs};
use crate::programs::kubectl::edit::EditSession;
use crate::programs::kubectl::port_forward;
use crate::programs::place::Place;
use crate::programs::{curl, docker, kind, kubectl, node_tools, Context};
use crate::workspace::Workspace;

/// A shell the session should enter after the current command (`docker exec -it NODE bash`,
/// `kubectl exec -it POD -- sh`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Enter {
    /// Where the new shell runs.
    pub place: Place,
    /// Its hostname (the prompt shows it).
    pub hostname: String,
}

/// The world around one shell.
pub struct World<'a> {
    /// The lab.
    pub lab: &'a mut Lab,
    /// The learner's files (the host's working directory).
    pub workspace: &'a mut Workspace,
    /// Where the shell runs.
    pub place: Place,
    /// Set by a command that opens an interactive shell somewhere else.
    pub enter: Option<Enter>,
    /// Set by `kubectl edit`: the editor to open when the command line ends.
    pub edit: Option<EditSession>,
    /// The host shell's background jobs (none in a node's or a pod's shell).
    pub jobs: Option<&'a mut Jobs>,
}

/// Where a node container's written files are kept, beside the pods' (which are keyed by pod
/// uid, so the two cannot meet).
fn node_files_key(node: &str) -> String {
    format!("node/{node}")
}

/// The host shell's working directory, which holds the learner's files.
pub const HOST_WORKDIR: &str = "/home/learner/service-lab";

/// A path the shell made absolute, back relative to the learner's files.
fn host_relative(path: &str) -> &str {
    path.strip_prefix(HOST_WORKDIR)
        .map(|p| p.trim_start_matches('/'))
        .unwrap_or(path)
}

const HOST_PROGRAMS: [&str; 5] = ["brew", "curl", "docker", "kind", "kubectl"];
const NODE_PROGRAMS: [&str; 6] = [
    "conntrack",
    "curl",
    "hostname",
    "ip",
    "iptables",
    "iptables-save",
];
const POD_PROGRAMS: [&str; 4] = ["curl", "dig", "hostname", "nslookup"];

impl World<'_> {
    fn context(&mut self) -> Context<'_> {
        Context {
            lab: self.lab,
            workspace: self.workspace,
        }
    }

    /// The pod this world is inside, if any.
    fn pod(&self) -> Option<Pod> {
        let Place::Pod {
            cluster,
            namespace,
            pod,
            ..
        } = &self.place
        else {
            return None;
        };
        self.lab
            .cluster(cluster)?
            .store
            .get::<Pod>(namespace, pod)
            .cloned()
    }

    /// `kubectl port-forward` without `&`: a real one listens until Ctrl-C, which in the lab's
    /// one terminal would leave nothing to connect with.
    fn port_forward_in_foreground(&mut self, argv: &[String]) -> Output {
        match self.prepare_forward(argv) {
            Err(out) => out,
            Ok((forward, lines)) => {
                let mut out = Output::status(1);
                out.out(lines);
                let port = forward.ports.first().map_or(0, |p| p.0);
                out.err(format!(
                    "the lab's terminal runs one command at a time, so kubectl port-forward keeps listening only in the background: add & at the end (then curl localhost:{port}, and kill %1 to stop it)\n"
                ));
                out
            }
        }
    }

    /// curl on the learner's machine: `localhost:PORT` goes through a port-forward job that
    /// listens there (which says `Handling connection for PORT`), else through the network.
    fn host_curl(&mut self, argv: &[String]) -> Output {
        let forwarded = curl::local_port(argv).and_then(|port| {
            let (job, remote) = self.jobs.as_deref()?.forwarding(port)?;
            Some((port, job.pid, job.forward.clone(), remote))
        });
        let Some((port, pid, forward, remote)) = forwarded else {
            return curl::run(argv, &Place::Host, &mut self.context());
        };
        let mut out = Output::status(0);
        out.err(format!("Handling connection for {port}\n"));
        let (produced, gone) =
            curl::through_port_forward(argv, (&forward, remote), &mut self.context());
        out.chunks.extend(produced.chunks);
        out.status = produced.status;
        if gone {
            // The stream to the pod broke: kubectl says so and exits.
            out.err("error: lost connection to pod\n");
            if let Some(notice) = self
                .jobs
                .as_deref_mut()
                .and_then(|j| j.end(pid, Ended::Exit(1)))
            {
                out.err(notice);
            }
        }
        out
    }

    /// `kubectl port-forward …` resolved, its local ports checked against the jobs' own.
    fn prepare_forward(&mut self, argv: &[String]) -> Result<(Forward, String), Output> {
        let listening = self
            .jobs
            .as_deref()
            .map(Jobs::local_ports)
            .unwrap_or_default();
        port_forward::prepare(argv, &mut self.context(), |port| listening.contains(&port))
    }

    /// Writes (or appends to) `path` in the container whose files are kept under `key` (a
    /// node's or a pod's), stamped with the lab's clock.
    fn write_container_file(
        &mut self,
        cluster: &str,
        key: String,
        path: &str,
        content: &str,
        append: bool,
    ) -> Result<(), String> {
        let previous = self.read_file(path).ok();
        let now_s = self.lab.now_ms() / 1000;
        let Some(c) = self.lab.cluster_mut(cluster) else {
            return Err("No such file or directory".to_owned());
        };
        let mut text = if append {
            previous.unwrap_or_default()
        } else {
            String::new()
        };
        text.push_str(content);
        c.container_files.entry(key).or_default().insert(
            path.to_string(),
            File {
                content: text,
                mtime_s: now_s,
            },
        );
        Ok(())
    }
}

impl Host for World<'_> {
    fn run(&mut self, argv: &[String], stdin: &str, env: &[(String, String)]) -> Option<Output> {
        let program = argv.first()?.as_str();
        let place = self.place.clone();
        match (&place, program) {
            (_, "sh" | "bash") => Some(crate::exec::nested_shell(self, argv, stdin, env)),
            (Place::Host, "kind") => Some(kind::run(&argv[1..], &mut self.context())),
            (Place::Host, "brew") => Some(crate::programs::brew::run(argv)),
            (Place::Host, "kubectl") => Some(match kubectl::verb(argv).as_deref() {
                Some("exec") => crate::exec::kubectl_exec(self, argv, stdin),
                Some("run") => crate::exec::kubectl_run(self, argv),
                Some("port-forward") if !argv.iter().any(|a| a == "--help" || a == "-h") => {
                    self.port_forward_in_foreground(argv)
                }
                Some("edit") => match kubectl::edit(argv, &mut self.context()) {
                    Ok(session) => {
                        self.edit = Some(session);
                        Output::status(0)
                    }
                    Err(out) => out,
                },
                _ => kubectl::run(argv, stdin, &mut self.context()),
            }),
            (Place::Host, "docker") => Some(match argv.get(1).map(String::as_str) {
                Some("exec") => crate::exec::docker_exec(self, argv, stdin),
                _ => docker::run(argv, &mut self.context()),
            }),
            (Place::Host, "curl") => Some(self.host_curl(argv)),
            (_, "curl") => Some(curl::run(argv, &place, &mut self.context())),
            (Place::Node { cluster, node }, _) => {
                node_tools::run(argv, cluster, node, &mut self.context())
            }
            (
                Place::Pod {
                    cluster, namespace, ..
                },
                "nslookup" | "dig",
            ) => Some(crate::dns_tools::run(argv, self.lab, cluster, namespace)),
            (Place::Pod { .. }, "hostname") => Some(match self.pod() {
                Some(p) => pod_hostname(&p, argv),
                None => Output::status(1),
            }),
            _ => None,
        }
    }

    fn read_file(&self, path: &str) -> Result<String, String> {
        match &self.place {
            Place::Host => self
                .workspace
                .read(host_relative(path))
                .map_err(|_| "No such file or directory".to_owned()),
            Place::Node { cluster, node } => {
                let written = self.lab.cluster(cluster).and_then(|c| {
                    c.container_files
                        .get(&node_files_key(node))
                        .and_then(|files| files.get(path))
                        // The node's local-path directories hold the claims' files.
                        .or_else(|| persistent_volumes::node_volume_file(c, node, path))
                });
                match (written, path) {
                    (Some(f), _) => Ok(f.content.clone()),
                    (None, "/etc/hostname") => Ok(format!("{node}\n")),
                    _ => Err("No such file or directory".to_owned()),
                }
            }
            Place::Pod {
                cluster, namespace, ..
            } => {
                let Some(p) = self.pod() else {
                    return Err("No such file or directory".to_owned());
                };
                let written = self
                    .lab
                    .cluster(cluster)
                    .and_then(|c| c.container_files.get(&p.metadata.uid))
                    .and_then(|files| files.get(path));
                if let Some(f) = written {
                    return Ok(f.content.clone());
                }
                // A volume mounted over nginx's web root hides the image's page.
                let root_mounted = self
                    .lab
                    .cluster(cluster)
                    .and_then(|c| c.container_files.get(&p.metadata.uid))
                    .is_some_and(|files| {
                        files.contains_key(&svclab_sim::controllers::mount_marker(HTML_ROOT))
                    });
                let nginx = !root_mounted
                    && p.spec
                        .containers
                        .iter()
                        .any(|c| svclab_sim::network::send::is_nginx_image(&c.image));
                match path {
                    "/usr/share/nginx/html/index.html" if nginx => Ok(DEFAULT_PAGE.to_string()),
                    "/etc/hostname" => Ok(format!("{}\n", pod_hosts::hostname(&p))),
                    "/etc/hosts" => Ok(pod_hosts::etc_hosts(&p)),
                    "/etc/resolv.conf" => Ok(format!(
                        "search {namespace}.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n"
                    )),
                    _ => Err("No such file or directory".to_owned()),
                }
            }
        }
    }

    fn write_file(&mut self, path: &str, content: &str, append: bool) -> Result<(), String> {
        match self.place.clone() {
            Place::Host => self.workspace.write(host_relative(path), content, append),
            // A kind node's root file system is the container's own, and writable.
            Place::Node { cluster, node } => {
                self.write_container_file(&cluster, node_files_key(&node), path, content, append)
            }
            Place::Pod { cluster, .. } => {
                let Some(p) = self.pod() else {
                    return Err("No such file or directory".to_owned());
                };
                // A volume the kubelet writes (ConfigMap, Secret, downward API, projected) is
                // mounted read-only.
                let on_read_only_volume = p
                    .spec
                    .containers
                    .iter()
                    .flat_map(|c| &c.volume_mounts)
                    .any(|m| {
                        let dir = svclab_sim::controllers::mount_marker(&m.mount_path);
                        (path.starts_with(&dir) || path == m.mount_path)
                            && p.spec
                                .volumes
                                .iter()
                                .any(|v| v.name == m.name && v.is_kubelet_written())
                    });
                if on_read_only_volume {
                    return Err("Read-only file system".to_owned());
                }
                self.write_container_file(&cluster, p.metadata.uid.clone(), path, content, append)?;
                if let Some(c) = self.lab.cluster_mut(&cluster) {
                    svclab_sim::controllers::keep_in_volume(c, &p, path);
                }
                Ok(())
            }
        }
    }

    fn sleep_ms(&mut self, ms: u64) {
        self.lab.advance_ms(ms);
    }

    fn run_background(&mut self, argv: &[String]) -> Option<Output> {
        let is_port_forward = matches!(&self.place, Place::Host)
            && argv.first().is_some_and(|p| p == "kubectl")
            && kubectl::verb(argv).as_deref() == Some("port-forward");
        if !is_port_forward {
            return None;
        }
        let command = argv.join(" ");
        let prepared = self.prepare_forward(argv);
        let jobs = self.jobs.as_deref_mut()?;
        let mut out = Output::status(0);
        match prepared {
            Ok((forward, lines)) => {
                out.err(jobs.start(&command, forward));
                out.out(lines);
            }
            // It started, failed and exited: bash reports it at the next prompt.
            Err(failed) => {
                let (started, notice) = jobs.start_failed(&command);
                out.err(started);
                out.chunks.extend(failed.chunks);
                out.err(notice);
            }
        }
        Some(out)
    }

    fn job_control(&mut self, builtin: &str, args: &[String]) -> Option<Output> {
        let jobs = self.jobs.as_deref_mut()?;
        Some(crate::jobs::builtin(jobs, builtin, args))
    }

    fn programs(&self) -> Vec<String> {
        let names: &[&str] = match self.place {
            Place::Host => &HOST_PROGRAMS,
            Place::Node { .. } => &NODE_PROGRAMS,
            Place::Pod { .. } => &POD_PROGRAMS,
        };
        names.iter().map(|s| s.to_string()).collect()
    }
}

/// busybox `hostname` in a pod: the kubelet's hostname, `-f` with the domain a headless
/// Service gives it (from `/etc/hosts`), `-d` the domain, `-i` the address.
fn pod_hostname(p: &svclab_sim::api::Pod, argv: &[String]) -> Output {
    let mut out = Output::status(0);
    let host = pod_hosts::hostname(p);
    let domain = pod_hosts::domain(p);
    let line = match argv.get(1).map(String::as_str) {
        None | Some("-s" | "--short") => host,
        Some("-f" | "--fqdn" | "--long") => match domain {
            Some(d) => format!("{host}.{d}"),
            None => host,
        },
        Some("-d" | "--domain") => domain.unwrap_or_default(),
        Some("-i" | "--ip-address") => p.status.pod_ip.clone(),
        Some(other) => {
            out.status = 1;
            out.err(format!(
                "hostname: unrecognized option '{other}'\nBusyBox v1.36.1 multi-call binary.\n\nUsage: hostname [-sidf] [HOSTNAME | -F FILE]\n"
            ));
            return out;
        }
    };
    out.out(format!("{line}\n"));
    out
}
