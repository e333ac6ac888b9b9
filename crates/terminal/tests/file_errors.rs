//! File errors name the file once, as cat and bash print them, wherever the shell runs.

use std::collections::BTreeMap;

use svclab_terminal::session::Session;
use svclab_terminal::workspace::Workspace;

fn stderr_of(session: &mut Session, line: &str) -> String {
    let out = session.type_line(line);
    out.chunks
        .iter()
        .filter(|(s, _)| *s == svclab_terminal::io::Stream::Stderr)
        .map(|(_, t)| t.as_str())
        .collect()
}

#[test]
fn a_missing_file_is_named_once_on_the_host_and_in_a_redirection() {
    let mut s = Session::new(1, Workspace::Memory(BTreeMap::new()));
    assert_eq!(
        stderr_of(&mut s, "cat manifests/extra.yaml"),
        "cat: manifests/extra.yaml: No such file or directory\n"
    );
    assert_eq!(
        stderr_of(&mut s, "wc -l < nope.txt"),
        "bash: nope.txt: No such file or directory\n"
    );
}

#[test]
fn a_missing_node_file_is_named_once() {
    let mut s = Session::new(1, Workspace::Memory(BTreeMap::new()));
    s.type_line("kind create cluster");
    s.type_line("docker exec -it kind-control-plane bash");
    assert_eq!(
        stderr_of(&mut s, "cat /etc/motd"),
        "cat: /etc/motd: No such file or directory\n"
    );
}

#[test]
fn a_node_keeps_what_is_written_in_it() {
    let mut s = Session::new(1, Workspace::Memory(BTreeMap::new()));
    s.type_line("kind create cluster");
    s.type_line("docker exec -it kind-control-plane bash");
    assert_eq!(s.type_line("echo hi > /etc/motd").status, 0);
    s.type_line("echo more >> /etc/motd");
    s.type_line("exit");
    let out = s.type_line("docker exec kind-control-plane cat /etc/motd");
    assert_eq!(out.stdout(), "hi\nmore\n");
    // A file nobody wrote is not there.
    assert_eq!(
        stderr_of(&mut s, "docker exec kind-control-plane cat /etc/issue"),
        "cat: /etc/issue: No such file or directory\n"
    );
}
