//! Endpoints (`pkg/apis/core/validation/validation.go`: `ValidateEndpoints`,
//! `validateEndpointSubsets`, `validateEndpointAddress`, `validateEndpointPort`) and
//! EndpointSlices (`pkg/apis/discovery/validation/validation.go`).

use std::collections::BTreeSet;

use crate::api::{EndpointAddress, EndpointPort, EndpointSlice, Endpoints};
use crate::apiserver::errors::{BadValue, FieldError, FieldPath};
use crate::apiserver::names;

use super::ip::{parse_ip_sloppy, validate_ip, validate_non_special_ip};
use super::meta::validate_object_meta;
use super::pod::{dns1123_label, validate_protocol};

/// `maxEndpoints` per slice.
pub const MAX_SLICE_ENDPOINTS: usize = 1000;
/// `maxAddresses` per endpoint.
pub const MAX_ENDPOINT_ADDRESSES: usize = 100;

/// `ValidateEndpoints` (create and update alike).
pub fn validate_endpoints(ep: &Endpoints) -> Vec<FieldError> {
    let mut errs = validate_object_meta(
        &ep.metadata,
        true,
        names::name_is_dns_subdomain,
        &FieldPath::new("metadata"),
    );
    let subsets = FieldPath::new("subsets");
    for (i, ss) in ep.subsets.iter().enumerate() {
        let sp = subsets.index(i);
        if ss.addresses.is_empty() && ss.not_ready_addresses.is_empty() {
            errs.push(FieldError::required(
                &sp,
                "must specify `addresses` or `notReadyAddresses`",
            ));
        }
        for (a, addr) in ss.addresses.iter().enumerate() {
            errs.extend(validate_endpoint_address(
                addr,
                &sp.child("addresses").index(a),
            ));
        }
        for (a, addr) in ss.not_ready_addresses.iter().enumerate() {
            errs.extend(validate_endpoint_address(
                addr,
                &sp.child("notReadyAddresses").index(a),
            ));
        }
        let require_name = ss.ports.len() > 1;
        for (p, port) in ss.ports.iter().enumerate() {
            errs.extend(validate_endpoint_port(
                port,
                require_name,
                &sp.child("ports").index(p),
            ));
        }
    }
    errs
}

/// `validateEndpointAddress`.
fn validate_endpoint_address(addr: &EndpointAddress, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = validate_ip(&path.child("ip"), &addr.ip);
    if !addr.hostname.is_empty() {
        errs.extend(dns1123_label(&addr.hostname, &path.child("hostname")));
    }
    if let Some(node) = &addr.node_name {
        for m in names::name_is_dns_subdomain(node, false) {
            errs.push(FieldError::invalid(
                &path.child("nodeName"),
                BadValue::str(node),
                &m,
            ));
        }
    }
    errs.extend(validate_non_special_ip(&addr.ip, &path.child("ip")));
    errs
}

/// `validateEndpointPort`.
fn validate_endpoint_port(
    port: &EndpointPort,
    require_name: bool,
    path: &FieldPath,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let name = port.name.as_deref().unwrap_or("");
    if require_name && name.is_empty() {
        errs.push(FieldError::required(&path.child("name"), ""));
    } else if !name.is_empty() {
        errs.extend(dns1123_label(name, &path.child("name")));
    }
    let number = port.port.unwrap_or(0);
    for m in names::is_valid_port_num(i64::from(number)) {
        errs.push(FieldError::invalid(
            &path.child("port"),
            BadValue::Int(i64::from(number)),
            &m,
        ));
    }
    errs.extend(validate_protocol(
        port.protocol.as_deref().unwrap_or(""),
        &path.child("protocol"),
    ));
    if let Some(app) = &port.app_protocol {
        for m in names::is_qualified_name(app) {
            errs.push(FieldError::invalid(
                &path.child("appProtocol"),
                BadValue::str(app),
                &m,
            ));
        }
    }
    errs
}

/// `IsFullyQualifiedDomainName`: FQDN slice addresses.
fn validate_fqdn(path: &FieldPath, name: &str) -> Vec<FieldError> {
    if name.is_empty() {
        return vec![FieldError::required(path, "")];
    }
    let name = name.strip_suffix('.').unwrap_or(name);
    let errs = names::is_dns1123_subdomain(name);
    if !errs.is_empty() {
        return vec![FieldError::invalid(
            path,
            BadValue::str(name),
            &errs.join(","),
        )];
    }
    if name.split('.').count() < 2 {
        return vec![FieldError::invalid(
            path,
            BadValue::str(name),
            "should be a domain with at least two segments separated by dots",
        )];
    }
    for label in name.split('.') {
        let errs = names::is_dns1123_label(label);
        if !errs.is_empty() {
            return vec![FieldError::invalid(
                path,
                BadValue::str(label),
                &errs.join(","),
            )];
        }
    }
    Vec::new()
}

/// `ValidateEndpointSliceCreate`.
pub fn validate_endpoint_slice(slice: &EndpointSlice) -> Vec<FieldError> {
    let mut errs = validate_object_meta(
        &slice.metadata,
        true,
        names::name_is_dns_subdomain,
        &FieldPath::new("metadata"),
    );
    let at = FieldPath::new("addressType");
    match slice.address_type.as_str() {
        "" => errs.push(FieldError::required(&at, "")),
        "IPv4" | "IPv6" | "FQDN" => {}
        other => errs.push(FieldError::not_supported(
            &at,
            BadValue::str(other),
            &["FQDN", "IPv4", "IPv6"],
        )),
    }
    let eps = FieldPath::new("endpoints");
    if slice.endpoints.len() > MAX_SLICE_ENDPOINTS {
        errs.push(FieldError::too_many(
            &eps,
            slice.endpoints.len() as i64,
            MAX_SLICE_ENDPOINTS as i64,
        ));
    } else {
        for (i, ep) in slice.endpoints.iter().enumerate() {
            let ip = eps.index(i);
            let ap = ip.child("addresses");
            if ep.addresses.is_empty() {
                errs.push(FieldError::required(&ap, "must contain at least 1 address"));
            } else if ep.addresses.len() > MAX_ENDPOINT_ADDRESSES {
                errs.push(FieldError::too_many(
                    &ap,
                    ep.addresses.len() as i64,
                    MAX_ENDPOINT_ADDRESSES as i64,
                ));
            }
            for (a, addr) in ep.addresses.iter().enumerate() {
                let p = ap.index(a);
                match slice.address_type.as_str() {
                    "IPv4" | "IPv6" => {
                        let e = validate_ip(&p, addr);
                        if e.is_empty() {
                            let is_v4 = parse_ip_sloppy(addr).is_some_and(|ip| match ip {
                                std::net::IpAddr::V4(_) => true,
                                std::net::IpAddr::V6(v6) => v6.to_ipv4_mapped().is_some(),
                            });
                            if slice.address_type == "IPv4" && !is_v4 {
                                errs.push(FieldError::invalid(
                                    &p,
                                    BadValue::str(addr),
                                    "must be an IPv4 address",
                                ));
                            }
                            if slice.address_type == "IPv6" && is_v4 {
                                errs.push(FieldError::invalid(
                                    &p,
                                    BadValue::str(addr),
                                    "must be an IPv6 address",
                                ));
                            }
                            errs.extend(validate_non_special_ip(addr, &p));
                        } else {
                            errs.extend(e);
                        }
                    }
                    "FQDN" => errs.extend(validate_fqdn(&p, addr)),
                    _ => {}
                }
            }
            if let Some(node) = &ep.node_name {
                for m in names::name_is_dns_subdomain(node, false) {
                    errs.push(FieldError::invalid(
                        &ip.child("nodeName"),
                        BadValue::str(node),
                        &m,
                    ));
                }
            }
            if let Some(h) = &ep.hostname {
                errs.extend(dns1123_label(h, &ip.child("hostname")));
            }
        }
    }
    let ports = FieldPath::new("ports");
    let mut seen = BTreeSet::new();
    for (i, p) in slice.ports.iter().enumerate() {
        let pp = ports.index(i);
        let name = p.name.as_deref().unwrap_or("");
        if !name.is_empty() {
            errs.extend(dns1123_label(name, &pp.child("name")));
        }
        if !seen.insert(name) {
            errs.push(FieldError::duplicate(
                &pp.child("name"),
                BadValue::str(name),
            ));
        }
        match p.protocol.as_deref() {
            None => errs.push(FieldError::required(&pp.child("protocol"), "")),
            Some(proto) if !["SCTP", "TCP", "UDP"].contains(&proto) => {
                errs.push(FieldError::not_supported(
                    &pp.child("protocol"),
                    BadValue::str(proto),
                    &["SCTP", "TCP", "UDP"],
                ))
            }
            Some(_) => {}
        }
        if let Some(app) = &p.app_protocol {
            for m in names::is_qualified_name(app) {
                errs.push(FieldError::invalid(
                    &pp.child("appProtocol"),
                    BadValue::str(app),
                    &m,
                ));
            }
        }
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Endpoint, EndpointSubset, ObjectMeta};

    fn meta() -> ObjectMeta {
        ObjectMeta {
            name: "web".into(),
            namespace: "default".into(),
            ..Default::default()
        }
    }

    fn msgs(errs: &[FieldError]) -> Vec<String> {
        errs.iter().map(|e| e.to_string()).collect()
    }

    #[test]
    fn endpoints() {
        let ep = Endpoints {
            metadata: meta(),
            subsets: vec![
                EndpointSubset::default(),
                EndpointSubset {
                    addresses: vec![EndpointAddress {
                        ip: "127.0.0.1".into(),
                        ..Default::default()
                    }],
                    not_ready_addresses: vec![],
                    ports: vec![
                        EndpointPort {
                            port: Some(80),
                            protocol: Some("TCP".into()),
                            ..Default::default()
                        },
                        EndpointPort {
                            name: Some("b".into()),
                            port: Some(0),
                            protocol: Some("TCP".into()),
                            ..Default::default()
                        },
                    ],
                },
            ],
        };
        assert_eq!(
            msgs(&validate_endpoints(&ep)),
            [
                "subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`",
                "subsets[1].addresses[0].ip: Invalid value: \"127.0.0.1\": may not be in the loopback range (127.0.0.0/8, ::1/128)",
                "subsets[1].ports[0].name: Required value",
                "subsets[1].ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive",
            ]
        );
    }

    #[test]
    fn endpoint_slices() {
        let mut slice = EndpointSlice {
            metadata: meta(),
            address_type: "IPv4".into(),
            endpoints: vec![
                Endpoint {
                    addresses: vec!["10.244.1.5".into()],
                    ..Default::default()
                },
                Endpoint {
                    addresses: vec![],
                    ..Default::default()
                },
                Endpoint {
                    addresses: vec!["fd00::1".into(), "x".into()],
                    ..Default::default()
                },
            ],
            ports: vec![
                EndpointPort {
                    name: Some("http".into()),
                    port: Some(80),
                    protocol: Some("TCP".into()),
                    app_protocol: None,
                },
                EndpointPort {
                    name: Some("http".into()),
                    port: Some(81),
                    protocol: Some("ICMP".into()),
                    app_protocol: None,
                },
            ],
        };
        assert_eq!(
            msgs(&validate_endpoint_slice(&slice)),
            [
                "endpoints[1].addresses: Required value: must contain at least 1 address",
                "endpoints[2].addresses[0]: Invalid value: \"fd00::1\": must be an IPv4 address",
                "endpoints[2].addresses[1]: Invalid value: \"x\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
                "ports[1].name: Duplicate value: \"http\"",
                "ports[1].protocol: Unsupported value: \"ICMP\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
            ]
        );
        slice.address_type = "IP".into();
        slice.endpoints.clear();
        slice.ports.clear();
        assert_eq!(
            msgs(&validate_endpoint_slice(&slice)),
            ["addressType: Unsupported value: \"IP\": supported values: \"FQDN\", \"IPv4\", \"IPv6\""]
        );
    }
}
