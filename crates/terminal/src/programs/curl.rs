//! `curl`: HTTP requests through the simulated network, with curl's own output and errors
//! (`curl: (6) Could not resolve host`, `(7) Failed to connect`, `(28) … timed out`).

use std::net::Ipv4Addr;

use svclab_sim::network::dns::{resolve, Answer};
use svclab_sim::network::load_balancer::proxy_target;
use svclab_sim::network::nginx::Request;
use svclab_sim::network::port_forward::{self, Forwarded};
use svclab_sim::network::send::{send, Ending, Source};

use crate::io::Output;
use crate::jobs::Forward;

use super::args::{parse, FlagSpec};
use super::host_ports;
use super::place::Place;
use super::Context;

const FLAGS: FlagSpec = FlagSpec {
    with_value: &[
        ("max-time", "m"),
        ("output", "o"),
        ("write-out", "w"),
        ("connect-timeout", ""),
        ("header", "H"),
        ("request", "X"),
        ("user-agent", "A"),
    ],
    switches: &[
        ("silent", "s"),
        ("show-error", "S"),
        ("head", "I"),
        ("verbose", "v"),
        ("include", "i"),
        ("fail", "f"),
        ("location", "L"),
        ("insecure", "k"),
        ("help", "h"),
    ],
};

/// Without `--max-time`, a connection attempt to a black hole gives up when Linux's SYN
/// retries run out (about 130 s: `tcp_syn_retries` = 6).
const SYN_TIMEOUT_MS: u64 = 130_000;

/// A parsed `http://host[:port][/path]` URL.
struct Url {
    host: String,
    port: u16,
    path: String,
}

fn parse_url(text: &str) -> Option<Url> {
    let rest = text.strip_prefix("http://").unwrap_or(text);
    if rest.starts_with("https://") || text.contains("://") && !text.starts_with("http://") {
        return None;
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], rest[i..].to_string()),
        None => (rest, "/".to_string()),
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) => (h.to_string(), p.parse().ok()?),
        None => (authority.to_string(), 80),
    };
    (!host.is_empty()).then_some(Url { host, port, path })
}

/// Runs `curl ARGS…` at `place`.
pub fn run(argv: &[String], place: &Place, ctx: &mut Context<'_>) -> Output {
    let mut out = request(argv, place, ctx);
    // curl writes `-w` even when the transfer failed, with the code it never got: 000.
    if !matches!(out.status, 0 | 2 | 22) {
        if let Ok(args) = parse(argv.get(1..).unwrap_or_default(), &FLAGS) {
            if let Some(format) = args.value("write-out") {
                out.out(format.replace("%{http_code}", "000").replace("\\n", "\n"));
            }
        }
    }
    out
}

fn request(argv: &[String], place: &Place, ctx: &mut Context<'_>) -> Output {
    let args = match parse(argv.get(1..).unwrap_or_default(), &FLAGS) {
        Ok(a) => a,
        Err(e) => {
            let mut out = Output::status(2);
            out.err(format!("curl: option {e}\ncurl: try 'curl --help' or 'curl --manual' for more information\n"));
            return out;
        }
    };
    if args.has("help") {
        let mut out = Output::status(0);
        out.out("Usage: curl [options...] <url>\n -f, --fail                Fail fast with no output on HTTP errors\n -h, --help <category>     Get help for commands\n -i, --include             Include response headers in output\n -I, --head                Show document info only\n -m, --max-time <seconds>  Maximum time allowed for transfer\n -o, --output <file>       Write to file instead of stdout\n -s, --silent              Silent mode\n -S, --show-error          Show error even when -s is used\n -v, --verbose             Make the operation more talkative\n -w, --write-out <format>  Use output FORMAT after completion\n");
        return out;
    }
    let silent = args.has("silent") && !args.has("show-error");
    let Some(target) = args.positionals.first() else {
        let mut out = Output::status(2);
        out.err("curl: no URL specified\ncurl: try 'curl --help' or 'curl --manual' for more information\n");
        return out;
    };
    let Some(url) = parse_url(target) else {
        return error(
            silent,
            1,
            &format!(
                "Protocol \"{}\" not supported",
                target.split("://").next().unwrap_or("")
            ),
        );
    };
    let max_time_ms = args
        .value("max-time")
        .and_then(|t| t.parse::<f64>().ok())
        .map(|s| (s * 1000.0) as u64);
    // On the learner's machine, localhost reaches only what Docker publishes there.
    let mut published = None;
    if matches!(place, Place::Host) && matches!(url.host.as_str(), "localhost" | "127.0.0.1") {
        match host_ports::local_tcp(ctx, url.port) {
            Some(p) if p.is_api_server() => return plain_http_to_https(&args, silent),
            Some(p) => published = Some(p),
            None => {
                return error(
                    silent,
                    7,
                    &format!(
                        "Failed to connect to {} port {} after 0 ms: Couldn't connect to server",
                        url.host, url.port
                    ),
                )
            }
        }
    }
    let cluster_of_place = published.as_ref().map(|p| p.cluster.clone());
    let Some(cluster_name) = cluster_of_place.or_else(|| cluster_of(place, ctx)) else {
        return timeout(silent, &url, max_time_ms, ctx);
    };
    let namespace = match place {
        Place::Pod { namespace, .. } => Some(namespace.clone()),
        _ => None,
    };
    let Some(cluster) = ctx.lab.cluster_mut(&cluster_name) else {
        return timeout(silent, &url, max_time_ms, ctx);
    };
    // Name resolution: pods ask CoreDNS with their search path; the host and nodes know only
    // localhost and literal addresses (cluster names are not in their resolvers).
    let ip: Ipv4Addr = if url.host == "localhost" {
        Ipv4Addr::LOCALHOST
    } else {
        let ns = namespace.as_deref();
        match (place, resolve(cluster, &url.host, ns)) {
            (_, Answer::Addresses { ips, .. })
                if url.host.parse::<Ipv4Addr>().is_ok() || ns.is_some() =>
            {
                match ips.first() {
                    Some(ip) => *ip,
                    None => {
                        return error(silent, 6, &format!("Could not resolve host: {}", url.host))
                    }
                }
            }
            _ => return error(silent, 6, &format!("Could not resolve host: {}", url.host)),
        }
    };
    let request = http_request(&args, &url, place);
    let mut source = match place {
        Place::Host => Source::Host,
        Place::Node { node, .. } => Source::Node(node.clone()),
        Place::Pod { namespace, pod, .. } => Source::Pod {
            namespace: namespace.clone(),
            name: pod.clone(),
        },
    };
    let (mut dst, mut port) = (ip, url.port);
    // docker-proxy connects to the node container's address from the Docker bridge.
    if let Some(p) = &published {
        (dst, port) = (p.node_ip, p.container_port);
    }
    // A LoadBalancer IP is cloud-provider-kind's proxy, which forwards to a node port.
    if let Some((balancer, node_ip, node_port)) = proxy_target(cluster, ip, url.port) {
        source = balancer;
        dst = node_ip;
        port = node_port;
    }
    let outcome = send(cluster, &source, dst, port, &request);
    match outcome.ending {
        Ending::Served { response, .. } => print_response(&args, &url, ip, &request, &response),
        Ending::Refused => error(
            silent,
            7,
            &format!(
                "Failed to connect to {} port {} after 0 ms: {}",
                url.host,
                url.port,
                if place.curl_version().starts_with('7') {
                    "Connection refused"
                } else {
                    "Couldn't connect to server"
                }
            ),
        ),
        Ending::TimedOut => timeout(silent, &url, max_time_ms, ctx),
    }
}

/// What curl prints for a response: the body (or the headers for `-I`, both for `-i`), `-v`'s
/// exchange, `-w`'s format, and `-f`'s refusal of an error status.
fn print_response(
    args: &super::args::Args,
    url: &Url,
    ip: Ipv4Addr,
    request: &Request,
    response: &svclab_sim::network::nginx::Response,
) -> Output {
    let head = args.has("head");
    let mut out = Output::status(0);
    let status_line = format!("HTTP/1.1 {} {}\r\n", response.status, response.reason);
    let headers: String = response
        .headers
        .iter()
        .map(|(k, v)| format!("{k}: {v}\r\n"))
        .collect();
    let body = if args.value("output") == Some("/dev/null") {
        String::new()
    } else if head {
        format!("{status_line}{headers}\r\n")
    } else if args.has("include") {
        format!("{status_line}{headers}\r\n{}", response.body)
    } else {
        response.body.clone()
    };
    if args.has("verbose") {
        out.err(verbose_prelude(ip, url, request));
        out.err(format!(
            "< {}{}<\r\n",
            status_line,
            response
                .headers
                .iter()
                .map(|(k, v)| format!("< {k}: {v}\r\n"))
                .collect::<String>()
        ));
    }
    out.out(body);
    if let Some(format) = args.value("write-out") {
        out.out(
            format
                .replace("%{http_code}", &response.status.to_string())
                .replace("\\n", "\n"),
        );
    }
    if args.has("verbose") {
        out.err(format!(
            "* Connection #0 to host {} left intact\n",
            url.host
        ));
    }
    if args.has("fail") && response.status >= 400 {
        out.status = 22;
    }
    out
}

/// The request curl sends for `url` from `place`: HEAD with `-I`, else GET.
fn http_request(args: &super::args::Args, url: &Url, place: &Place) -> Request {
    Request {
        method: if args.has("head") { "HEAD" } else { "GET" }.into(),
        path: url.path.clone(),
        host: url.host.clone(),
        user_agent: format!("curl/{}", place.curl_version()),
    }
}

/// The port of a `curl` to `localhost`/`127.0.0.1` (where a port-forward may listen).
pub fn local_port(argv: &[String]) -> Option<u16> {
    let args = parse(argv.get(1..).unwrap_or_default(), &FLAGS).ok()?;
    let url = parse_url(args.positionals.first()?)?;
    matches!(url.host.as_str(), "localhost" | "127.0.0.1").then_some(url.port)
}

/// `curl localhost:PORT` accepted by a port-forward to `remote` on the forward's pod. The flag
/// says the pod was gone (the stream broke): curl gets an empty reply.
pub fn through_port_forward(
    argv: &[String],
    (forward, remote): (&Forward, u16),
    ctx: &mut Context<'_>,
) -> (Output, bool) {
    let Ok(args) = parse(argv.get(1..).unwrap_or_default(), &FLAGS) else {
        return (Output::status(2), false);
    };
    let silent = args.has("silent") && !args.has("show-error");
    let Some(url) = args.positionals.first().and_then(|t| parse_url(t)) else {
        return (Output::status(3), false);
    };
    let request = http_request(&args, &url, &Place::Host);
    let Some(cluster) = ctx.lab.cluster_mut(&forward.cluster) else {
        return (error(silent, 52, "Empty reply from server"), true);
    };
    let pod = (
        forward.namespace.as_str(),
        forward.pod.as_str(),
        forward.uid.as_str(),
    );
    match port_forward::forward(cluster, pod, remote, &request) {
        Forwarded::Served(response) => (
            print_response(&args, &url, Ipv4Addr::LOCALHOST, &request, &response),
            false,
        ),
        Forwarded::Refused => (error(silent, 52, "Empty reply from server"), false),
        Forwarded::PodGone => (error(silent, 52, "Empty reply from server"), true),
    }
}

/// Plain HTTP to the API server's TLS port: Go's TLS server answers `400 Bad Request` in
/// HTTP/1.0 with one line of text (crypto/tls `RecordHeaderError`, net/http `serve`).
fn plain_http_to_https(args: &super::args::Args, silent: bool) -> Output {
    let mut out = Output::status(0);
    let body = "Client sent an HTTP request to an HTTPS server.\n";
    if args.has("head") {
        out.out("HTTP/1.0 400 Bad Request\r\n\r\n");
    } else if args.has("include") {
        out.out(format!("HTTP/1.0 400 Bad Request\r\n\r\n{body}"));
    } else {
        out.out(body);
    }
    if args.has("fail") {
        out = Output::status(22);
        if !silent {
            out.err("curl: (22) The requested URL returned error: 400\n");
        }
    }
    out
}

fn cluster_of(place: &Place, ctx: &Context<'_>) -> Option<String> {
    match place {
        Place::Node { cluster, .. } | Place::Pod { cluster, .. } => Some(cluster.clone()),
        // From the host, any running cluster's network is the kind bridge: use the current one.
        Place::Host => ctx
            .lab
            .current_cluster_name()
            .or_else(|| ctx.lab.cluster_names().into_iter().next()),
    }
}

fn verbose_prelude(ip: Ipv4Addr, url: &Url, request: &Request) -> String {
    format!(
        "*   Trying {ip}:{port}...\n* Connected to {host} ({ip}) port {port}\n> {method} {path} HTTP/1.1\r\n> Host: {host}{shown_port}\r\n> User-Agent: {ua}\r\n> Accept: */*\r\n>\r\n",
        port = url.port,
        host = url.host,
        method = request.method,
        path = url.path,
        ua = request.user_agent,
        shown_port = if url.port == 80 { String::new() } else { format!(":{}", url.port) },
    )
}

fn error(silent: bool, code: i32, message: &str) -> Output {
    let mut out = Output::status(code);
    if !silent {
        out.err(format!("curl: ({code}) {message}\n"));
    }
    out
}

/// A request into a black hole: curl waits for `--max-time` (or the kernel's SYN retries).
fn timeout(silent: bool, url: &Url, max_time_ms: Option<u64>, ctx: &mut Context<'_>) -> Output {
    let waited = max_time_ms.unwrap_or(SYN_TIMEOUT_MS);
    ctx.lab.advance_ms(waited);
    // curl reports the elapsed time of its own timer: one millisecond past the limit.
    let message = match max_time_ms {
        Some(ms) => format!("Connection timed out after {} milliseconds", ms + 1),
        None => format!(
            "Failed to connect to {} port {} after {waited} ms: Couldn't connect to server",
            url.host, url.port
        ),
    };
    error(silent, 28, &message)
}
