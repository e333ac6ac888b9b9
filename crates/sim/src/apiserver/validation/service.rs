//! Services (`pkg/apis/core/validation/validation.go`: `ValidateService`, `validateServicePort`,
//! `validateServiceExternalTrafficPolicy`, `validateServiceInternalTrafficFieldsValue`,
//! `ValidateServiceClusterIPsRelatedFields`, `ValidateServiceUpdate`,
//! `validateUpgradeDowngradeClusterIPs`, `validateUpgradeDowngradeIPFamilies`).
//!
//! Validation runs on the defaulted object (see [`super::defaults`]). Note two upstream quirks
//! kept on purpose: the source-ranges path is `spec.LoadBalancerSourceRanges` (capital L) and a
//! LoadBalancer without `allocateLoadBalancerNodePorts` reports the path without `spec.`.
//! Changing a set ClusterIP is reported as `spec.clusterIPs[0]: ... may not change once set`
//! (the v1.20+ dual-stack rule), not `field is immutable`.

use std::collections::BTreeSet;

use crate::api::{IntOrString, Service, ServicePort};
use crate::apiserver::errors::{go_quote, BadValue, FieldError, FieldPath};
use crate::apiserver::names;

use super::ip::{
    is_ipv6_string, parse_ip_sloppy, validate_cidr, validate_ip, validate_non_special_ip,
};
use super::meta::{validate_labels, validate_object_meta, validate_object_meta_update};
use super::pod::{dns1123_label, validate_protocol};

/// `core.MaxClientIPServiceAffinitySeconds`: one day.
pub const MAX_CLIENT_IP_AFFINITY_SECONDS: i32 = 86400;

/// `supportedServiceType`, sorted as `sets.List` returns it.
const SERVICE_TYPES: [&str; 4] = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];

/// Whether a Service is headless: `clusterIPs` is exactly `["None"]` (`isHeadlessService`).
pub fn is_headless(svc: &Service) -> bool {
    svc.spec.cluster_ips.len() == 1 && svc.spec.cluster_ips.first().is_some_and(|ip| ip == "None")
}

/// `apiservice.ExternallyAccessible`: NodePort, LoadBalancer, or ClusterIP with external IPs.
pub fn externally_accessible(svc: &Service) -> bool {
    let t = svc.spec.type_.as_str();
    t == "LoadBalancer"
        || t == "NodePort"
        || (t == "ClusterIP" && !svc.spec.external_ips.is_empty())
}

/// `apiservice.NeedsHealthCheck`: a LoadBalancer with `externalTrafficPolicy: Local`.
pub fn needs_health_check(svc: &Service) -> bool {
    svc.spec.type_ == "LoadBalancer" && svc.spec.external_traffic_policy == "Local"
}

/// `%#v` of the `core.ServicePort{Protocol, Port}` key that duplicate-port errors print.
pub fn go_service_port_key(protocol: &str, port: i32) -> String {
    format!(
        "core.ServicePort{{Name:\"\", Protocol:{}, AppProtocol:(*string)(nil), Port:{port}, TargetPort:intstr.IntOrString{{Type:0, IntVal:0, StrVal:\"\"}}, NodePort:0}}",
        go_quote(protocol)
    )
}

/// `ValidateService` (also `ValidateServiceCreate`).
pub fn validate_service(svc: &Service) -> Vec<FieldError> {
    let spec_path = FieldPath::new("spec");
    let s = &svc.spec;
    let mut errs = validate_object_meta(
        &svc.metadata,
        true,
        names::name_is_dns1035_label,
        &FieldPath::new("metadata"),
    );
    let headless = is_headless(svc);
    if s.ports.is_empty() && !headless && s.type_ != "ExternalName" {
        errs.push(FieldError::required(&spec_path.child("ports"), ""));
    }
    let first_ip = || BadValue::str(s.cluster_ips.first().map(String::as_str).unwrap_or(""));
    match s.type_.as_str() {
        "LoadBalancer" if headless => errs.push(FieldError::invalid(
            &spec_path.child("clusterIPs").index(0),
            first_ip(),
            "may not be set to 'None' for LoadBalancer services",
        )),
        "NodePort" if headless => errs.push(FieldError::invalid(
            &spec_path.child("clusterIPs").index(0),
            first_ip(),
            "may not be set to 'None' for NodePort services",
        )),
        "ExternalName" => {
            if !s.cluster_ips.is_empty() {
                errs.push(FieldError::forbidden(
                    &spec_path.child("clusterIPs"),
                    "may not be set for ExternalName services",
                ));
            }
            if !s.ip_families.is_empty() {
                errs.push(FieldError::forbidden(
                    &spec_path.child("ipFamilies"),
                    "may not be set for ExternalName services",
                ));
            }
            if s.ip_family_policy.is_some() {
                errs.push(FieldError::forbidden(
                    &spec_path.child("ipFamilyPolicy"),
                    "may not be set for ExternalName services",
                ));
            }
            // The CNAME may end in a dot to mark it fully qualified.
            let cname = s
                .external_name
                .strip_suffix('.')
                .unwrap_or(&s.external_name);
            let ep = spec_path.child("externalName");
            if cname.is_empty() {
                errs.push(FieldError::required(&ep, ""));
            } else {
                for m in names::is_dns1123_subdomain(cname) {
                    errs.push(FieldError::invalid(&ep, BadValue::str(cname), &m));
                }
            }
        }
        _ => {}
    }

    let ports_path = spec_path.child("ports");
    let mut port_names = BTreeSet::new();
    let require_name = s.ports.len() > 1;
    for (i, p) in s.ports.iter().enumerate() {
        errs.extend(validate_service_port(
            p,
            require_name,
            &mut port_names,
            &ports_path.index(i),
        ));
    }

    errs.extend(validate_labels(&s.selector, &spec_path.child("selector")));

    let sa = spec_path.child("sessionAffinity");
    match s.session_affinity.as_str() {
        "" => errs.push(FieldError::required(&sa, "")),
        "ClientIP" | "None" => {}
        other => errs.push(FieldError::not_supported(
            &sa,
            BadValue::str(other),
            &["ClientIP", "None"],
        )),
    }
    let sac = spec_path.child("sessionAffinityConfig");
    if s.session_affinity == "ClientIP" {
        let when = "when session affinity type is ClientIP";
        match &s.session_affinity_config {
            None => errs.push(FieldError::required(&sac, when)),
            Some(cfg) => match &cfg.client_ip {
                None => errs.push(FieldError::required(&sac.child("clientIP"), when)),
                Some(cip) => {
                    let tp = sac.child("clientIP").child("timeoutSeconds");
                    match cip.timeout_seconds {
                        None => errs.push(FieldError::required(&tp, when)),
                        Some(t) if t <= 0 || t > MAX_CLIENT_IP_AFFINITY_SECONDS => {
                            errs.push(FieldError::invalid(
                                &tp,
                                BadValue::Int(i64::from(t)),
                                &format!(
                                    "must be greater than 0 and less than {MAX_CLIENT_IP_AFFINITY_SECONDS}"
                                ),
                            ))
                        }
                        Some(_) => {}
                    }
                }
            },
        }
    } else if s.session_affinity == "None" && s.session_affinity_config.is_some() {
        errs.push(FieldError::forbidden(
            &sac,
            "must not be set when session affinity is None",
        ));
    }

    errs.extend(validate_cluster_ips_related_fields(svc));

    let eips = spec_path.child("externalIPs");
    for (i, ip) in s.external_ips.iter().enumerate() {
        let ip_path = eips.index(i);
        let e = validate_ip(&ip_path, ip);
        if e.is_empty() {
            errs.extend(validate_non_special_ip(ip, &ip_path));
        } else {
            errs.extend(e);
        }
    }

    let tp = spec_path.child("type");
    if s.type_.is_empty() {
        errs.push(FieldError::required(&tp, ""));
    } else if !SERVICE_TYPES.contains(&s.type_.as_str()) {
        errs.push(FieldError::not_supported(
            &tp,
            BadValue::str(&s.type_),
            &SERVICE_TYPES,
        ));
    }

    if s.type_ == "ClusterIP" {
        for (i, p) in s.ports.iter().enumerate() {
            if p.node_port.unwrap_or(0) != 0 {
                errs.push(FieldError::forbidden(
                    &ports_path.index(i).child("nodePort"),
                    "may not be used when `type` is 'ClusterIP'",
                ));
            }
        }
    }

    // Duplicate nodePorts and ports, keyed by (protocol, number).
    let mut node_ports = BTreeSet::new();
    for (i, p) in s.ports.iter().enumerate() {
        let np = p.node_port.unwrap_or(0);
        if np == 0 {
            continue;
        }
        if !node_ports.insert((p.protocol.as_str(), np)) {
            errs.push(FieldError::duplicate(
                &ports_path.index(i).child("nodePort"),
                BadValue::Int(i64::from(np)),
            ));
        }
    }
    let mut ports = BTreeSet::new();
    for (i, p) in s.ports.iter().enumerate() {
        if !ports.insert((p.protocol.as_str(), p.port)) {
            errs.push(FieldError::duplicate(
                &ports_path.index(i),
                BadValue::Raw(go_service_port_key(&p.protocol, p.port)),
            ));
        }
    }

    if !s.load_balancer_source_ranges.is_empty() {
        let fp = spec_path.child("LoadBalancerSourceRanges");
        if s.type_ != "LoadBalancer" {
            errs.push(FieldError::forbidden(
                &fp,
                "may only be used when `type` is 'LoadBalancer'",
            ));
        }
        for (i, v) in s.load_balancer_source_ranges.iter().enumerate() {
            // Historically these may be space-padded.
            errs.extend(validate_cidr(&fp.index(i), v.trim()));
        }
    }

    if s.allocate_load_balancer_node_ports.is_some() && s.type_ != "LoadBalancer" {
        errs.push(FieldError::forbidden(
            &spec_path.child("allocateLoadBalancerNodePorts"),
            "may only be used when `type` is 'LoadBalancer'",
        ));
    }
    if s.type_ == "LoadBalancer" && s.allocate_load_balancer_node_ports.is_none() {
        errs.push(FieldError::required(
            &FieldPath::new("allocateLoadBalancerNodePorts"),
            "",
        ));
    }

    errs.extend(validate_external_traffic_policy(svc));

    let itp = spec_path.child("internalTrafficPolicy");
    match s.internal_traffic_policy.as_deref() {
        None => {
            if matches!(s.type_.as_str(), "NodePort" | "LoadBalancer" | "ClusterIP") {
                errs.push(FieldError::required(&itp, ""));
            }
        }
        Some("Cluster") | Some("Local") => {}
        Some(other) => errs.push(FieldError::not_supported(
            &itp,
            BadValue::str(other),
            &["Cluster", "Local"],
        )),
    }
    errs
}

/// `validateServicePort`.
fn validate_service_port<'a>(
    sp: &'a ServicePort,
    require_name: bool,
    all_names: &mut BTreeSet<&'a str>,
    path: &FieldPath,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if require_name && sp.name.is_empty() {
        errs.push(FieldError::required(&path.child("name"), ""));
    } else if !sp.name.is_empty() {
        errs.extend(dns1123_label(&sp.name, &path.child("name")));
        if !all_names.insert(sp.name.as_str()) {
            errs.push(FieldError::duplicate(
                &path.child("name"),
                BadValue::str(&sp.name),
            ));
        }
    }
    for m in names::is_valid_port_num(i64::from(sp.port)) {
        errs.push(FieldError::invalid(
            &path.child("port"),
            BadValue::Int(i64::from(sp.port)),
            &m,
        ));
    }
    errs.extend(validate_protocol(&sp.protocol, &path.child("protocol")));
    // ValidatePortNumOrName
    let tp = path.child("targetPort");
    match sp.target_port.as_ref().unwrap_or(&IntOrString::Int(0)) {
        IntOrString::Int(n) => {
            for m in names::is_valid_port_num(i64::from(*n)) {
                errs.push(FieldError::invalid(&tp, BadValue::Int(i64::from(*n)), &m));
            }
        }
        IntOrString::String(name) => {
            for m in names::is_valid_port_name(name) {
                errs.push(FieldError::invalid(&tp, BadValue::str(name), &m));
            }
        }
    }
    errs
}

/// `validateServiceExternalTrafficPolicy`.
fn validate_external_traffic_policy(svc: &Service) -> Vec<FieldError> {
    let spec = FieldPath::new("spec");
    let s = &svc.spec;
    let mut errs = Vec::new();
    let etp = spec.child("externalTrafficPolicy");
    if !externally_accessible(svc) {
        if !s.external_traffic_policy.is_empty() {
            errs.push(FieldError::invalid(
                &etp,
                BadValue::str(&s.external_traffic_policy),
                "may only be set for externally-accessible services",
            ));
        }
    } else if s.external_traffic_policy.is_empty() {
        errs.push(FieldError::required(&etp, ""));
    } else if !matches!(s.external_traffic_policy.as_str(), "Cluster" | "Local") {
        errs.push(FieldError::not_supported(
            &etp,
            BadValue::str(&s.external_traffic_policy),
            &["Cluster", "Local"],
        ));
    }
    let hc = spec.child("healthCheckNodePort");
    let hcnp = s.health_check_node_port.unwrap_or(0);
    if !needs_health_check(svc) {
        if hcnp != 0 {
            errs.push(FieldError::invalid(
                &hc,
                BadValue::Int(i64::from(hcnp)),
                "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
            ));
        }
    } else if hcnp == 0 {
        errs.push(FieldError::required(&hc, ""));
    } else {
        for m in names::is_valid_port_num(i64::from(hcnp)) {
            errs.push(FieldError::invalid(&hc, BadValue::Int(i64::from(hcnp)), &m));
        }
    }
    errs
}

/// `ValidateServiceClusterIPsRelatedFields`: `clusterIP` and `clusterIPs` agree, families and
/// policy are known, IPs parse.
pub fn validate_cluster_ips_related_fields(svc: &Service) -> Vec<FieldError> {
    let s = &svc.spec;
    if s.type_ == "ExternalName" {
        return Vec::new();
    }
    let spec = FieldPath::new("spec");
    let ips_path = spec.child("clusterIPs");
    let fam_path = spec.child("ipFamilies");
    let ips_value = || BadValue::Strings(s.cluster_ips.clone());
    let mut errs = Vec::new();
    let mut invalid_ips = false;

    if !s.cluster_ip.is_empty() {
        match s.cluster_ips.first() {
            None => errs.push(FieldError::required(&ips_path, "")),
            Some(first) if *first != s.cluster_ip => errs.push(FieldError::invalid(
                &ips_path,
                ips_value(),
                "first value must match `clusterIP`",
            )),
            Some(_) => {}
        }
    } else if !s.cluster_ips.is_empty() {
        errs.push(FieldError::invalid(
            &ips_path,
            ips_value(),
            "must be empty when `clusterIP` is not specified",
        ));
    }

    let mut seen = BTreeSet::new();
    for (i, fam) in s.ip_families.iter().enumerate() {
        if fam != "IPv4" && fam != "IPv6" {
            errs.push(FieldError::not_supported(
                &fam_path.index(i),
                BadValue::str(fam),
                &["IPv4", "IPv6"],
            ));
        }
        if !seen.insert(fam.as_str()) {
            errs.push(FieldError::duplicate(
                &fam_path.index(i),
                BadValue::str(fam),
            ));
        }
    }

    if let Some(policy) = &s.ip_family_policy {
        if !matches!(
            policy.as_str(),
            "SingleStack" | "PreferDualStack" | "RequireDualStack"
        ) {
            errs.push(FieldError::not_supported(
                &spec.child("ipFamilyPolicy"),
                BadValue::str(policy),
                &["PreferDualStack", "RequireDualStack", "SingleStack"],
            ));
        }
    }

    for (i, ip) in s.cluster_ips.iter().enumerate() {
        if i == 0 && ip == "None" {
            if s.cluster_ips.len() > 1 {
                invalid_ips = true;
                errs.push(FieldError::invalid(
                    &ips_path,
                    ips_value(),
                    "'None' must be the first and only value",
                ));
            }
            continue;
        }
        let e = validate_ip(&ips_path.index(i), ip);
        invalid_ips = invalid_ips || !e.is_empty();
        errs.extend(e);
    }
    if s.cluster_ips.len() > 2 {
        errs.push(FieldError::invalid(
            &ips_path,
            ips_value(),
            "may only hold up to 2 values",
        ));
    }
    if invalid_ips {
        return errs;
    }
    if s.cluster_ips.len() > 1 {
        let v6: Vec<bool> = s.cluster_ips.iter().map(|ip| is_ipv6_string(ip)).collect();
        let dual = v6.len() == 2 && v6.first() != v6.get(1);
        if !dual {
            errs.push(FieldError::invalid(
                &ips_path,
                ips_value(),
                "may specify no more than one IP for each IP family",
            ));
        }
    }
    if !is_headless(svc) && !s.cluster_ips.is_empty() && !s.ip_families.is_empty() {
        for (i, (ip, fam)) in s.cluster_ips.iter().zip(s.ip_families.iter()).enumerate() {
            if parse_ip_sloppy(ip).is_none() {
                continue;
            }
            if fam == "IPv4" && is_ipv6_string(ip) {
                errs.push(FieldError::invalid(
                    &ips_path.index(i),
                    BadValue::str(ip),
                    &format!("expected an IPv4 value as indicated by `ipFamilies[{i}]`"),
                ));
            }
            if fam == "IPv6" && !is_ipv6_string(ip) {
                errs.push(FieldError::invalid(
                    &ips_path.index(i),
                    BadValue::str(ip),
                    &format!("expected an IPv6 value as indicated by `ipFamilies[{i}]`"),
                ));
            }
        }
    }
    errs
}

/// `ValidateServiceUpdate`: metadata, ClusterIP and family changes, the health-check port,
/// then the whole Service again. Call it after copying allocated values from the old object
/// (see [`super::defaults::patch_allocated_values`]).
pub fn validate_service_update(new: &Service, old: &Service) -> Vec<FieldError> {
    let mut errs =
        validate_object_meta_update(&new.metadata, &old.metadata, &FieldPath::new("metadata"));
    errs.extend(validate_upgrade_downgrade_cluster_ips(old, new));
    errs.extend(validate_upgrade_downgrade_ip_families(old, new));
    if needs_health_check(old)
        && needs_health_check(new)
        && new.spec.health_check_node_port != old.spec.health_check_node_port
    {
        errs.push(FieldError::forbidden(
            &FieldPath::new("spec").child("healthCheckNodePort"),
            "field is immutable",
        ));
    }
    errs.extend(validate_service(new));
    errs
}

/// `validateUpgradeDowngradeClusterIPs`.
fn validate_upgrade_downgrade_cluster_ips(old: &Service, new: &Service) -> Vec<FieldError> {
    if new.spec.type_ == "ExternalName" || old.spec.type_ == "ExternalName" {
        return Vec::new();
    }
    if is_headless(old) && is_headless(new) {
        return Vec::new();
    }
    let path = FieldPath::new("spec").child("clusterIPs");
    let value = || BadValue::Strings(new.spec.cluster_ips.clone());
    let (o, n) = (&old.spec.cluster_ips, &new.spec.cluster_ips);
    let mut errs = Vec::new();
    if o.len() == n.len() {
        for (i, (a, b)) in o.iter().zip(n.iter()).enumerate() {
            if a != b {
                errs.push(FieldError::invalid(
                    &path.index(i),
                    value(),
                    "may not change once set",
                ));
            }
        }
    } else if o.len() > n.len() {
        if n.is_empty() {
            errs.push(FieldError::invalid(
                &path.index(0),
                value(),
                "primary clusterIP can not be unset",
            ));
        }
        if let (Some(a), Some(b)) = (o.first(), n.first()) {
            if a != b {
                errs.push(FieldError::invalid(
                    &path.index(0),
                    value(),
                    "may not change once set",
                ));
            }
        }
        if n.len() == 1 && new.spec.ip_family_policy.as_deref() != Some("SingleStack") {
            errs.push(FieldError::invalid(
                &FieldPath::new("spec").child("ipFamilyPolicy"),
                policy_value(new),
                "must be set to 'SingleStack' when releasing the secondary clusterIP",
            ));
        }
    } else if let (Some(a), Some(b)) = (o.first(), n.first()) {
        if a != b {
            errs.push(FieldError::invalid(
                &path.index(0),
                value(),
                "may not change once set",
            ));
        }
    }
    errs
}

/// The `*IPFamilyPolicy` value: a quoted string, or `"null"` when unset.
fn policy_value(svc: &Service) -> BadValue {
    match &svc.spec.ip_family_policy {
        Some(p) => BadValue::str(p),
        None => BadValue::Nil,
    }
}

/// `validateUpgradeDowngradeIPFamilies`.
fn validate_upgrade_downgrade_ip_families(old: &Service, new: &Service) -> Vec<FieldError> {
    if new.spec.type_ == "ExternalName" || old.spec.type_ == "ExternalName" {
        return Vec::new();
    }
    if is_headless(old) != is_headless(new) || is_headless(new) {
        return Vec::new();
    }
    let path = FieldPath::new("spec").child("ipFamilies");
    let (o, n) = (&old.spec.ip_families, &new.spec.ip_families);
    let fam_value = || BadValue::Strings(n.clone());
    let ips_value = || BadValue::Strings(new.spec.cluster_ips.clone());
    let mut errs = Vec::new();
    if o.len() == n.len() {
        for (a, b) in o.iter().zip(n.iter()) {
            if a != b {
                errs.push(FieldError::invalid(
                    &path.index(0),
                    fam_value(),
                    "may not change once set",
                ));
            }
        }
    } else if o.len() > n.len() {
        if new.spec.cluster_ips.is_empty() {
            errs.push(FieldError::invalid(
                &path.index(0),
                fam_value(),
                "primary ipFamily can not be unset",
            ));
        }
        if let (Some(b), Some(a)) = (n.first(), o.first()) {
            if a != b {
                errs.push(FieldError::invalid(
                    &path.index(0),
                    ips_value(),
                    "may not change once set",
                ));
            }
        }
        if n.len() == 1 && new.spec.ip_family_policy.as_deref() != Some("SingleStack") {
            errs.push(FieldError::invalid(
                &FieldPath::new("spec").child("ipFamilyPolicy"),
                policy_value(new),
                "must be set to 'SingleStack' when releasing the secondary ipFamily",
            ));
        }
    } else if let (Some(a), Some(b)) = (o.first(), n.first()) {
        if a != b {
            errs.push(FieldError::invalid(
                &path.index(0),
                ips_value(),
                "may not change once set",
            ));
        }
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{ClientIpConfig, ObjectMeta, ServiceSpec, SessionAffinityConfig};
    use crate::apiserver::validation::defaults::default_service;

    fn port(name: &str, port: i32) -> ServicePort {
        ServicePort {
            name: name.into(),
            port,
            ..Default::default()
        }
    }

    fn svc(type_: &str, ports: Vec<ServicePort>) -> Service {
        let mut s = Service {
            metadata: ObjectMeta {
                name: "web".into(),
                namespace: "default".into(),
                ..Default::default()
            },
            spec: ServiceSpec {
                type_: type_.into(),
                ports,
                selector: [("app".to_string(), "web".to_string())].into(),
                ..Default::default()
            },
            ..Default::default()
        };
        default_service(&mut s);
        s
    }

    fn msgs(s: &Service) -> Vec<String> {
        validate_service(s).iter().map(|e| e.to_string()).collect()
    }

    #[test]
    fn defaulted_services_of_each_type_pass() {
        assert!(msgs(&svc("ClusterIP", vec![port("", 80)])).is_empty());
        assert!(msgs(&svc("NodePort", vec![port("", 80)])).is_empty());
        assert!(msgs(&svc("LoadBalancer", vec![port("", 80)])).is_empty());
        let mut ext = svc("ExternalName", vec![]);
        ext.spec.external_name = "example.com.".into();
        assert!(msgs(&ext).is_empty(), "{:?}", msgs(&ext));
        let mut headless = svc("", vec![]);
        headless.spec.cluster_ip = "None".into();
        headless.spec.cluster_ips = vec!["None".into()];
        assert!(msgs(&headless).is_empty(), "{:?}", msgs(&headless));
    }

    #[test]
    fn names_ports_and_protocols() {
        let mut s = svc(
            "ClusterIP",
            vec![port("", 80), port("HTTP", 0), port("b", 80)],
        );
        s.metadata.name = "1web".into();
        s.spec.ports[1].protocol = "ICMP".into();
        s.spec.ports[2].target_port = Some(IntOrString::String("8080".into()));
        assert_eq!(
            msgs(&s),
            [
                "metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
                "spec.ports[0].name: Required value",
                "spec.ports[1].name: Invalid value: \"HTTP\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
                "spec.ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive",
                "spec.ports[1].protocol: Unsupported value: \"ICMP\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
                "spec.ports[1].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive",
                "spec.ports[2].targetPort: Invalid value: \"8080\": must contain at least one letter (a-z)",
                "spec.ports[2]: Duplicate value: core.ServicePort{Name:\"\", Protocol:\"TCP\", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}",
            ]
        );
    }

    #[test]
    fn ports_are_required_except_headless_and_external_name() {
        assert_eq!(
            msgs(&svc("ClusterIP", vec![])),
            ["spec.ports: Required value"]
        );
        let mut ext = svc("ExternalName", vec![]);
        assert_eq!(msgs(&ext), ["spec.externalName: Required value"]);
        ext.spec.external_name = "Bad_Name".into();
        ext.spec.cluster_ip = "10.96.0.5".into();
        ext.spec.cluster_ips = vec!["10.96.0.5".into()];
        let got = msgs(&ext);
        assert_eq!(
            got[0],
            "spec.clusterIPs: Forbidden: may not be set for ExternalName services"
        );
        assert!(got[1].starts_with(
            "spec.externalName: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain"
        ));
    }

    #[test]
    fn type_specific_rules() {
        let mut np = svc("NodePort", vec![port("", 80)]);
        np.spec.cluster_ip = "None".into();
        np.spec.cluster_ips = vec!["None".into()];
        assert_eq!(
            msgs(&np),
            ["spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services"]
        );
        let mut cip = svc("ClusterIP", vec![port("", 80)]);
        cip.spec.ports[0].node_port = Some(30080);
        cip.spec.external_traffic_policy = "Local".into();
        cip.spec.load_balancer_source_ranges = vec!["10.0.0.0/8".into(), "nope".into()];
        assert_eq!(
            msgs(&cip),
            [
                "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
                "spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'",
                "spec.LoadBalancerSourceRanges[1]: Invalid value: \"nope\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)",
                "spec.externalTrafficPolicy: Invalid value: \"Local\": may only be set for externally-accessible services",
            ]
        );
        let mut bad = svc("Foo", vec![port("", 80)]);
        bad.spec.internal_traffic_policy = Some("Cluster".into());
        assert_eq!(
            msgs(&bad),
            ["spec.type: Unsupported value: \"Foo\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\""]
        );
        let mut dup = svc("NodePort", vec![port("a", 80), port("b", 81)]);
        dup.spec.ports[0].node_port = Some(30001);
        dup.spec.ports[1].node_port = Some(30001);
        assert_eq!(
            msgs(&dup),
            ["spec.ports[1].nodePort: Duplicate value: 30001"]
        );
    }

    #[test]
    fn session_affinity() {
        let mut s = svc("ClusterIP", vec![port("", 80)]);
        s.spec.session_affinity = "Sticky".into();
        assert_eq!(
            msgs(&s),
            ["spec.sessionAffinity: Unsupported value: \"Sticky\": supported values: \"ClientIP\", \"None\""]
        );
        s.spec.session_affinity = "ClientIP".into();
        s.spec.session_affinity_config = Some(SessionAffinityConfig {
            client_ip: Some(ClientIpConfig {
                timeout_seconds: Some(86401),
            }),
        });
        assert_eq!(
            msgs(&s),
            ["spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 86401: must be greater than 0 and less than 86400"]
        );
    }

    #[test]
    fn cluster_ips() {
        let mut s = svc("ClusterIP", vec![port("", 80)]);
        s.spec.cluster_ip = "10.96.0.500".into();
        s.spec.cluster_ips = vec!["10.96.0.500".into()];
        assert_eq!(
            msgs(&s),
            ["spec.clusterIPs[0]: Invalid value: \"10.96.0.500\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"]
        );
        s.spec.cluster_ips = vec!["10.96.0.5".into()];
        assert_eq!(
            msgs(&s),
            ["spec.clusterIPs: Invalid value: []string{\"10.96.0.5\"}: first value must match `clusterIP`"]
        );
    }

    #[test]
    fn cluster_ip_may_not_change() {
        let mut old = svc("ClusterIP", vec![port("", 80)]);
        old.metadata.resource_version = "5".into();
        old.spec.cluster_ip = "10.96.12.7".into();
        old.spec.cluster_ips = vec!["10.96.12.7".into()];
        let mut new = old.clone();
        new.spec.cluster_ip = "10.96.12.8".into();
        new.spec.cluster_ips = vec!["10.96.12.8".into()];
        let got: Vec<String> = validate_service_update(&new, &old)
            .iter()
            .map(|e| e.to_string())
            .collect();
        assert_eq!(
            got,
            ["spec.clusterIPs[0]: Invalid value: []string{\"10.96.12.8\"}: may not change once set"]
        );
    }
}
