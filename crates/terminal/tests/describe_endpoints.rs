//! `kubectl describe` for what a Service resolves to: its Endpoints (with the API server's
//! deprecation warning) and EndpointSlices, as describe.go prints them.

mod common;

#[test]
fn describe_endpoints_lists_ready_and_not_ready_addresses_and_ports() {
    let mut s = common::three_node_lab(3);
    let ips = s
        .type_line("kubectl get pods -n dev -o jsonpath='{.items[*].status.podIP}'")
        .stdout();
    let mut ips: Vec<&str> = ips.split(' ').collect();
    ips.sort();
    let described = s.type_line("kubectl describe endpoints nginx-service -n dev");
    assert_eq!(
        described.stderr(),
        "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n"
    );
    let text = described.stdout();
    assert!(text.starts_with("Name:         nginx-service\nNamespace:    dev\nLabels:       <none>\nAnnotations:  endpoints.kubernetes.io/last-change-trigger-time: "), "{text}");
    let addresses = text
        .lines()
        .find_map(|l| l.strip_prefix("  Addresses:          "))
        .unwrap_or_default();
    let mut listed: Vec<&str> = addresses.split(',').collect();
    listed.sort();
    assert_eq!(listed, ips, "{text}");
    assert!(
        text.ends_with("  NotReadyAddresses:  <none>\n  Ports:\n    Name     Port  Protocol\n    ----     ----  --------\n    <unset>  80    TCP\n\nEvents:  <none>\n"),
        "{text}"
    );
    // A stopped node's pod moves to NotReadyAddresses.
    s.type_line("docker stop demo-worker");
    s.type_line("sleep 60");
    let text = s
        .type_line("kubectl describe ep nginx-service -n dev")
        .stdout();
    let not_ready = text
        .lines()
        .find_map(|l| l.strip_prefix("  NotReadyAddresses:  "))
        .unwrap_or_default();
    assert_ne!(not_ready, "<none>", "{text}");
}

#[test]
fn describe_endpointslice_shows_each_endpoint_with_its_pod_and_node() {
    let mut s = common::three_node_lab(3);
    let text = s
        .type_line(
            "kubectl describe endpointslice -n dev -l kubernetes.io/service-name=nginx-service",
        )
        .stdout();
    assert!(
        text.contains("AddressType:  IPv4\nPorts:\n  Name     Port  Protocol\n  ----     ----  --------\n  <unset>  80    TCP\nEndpoints:\n  - Addresses:  10.244."),
        "{text}"
    );
    assert_eq!(text.matches("\n  - Addresses:  ").count(), 3, "{text}");
    assert_eq!(text.matches("      Ready:    true\n").count(), 3, "{text}");
    assert_eq!(
        text.matches("    TargetRef:  Pod/nginx-replicaset-")
            .count(),
        3,
        "{text}"
    );
    assert!(text.contains("    NodeName:   demo-worker"), "{text}");
    assert!(
        text.ends_with("    Zone:       <unset>\nEvents:         <none>\n"),
        "{text}"
    );
    // The API server's own slice has no pod behind it.
    let kubernetes = s
        .type_line("kubectl describe endpointslice kubernetes")
        .stdout();
    assert!(
        kubernetes.contains("Ports:\n  Name   Port  Protocol\n  ----   ----  --------\n  https  6443  TCP\nEndpoints:\n  - Addresses:  172.18.0.2\n    Conditions:\n      Ready:   true\n    Hostname:  <unset>\n    NodeName:  <unset>\n    Zone:      <unset>\n"),
        "{kubernetes}"
    );
}

#[test]
fn describe_namespace_has_no_quota_and_no_limit_range() {
    let mut s = common::three_node_lab(3);
    assert_eq!(
        s.type_line("kubectl describe ns dev").stdout(),
        "Name:         dev\nLabels:       kubernetes.io/metadata.name=dev\nAnnotations:  <none>\nStatus:       Active\n\nNo resource quota.\n\nNo LimitRange resource.\n"
    );
}
