//! Each program answers `--help` with its real usage, on the host and on a node.

use std::collections::BTreeMap;

use svclab_terminal::session::Session;
use svclab_terminal::workspace::Workspace;

#[test]
fn node_tools_and_utilities_print_their_usage() {
    let mut s = Session::new(1, Workspace::Memory(BTreeMap::new()));
    assert_eq!(s.type_line("kind create cluster").status, 0);
    s.type_line("docker exec -it kind-control-plane bash");
    let iptables = s.type_line("iptables -h");
    assert_eq!(iptables.status, 0);
    assert!(iptables.stdout().starts_with("iptables v1.8.9 (nf_tables)\n\nUsage: iptables -[ACD] chain rule-specification [options]\n"));
    assert!(iptables
        .stdout()
        .ends_with("[!] --version\t-V\t\tprint package version.\n"));
    let ip = s.type_line("ip help");
    assert_eq!(ip.status, 255);
    assert!(ip
        .stderr()
        .starts_with("Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n"));
    let save = s.type_line("iptables-save --help");
    assert_eq!((save.status, save.stderr().as_str()), (1, "iptables-save: unrecognized option '--help'\nLook at manual page `iptables-save.8' for more information.\n"));
    assert!(s
        .type_line("conntrack -h")
        .stdout()
        .starts_with("Command line interface for the connection tracking system. Version 1.4.7\n"));
    s.type_line("exit");
    for (line, head) in [
        (
            "grep --help",
            "Usage: grep [OPTION]... PATTERNS [FILE]...\n",
        ),
        ("head --help", "Usage: head [OPTION]... [FILE]...\n"),
        ("seq --help", "Usage: seq [OPTION]... LAST\n"),
        (
            "awk --help",
            "Usage: awk [POSIX or GNU style options] -f progfile [--] file ...\n",
        ),
        (
            "kubectl logs --help",
            "Print the logs for a container in a pod or specified resource.\n",
        ),
        (
            "kubectl patch --help",
            "Update fields of a resource using strategic merge patch",
        ),
    ] {
        let out = s.type_line(line);
        assert_eq!(out.status, 0, "{line}");
        assert!(out.stdout().starts_with(head), "{line}: {}", out.stdout());
    }
}
