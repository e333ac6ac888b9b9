//! The top-level layout of the page.

use leptos::prelude::*;

/// The whole lab page.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <header class="lab-header">
            <img class="lab-header__logo" src="public/favicon.svg" alt="" width="32" height="32" />
            <h1 class="lab-header__title">"Service Lab"</h1>
            <span class="lab-header__version" data-testid="sim-version">
                "simulator v" {svclab_sim::VERSION}
            </span>
        </header>
        <main class="lab-main">
            <section class="lab-intro" aria-labelledby="intro-title">
                <h2 id="intro-title">"How Kubernetes Services really route a request"</h2>
                <p>
                    "A kind cluster, its controllers and kube-proxy's iptables chains, simulated in your browser. "
                    "Create the cluster, apply the manifests and follow each request from the load balancer "
                    "through a node's rules to a pod."
                </p>
                <p lang="ja">
                    "ブラウザの中で kind クラスターと kube-proxy の iptables ルールを再現し、"
                    "Service がリクエストを Pod へ届ける仕組みを一歩ずつ確かめるラボです。"
                </p>
            </section>
        </main>
    }
}
