//! Random command lines, built from the words learners type, never panic and always end; the
//! session stays usable after each (property test with a fixed-seed generator).

use svclab_terminal::session::Session;
use svclab_terminal::workspace::Workspace;

/// A small deterministic generator (SplitMix64), so a failure names its seed.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn pick<'a>(&mut self, words: &[&'a str]) -> &'a str {
        words[(self.next() % words.len() as u64) as usize]
    }
}

const WORDS: &[&str] = &[
    "kubectl",
    "kind",
    "docker",
    "curl",
    "get",
    "pods",
    "pod",
    "svc",
    "nodes",
    "-n",
    "dev",
    "-A",
    "-o",
    "wide",
    "yaml",
    "json",
    "jsonpath={.items[*].metadata.name}",
    "apply",
    "-f",
    "./manifests/nginx-replicaset.yaml",
    "./manifests/nginx-service-nodeport.yaml",
    "delete",
    "create",
    "namespace",
    "cluster",
    "--name",
    "service-demo",
    "--config=./manifests/kind-config.yaml",
    "exec",
    "-it",
    "service-demo-worker",
    "bash",
    "iptables",
    "-t",
    "nat",
    "-L",
    "exit",
    "|",
    "grep",
    "http",
    "for",
    "i",
    "in",
    "{1..3};",
    "do",
    "done",
    ";",
    "&&",
    "||",
    "$(",
    ")",
    "\"",
    "'",
    "`",
    "echo",
    "$i",
    "${x:-y}",
    ">",
    "/dev/null",
    "2>&1",
    "<",
    "if",
    "then",
    "fi",
    "head",
    "-1",
    "scale",
    "rs/nginx-replicaset",
    "--replicas=2",
    "describe",
    "logs",
    "run",
    "x",
    "--image=nginx",
    "--rm",
    "--",
    "sh",
    "-c",
    "stop",
    "start",
    "http://localhost:30000",
    "10.96.0.1",
    "\\",
    "(",
    "{",
    "}",
    "*",
    "?",
    "[",
    "]",
    "#",
    "~",
    "$((1+",
    "))",
    "while",
    "true",
    "sleep",
    "1",
    // Arrays, here-documents and the later kubectl verbs.
    "a=(x",
    "y)",
    "${a[@]}",
    "${a[-1]}",
    "${#a[@]}",
    "${!a[@]}",
    "a[2]=z",
    "<<EOF",
    "EOF",
    "patch",
    "-p",
    "{\"spec\":{\"type\":\"NodePort\"}}",
    "--type=json",
    "edit",
    "annotate",
    "-l",
    "app=nginx",
    "--prefix",
    "--help",
    "mapfile",
    "read",
    "-ra",
];

#[test]
fn random_lines_never_panic_and_the_session_stays_usable() {
    let mut gen = Gen(20_241_128);
    let files = std::collections::BTreeMap::from([
        (
            "manifests/kind-config.yaml".to_string(),
            "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n- role: worker\n".to_string(),
        ),
    ]);
    let mut session = Session::new(3, Workspace::Memory(files));
    session
        .type_line("kind create cluster --name service-demo --config=./manifests/kind-config.yaml");
    for _ in 0..400 {
        let n = 1 + gen.next() % 8;
        let line: Vec<&str> = (0..n).map(|_| gen.pick(WORDS)).collect();
        let _ = session.type_line(&line.join(" "));
        // An unfinished construct waits for more lines; abandon it as Ctrl-C would.
        if session.in_continuation() {
            session.cancel();
        }
    }
    // Whatever happened, the terminal still answers.
    while !matches!(
        session.place(),
        svclab_terminal::programs::place::Place::Host
    ) {
        session.type_line("exit");
    }
    let out = session.type_line("echo still here");
    assert_eq!(out.stdout(), "still here\n");
}
