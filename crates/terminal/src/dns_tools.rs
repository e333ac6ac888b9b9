//! `nslookup NAME` (busybox's output, as in curlimages/curl and busybox pods) and
//! `dig +short NAME`, answered by the cluster's CoreDNS from a pod's point of view.

use svclab_sim::lab::Lab;
use svclab_sim::network::dns::{resolve, Answer};

use crate::io::Output;

/// CoreDNS's Service address, the nameserver of every pod.
const NAMESERVER: &str = "10.96.0.10";

/// Runs `nslookup` or `dig` inside a pod of `cluster` in `namespace`.
pub fn run(argv: &[String], lab: &Lab, cluster: &str, namespace: &str) -> Output {
    let Some(c) = lab.cluster(cluster) else {
        return Output::status(1);
    };
    let program = argv.first().map(String::as_str).unwrap_or("");
    let name = argv
        .iter()
        .skip(1)
        .find(|a| !a.starts_with('+') && !a.starts_with('-'));
    let Some(name) = name else {
        let mut out = Output::status(1);
        out.err(format!("Usage: {program} [HOST] [SERVER]\n"));
        return out;
    };
    let answer = resolve(c, name, Some(namespace));
    let mut out = Output::status(0);
    if program == "dig" {
        match answer {
            Answer::Addresses { ips, .. } => {
                for ip in ips {
                    out.out(format!("{ip}\n"));
                }
            }
            Answer::Alias { target, .. } => out.out(format!("{target}.\n")),
            Answer::NotFound => {}
        }
        return out;
    }
    out.out(format!(
        "Server:\t\t{NAMESERVER}\nAddress:\t{NAMESERVER}:53\n\n"
    ));
    match answer {
        Answer::Addresses { fqdn, ips } => {
            for ip in ips {
                out.out(format!("Name:\t{fqdn}\nAddress: {ip}\n"));
            }
            out.out("\n");
        }
        Answer::Alias { fqdn, target } => {
            out.out(format!("{fqdn}\tcanonical name = {target}\n\n"));
            out.err(format!(
                "** server can't find {target}: NXDOMAIN (the lab has no internet to resolve it)\n\n"
            ));
            out.status = 1;
        }
        Answer::NotFound => {
            out.err(format!("** server can't find {name}: NXDOMAIN\n\n"));
            out.status = 1;
        }
    }
    out
}
