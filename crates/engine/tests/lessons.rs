//! The lesson files: each reads, and following it step by step in a fresh lab meets every check;
//! before the commands run, the checks are not met.

use std::collections::BTreeMap;
use std::path::Path;

use svclab_engine::lessons::{parse_lesson, progress, validate};
use svclab_terminal::session::Session;
use svclab_terminal::workspace::Workspace;

fn lesson_files() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content/lessons");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("content/lessons")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("a lesson file");
            (p.display().to_string(), text)
        })
        .collect();
    files.sort();
    files
}

fn article_dir() -> Workspace {
    Workspace::Disk(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content/article"))
}

#[test]
fn every_lesson_is_met_step_by_step_by_its_own_commands() {
    let files = lesson_files();
    assert!(!files.is_empty());
    for (path, text) in files {
        let lesson = parse_lesson(&path, &text).expect("the lesson reads");
        let mut fresh = Session::new(lesson.seed, article_dir());
        let before = progress(&fresh, &lesson);
        assert!(
            before.iter().flatten().all(|held| !held),
            "{path}: nothing is met before its commands run: {before:?}"
        );
        for (n, step) in validate(&mut fresh, &lesson).iter().enumerate() {
            assert!(step.passed(), "{path} step {}: {:?}", n + 1, step.checks);
        }
    }
}

#[test]
fn a_broken_lesson_file_says_where() {
    let no_steps = "id: x\ntitle: {en: a, ja: b}\nsteps: []\n";
    assert!(parse_lesson("x.yaml", no_steps)
        .unwrap_err()
        .contains("at least one step"));
    let two_keys = "id: x\ntitle: {en: a, ja: b}\nsteps:\n- title: {en: a, ja: b}\n  text: {en: a, ja: b}\n  check:\n  - nodes: 3\n    typed: ls\n";
    let e = parse_lesson("x.yaml", two_keys).unwrap_err();
    assert!(e.contains("exactly one key") && e.contains("line 7"), "{e}");
    let unknown =
        "id: x\ntitle: {en: a, ja: b}\nsteps:\n- title: {en: a, ja: b}\n  txt: {en: a, ja: b}\n";
    let e = parse_lesson("x.yaml", unknown).unwrap_err();
    assert!(
        e.contains("unknown field `txt`") && e.contains("line 5"),
        "{e}"
    );
}

#[test]
fn a_typed_check_reads_the_terminal_history() {
    let lesson = parse_lesson(
        "t.yaml",
        "id: t\ntitle: {en: a, ja: b}\nsteps:\n- title: {en: a, ja: b}\n  text: {en: a, ja: b}\n  check:\n  - typed: kubectl version\n",
    )
    .expect("reads");
    let mut s = Session::new(1, Workspace::Memory(BTreeMap::new()));
    assert_eq!(progress(&s, &lesson), vec![vec![false]]);
    s.type_line("kubectl version --client");
    assert_eq!(progress(&s, &lesson), vec![vec![true]]);
}

#[test]
fn actions_are_done_as_the_buttons_do_them_and_a_wrong_one_fails_the_step() {
    let lesson = parse_lesson(
        "a.yaml",
        "id: a\ntitle: {en: a, ja: b}\nsteps:\n- title: {en: a, ja: b}\n  text: {en: a, ja: b}\n  commands: [\"kind create cluster\", \"kubectl create deployment web --image=nginx\", \"kubectl create service clusterip web --tcp=80:80\", \"kubectl create service clusterip empty --tcp=80:80\"]\n  actions:\n  - trace: { from: host, to: \"kind-control-plane:6443\" }\n  - chain: { node: kind-control-plane, service: default/web }\n  - chain: { node: kind-control-plane, service: default/empty }\n  - chain: { node: kind-control-plane, service: default/nope }\n  - traffic: { from: host, to: \"kind-worker9:80\", count: 5 }\n  - chain: { node: kind-control-plane, service: default/web, highlight: KUBE-SEP }\n  - chain: { node: kind-control-plane, service: default/web, highlight: probability }\n",
    )
    .expect("reads");
    let mut s = Session::new(1, Workspace::Memory(BTreeMap::new()));
    let report = validate(&mut s, &lesson);
    let mut errors: Vec<Option<String>> =
        report[0].actions.iter().map(|(_, e)| e.clone()).collect();
    // One endpoint: its chain jumps to it with no `statistic … probability`, so a highlight
    // of that lights nothing and is a mistake; one of `KUBE-SEP` lights the jump.
    let highlights = errors.split_off(5);
    assert_eq!(highlights[0], None);
    let wrong = highlights[1].clone().unwrap_or_default();
    assert!(
        wrong.starts_with("no line of KUBE-SVC-")
            && wrong.ends_with(" on kind-control-plane contains \"probability\""),
        "{wrong}"
    );
    assert_eq!(
        errors,
        vec![
            None,
            None,
            // kube-proxy writes no KUBE-SVC chain for a Service without endpoints.
            Some("iptables: No chain/target/match by that name.".into()),
            Some("no Service default/nope with a KUBE-SVC chain".into()),
            Some("curl: (6) Could not resolve host: kind-worker9".into()),
        ]
    );
    assert!(!report[0].passed());
    // A focus the page cannot show is refused with the step's number.
    let bad = "id: b\ntitle: {en: a, ja: b}\nsteps:\n- title: {en: a, ja: b}\n  text: {en: a, ja: b}\n  focus: chart\n";
    assert!(parse_lesson("b.yaml", bad)
        .unwrap_err()
        .contains("step 1: focus \"chart\""));
}
