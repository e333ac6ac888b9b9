//! The cluster map: the learner's host, the Services, and each node with its kube-proxy and
//! pods, with the request counters beside every pod and node.

mod palette;

use leptos::prelude::*;
use svclab_protocol::{ClaimView, NodeView, PodView, ServiceProblem, ServiceView, WorkloadView};

use crate::engine::EngineLink;
use crate::flow::FlowLayer;
use crate::i18n::{fill, texts, texts_now, Texts};
use crate::state::{LabState, LeftTab, Selection};
use crate::terminal::run_command;
use crate::traffic::TrafficControls;

/// Shows `selection` in the inspector.
fn inspect(state: LabState, selection: Selection) {
    state.selection.set(Some(selection));
    state.left_tab.set(LeftTab::Inspector);
}

/// The map of the current cluster.
#[component]
pub fn ClusterMap() -> impl IntoView {
    let state = expect_context::<LabState>();
    let t = texts();
    let body = NodeRef::<leptos::html::Div>::new();
    let cluster = move || state.view.with(|v| v.cluster.clone());
    view! {
        <section class="lab-panel lab-map" class:lab-focus=move || state.focus.get().as_deref() == Some("map")
            aria-label="Cluster map" data-testid="cluster-map">
            <header class="lab-panel__header">
                <h2>{move || t().cluster}</h2>
                <span class="lab-muted">
                    {move || match cluster() {
                        Some(c) => fill(t().cluster_summary, &[&c.name, &c.nodes.len().to_string()]),
                        None if state.ready.get() => t().no_cluster.to_owned(),
                        None => t().starting.to_owned(),
                    }}
                </span>
            </header>
            <TrafficControls />
            <div class="lab-map__body" node_ref=body>
            <FlowLayer container=body />
            {move || match (t(), cluster()) {
                (t, None) => view! {
                    <p class="lab-map__empty">
                        {t.empty_map_before} <strong>{t.create_cluster}</strong>
                        {t.empty_map_middle} <code>"kind create cluster --name service-demo --config=./manifests/kind-config.yaml"</code>
                        {t.empty_map_after}
                    </p>
                }.into_any(),
                (t, Some(c)) => view! {
                    <div class="lab-map__outside">
                        <div class="lab-host" title=t.host_title data-testid="host">
                            <svg class="lab-host__icon" viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.8">
                                <rect x="4" y="5" width="16" height="11" rx="1.5" />
                                <path d="M2 19h20" />
                            </svg>
                            <span>{t.host}</span>
                            <code>"172.18.0.1"</code>
                        </div>
                        {(state.traffic_source.get() == "alb").then(|| view! {
                            <div class="lab-host lab-alb" title=t.alb_title data-testid="alb">
                                <strong>"ALB"</strong>
                                <code>{crate::traffic::ALB_IP}</code>
                            </div>
                        })}
                        <ul class="lab-services" aria-label=t.services>
                            {c.services.iter().cloned().map(|s| view! { <ServiceCard service=s /> }).collect_view()}
                        </ul>
                    </div>
                    <Workloads workloads=c.workloads />
                    <ul class="lab-nodes" aria-label=t.nodes>
                        {
                            let node_ports = node_ports(&c.services);
                            c.nodes.into_iter().map(|n| view! { <NodeCard node=n node_ports=node_ports.clone() /> }).collect_view()
                        }
                    </ul>
                }.into_any(),
            }}
            </div>
        </section>
    }
}

/// What can be scaled, with − and + running `kubectl scale`.
#[component]
fn Workloads(workloads: Vec<WorkloadView>) -> impl IntoView {
    let state = expect_context::<LabState>();
    let link = expect_context::<EngineLink>();
    let scale = move |w: &WorkloadView, replicas: i32| {
        format!(
            "kubectl scale {} {} --replicas={} -n {}",
            w.resource,
            w.name,
            replicas.max(0),
            w.namespace
        )
    };
    view! {
        <ul class="lab-workloads" aria-label=texts_now().workloads>
            {workloads.into_iter().map(|w| {
                let down = scale(&w, w.desired - 1);
                let up = scale(&w, w.desired + 1);
                view! {
                    <li class="lab-workload" data-testid="workload">
                        <span class="lab-muted">{w.resource.clone()}</span>
                        <strong>{w.name.clone()}</strong>
                        <span class="lab-mono">{format!("{}/{} {}", w.ready, w.desired, texts_now().ready)}</span>
                        <button type="button" title=down.clone() aria-label=down.clone() prop:disabled=w.desired <= 0
                            on:click=move |_| run_command(link, state, &down)>"−"</button>
                        <button type="button" title=up.clone() aria-label=up.clone()
                            on:click=move |_| run_command(link, state, &up)>"+"</button>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

#[component]
fn ServiceCard(service: ServiceView) -> impl IntoView {
    let state = expect_context::<LabState>();
    let selection = Selection::Object {
        yaml: false,
        resource: "service",
        namespace: service.namespace.clone(),
        name: service.name.clone(),
    };
    let ports = service
        .ports
        .iter()
        .map(|p| {
            let node_port = if p.node_port > 0 {
                format!(" · nodePort {}", p.node_port)
            } else {
                String::new()
            };
            format!("{}→{}/{}{node_port}", p.port, p.target_port, p.protocol)
        })
        .collect::<Vec<_>>()
        .join(", ");
    let broken = service.problem.is_some();
    let class = if broken {
        "lab-service lab-service--broken"
    } else {
        "lab-service"
    };
    let focus_key = format!("service:{}/{}", service.namespace, service.name);
    let focused = move || state.focus.get().as_deref() == Some(focus_key.as_str());
    view! {
        <li class=class data-testid="service" class:lab-focus=focused>
            <div class="lab-service__title">
                <button type="button" class="lab-link" title=format!("{} service", texts_now().describe_title)
                    on:click=move |_| inspect(state, selection.clone())>{service.name.clone()}</button>
                <span class="lab-badge">{service.kind.clone()}</span>
                <span class="lab-muted">{service.namespace.clone()}</span>
            </div>
            <div class="lab-mono">
                {format!("ClusterIP {}", service.cluster_ip)}
                {(service.external_ip != "<none>").then(|| format!(" · EXTERNAL-IP {}", service.external_ip))}
            </div>
            {(service.cluster_ip == "None").then(|| view! {
                <div class="lab-muted" data-testid="headless">{texts_now().headless}</div>
            })}
            <div class="lab-mono">{ports}</div>
            <div class="lab-service__endpoints">
                {match service.problem {
                    Some(p) => view! { <span class="lab-error" role="status">{texts_now().no_endpoints} {problem_text(texts_now(), &p)}</span> }.into_any(),
                    None => view! { <span>{fill(texts_now().endpoints, &[&service.endpoints.len().to_string()])}</span> }.into_any(),
                }}
            </div>
        </li>
    }
}

#[component]
fn NodeCard(
    node: NodeView,
    /// Every Service node port, as `:30000 nginx-service`: kube-proxy opens each on every node.
    node_ports: Vec<String>,
) -> impl IntoView {
    let state = expect_context::<LabState>();
    let link = expect_context::<EngineLink>();
    let cordoned = node.status.contains("SchedulingDisabled");
    let t = texts_now();
    let action = |label: &'static str, command: String, title: &'static str| {
        view! {
            <button type="button" class="lab-node__action" title=title
                on:click=move |_| run_command(link, state, &command)>{label}</button>
        }
    };
    let actions = view! {
        <div class="lab-node__actions" role="group" aria-label=fill(t.actions_on, &[&node.name])>
            {if node.running {
                action(t.stop, format!("docker stop {}", node.name), t.stop_title)
            } else {
                action(t.start, format!("docker start {}", node.name), t.start_title)
            }}
            {if cordoned {
                action(t.uncordon, format!("kubectl uncordon {}", node.name), "kubectl uncordon")
            } else {
                action(t.cordon, format!("kubectl cordon {}", node.name), t.cordon_title)
            }}
            {action(t.drain, format!("kubectl drain {} --ignore-daemonsets", node.name), t.drain_title)}
        </div>
    };
    let chains_of = node.name.clone();
    let name = node.name.clone();
    let served = move || {
        state
            .counters
            .with(|c| c.per_node.get(&name).copied().unwrap_or(0))
    };
    let down = !node.running || node.status.starts_with("NotReady");
    let class = if down {
        "lab-node lab-node--down"
    } else {
        "lab-node"
    };
    let taints = node.taints.clone();
    let focus_key = format!("node:{}", node.name);
    let focused = move || state.focus.get().as_deref() == Some(focus_key.as_str());
    view! {
        <li class=class data-testid="node" data-node=node.name.clone() class:lab-focus=focused>
            <div class="lab-node__title">
                <strong>{node.name.clone()}</strong>
                <span class="lab-counter">{served}</span>
            </div>
            <div class="lab-mono lab-muted">{format!("{} · {} · {}", node.ip, node.role, node.status)}</div>
            {(!node.running).then(|| view! { <div class="lab-error">{t.container_stopped}</div> })}
            <div class="lab-node__badges">
                {taints.into_iter().map(|t| {
                    let effect = t.rsplit(':').next().unwrap_or(&t).to_owned();
                    view! { <span class="lab-badge lab-badge--taint" title=t.clone()>{fill(texts_now().taint, &[&effect])}</span> }
                }).collect_view()}
            </div>
            <button type="button" class="lab-kube-proxy" data-testid="kube-proxy"
                title=format!("{} (kube-system: {})", t.kube_proxy_title, node.system_pods.join(", "))
                on:click=move |_| inspect(state, Selection::Chain { node: chains_of.clone(), chain: "KUBE-SERVICES".to_owned() })>
                {t.kube_proxy}
            </button>
            {(!node_ports.is_empty()).then(|| view! {
                <div class="lab-node__ports" title=t.node_ports_title>
                    {node_ports.into_iter().map(|p| view! { <span class="lab-badge lab-badge--port">{p}</span> }).collect_view()}
                </div>
            })}
            <ul class="lab-pods" aria-label=fill(t.pods_on, &[&node.name])>
                {node.pods.into_iter().map(|p| view! { <PodChip pod=p /> }).collect_view()}
            </ul>
            {actions}
        </li>
    }
}

/// The node ports every node answers on, by Service.
fn node_ports(services: &[ServiceView]) -> Vec<String> {
    services
        .iter()
        .flat_map(|s| {
            s.ports
                .iter()
                .filter(|p| p.node_port > 0)
                .map(move |p| format!(":{} {}", p.node_port, s.name))
        })
        .collect()
}

/// A Service's missing endpoints, explained.
fn problem_text(t: &Texts, problem: &ServiceProblem) -> String {
    match problem {
        ServiceProblem::NoSelector => t.no_selector.to_owned(),
        ServiceProblem::NoMatch {
            selector,
            namespace,
        } => fill(t.selector_matches_none, &[selector, namespace]),
        ServiceProblem::NoneReady { matching, selector } => {
            fill(t.none_ready, &[&matching.to_string(), selector])
        }
    }
}

/// The pod's state in a mark that does not rely on colour: ✓ when Ready, else kubectl's STATUS.
fn status_label(pod: &PodView) -> String {
    match (pod.ready, pod.status.as_str()) {
        (true, "Running") => "✓".to_owned(),
        (_, status) => format!("… {status}"),
    }
}

/// A claim the pod mounts, under its row: the claim's name and phase (its volume in the
/// tooltip), so a replaced pod is seen to find the same claim on the same node.
fn claim_line(claim: &ClaimView) -> impl IntoView {
    let texts = texts_now();
    let title = if claim.volume.is_empty() {
        format!("{} {} · {}", texts.claim, claim.name, claim.phase)
    } else {
        format!(
            "{} {} · {} · {} {}",
            texts.claim, claim.name, claim.phase, texts.claim_volume, claim.volume
        )
    };
    let class = if claim.phase == "Bound" {
        "lab-pod__claim lab-pod__claim--bound"
    } else {
        "lab-pod__claim"
    };
    view! {
        <span class=class title=title data-testid="pod-claim">
            {format!("{} {} · {}", texts.claim, claim.name, claim.phase)}
        </span>
    }
}

#[component]
fn PodChip(pod: PodView) -> impl IntoView {
    let state = expect_context::<LabState>();
    let link = expect_context::<EngineLink>();
    let selection = Selection::Object {
        yaml: false,
        resource: "pod",
        namespace: pod.namespace.clone(),
        name: pod.name.clone(),
    };
    let delete = format!("kubectl delete pod {} -n {}", pod.name, pod.namespace);
    let key = format!("{}/{}", pod.namespace, pod.name);
    let served = move || {
        state
            .counters
            .with(|c| c.per_pod.get(&key).copied().unwrap_or(0))
    };
    let colour = palette::owner_colour(&pod.owner);
    let status_class = if pod.ready {
        "lab-pod lab-pod--ready"
    } else {
        "lab-pod"
    };
    let title = format!(
        "{}/{} · {} · owner {}",
        pod.namespace,
        pod.name,
        pod.status,
        if pod.owner.is_empty() {
            "none"
        } else {
            &pod.owner
        }
    );
    view! {
        <li class=status_class style:border-left-color=colour title=title data-testid="pod" data-pod=pod.name.clone()>
            <button type="button" class="lab-link lab-pod__name" title=format!("{} pod", texts_now().describe_title)
                on:click=move |_| inspect(state, selection.clone())>{palette::short_name(&pod.name, &pod.owner)}</button>
            <span class="lab-mono lab-pod__ip">{if pod.ip.is_empty() { "—".to_owned() } else { pod.ip.clone() }}</span>
            <span class="lab-pod__status" title=pod.status.clone()>{status_label(&pod)}</span>
            <span class="lab-counter" data-testid="pod-counter">{served}</span>
            <button type="button" class="lab-pod__delete" title=delete.clone() aria-label=delete.clone()
                on:click=move |_| run_command(link, state, &delete)>"×"</button>
            {pod.claims.iter().map(claim_line).collect_view()}
        </li>
    }
}
