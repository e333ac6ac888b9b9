//! Tests for the shell: the article's command blocks over a fake host, and expected texts
//! checked against a real bash 5.2.15.

use std::collections::BTreeMap;

use super::{PromptKind, Shell, CLEAR_SCREEN, MAX_LOOP_ITERATIONS};
use crate::io::{Host, Output};

const PODS: &[&str] = &[
    "nginx-replicaset-abc12",
    "nginx-replicaset-def34",
    "nginx-replicaset-ghi56",
    "nginx-replicaset-jkl78",
    "nginx-replicaset-mno90",
    "nginx-replicaset-pqr12",
];

/// Records every program call; `kubectl get … jsonpath` lists the pods, `curl` answers with a
/// pod name, `iptables` prints a few rules.
#[derive(Default)]
struct FakeHost {
    calls: Vec<Vec<String>>,
    stdins: Vec<String>,
    files: BTreeMap<String, String>,
    slept: u64,
    curls: usize,
}

impl Host for FakeHost {
    fn run(&mut self, argv: &[String], stdin: &str, _env: &[(String, String)]) -> Option<Output> {
        self.calls.push(argv.to_vec());
        self.stdins.push(stdin.to_string());
        let mut o = Output::default();
        match argv.first().map(String::as_str) {
            Some("kubectl") if argv.iter().any(|a| a.starts_with("jsonpath=")) => o.out(PODS.join(" ")),
            Some("kubectl") => {}
            Some("curl") => {
                o.out(format!("{}\n", PODS[self.curls % PODS.len()]));
                o.err("curl noise\n");
                self.curls += 1;
            }
            Some("iptables") => o.out(
                "Chain KUBE-SVC-X (1 references)\n\
                 KUBE-SEP-A  all  --  0.0.0.0/0  0.0.0.0/0  /* dev/nginx-service:http -> 10.244.1.2:80 */ statistic mode random probability 0.50000000000\n\
                 KUBE-SEP-B  all  --  0.0.0.0/0  0.0.0.0/0  /* dev/nginx-service:http -> 10.244.2.2:80 */\n\
                 KUBE-MARK-MASQ  all  --  0.0.0.0/0  0.0.0.0/0  /* dev/other:http */\n",
            ),
            _ => return None,
        }
        Some(o)
    }

    fn read_file(&self, path: &str) -> Result<String, String> {
        self.files
            .get(path)
            .cloned()
            .ok_or_else(|| "No such file or directory".to_string())
    }

    fn write_file(&mut self, path: &str, content: &str, append: bool) -> Result<(), String> {
        let f = self.files.entry(path.to_string()).or_default();
        if !append {
            f.clear();
        }
        f.push_str(content);
        Ok(())
    }

    fn sleep_ms(&mut self, ms: u64) {
        self.slept += ms;
    }

    fn programs(&self) -> Vec<String> {
        vec!["curl".into(), "iptables".into(), "kubectl".into()]
    }
}

fn shell() -> Shell {
    Shell::new(
        vec![
            ("HOME".into(), "/root".into()),
            ("HOSTNAME".into(), "service-demo-worker".into()),
        ],
        "/root".into(),
        PromptKind::User,
    )
}

fn run(line: &str) -> (Output, FakeHost) {
    let mut h = FakeHost::default();
    let o = shell().run_line(line, &mut h);
    (o, h)
}

fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn article_for_pod_exec_expands_pod_inside_double_quotes() {
    let (o, h) = run(
        "# 全 Pod の index.html を Pod 名に書き換え\n\
         for pod in $(kubectl get pod -n dev -l app=nginx -o jsonpath='{.items[*].metadata.name}'); do\n  \
         kubectl exec -n dev $pod -- sh -c \"echo $pod > /usr/share/nginx/html/index.html\"\ndone",
    );
    assert_eq!(o.status, 0);
    assert_eq!(
        h.calls[0],
        strs(&[
            "kubectl",
            "get",
            "pod",
            "-n",
            "dev",
            "-l",
            "app=nginx",
            "-o",
            "jsonpath={.items[*].metadata.name}"
        ])
    );
    let execs: Vec<&Vec<String>> = h
        .calls
        .iter()
        .filter(|c| c.get(1).map(String::as_str) == Some("exec"))
        .collect();
    assert_eq!(execs.len(), 6);
    for (call, pod) in execs.iter().zip(PODS) {
        let script = format!("echo {pod} > /usr/share/nginx/html/index.html");
        assert_eq!(
            **call,
            strs(&["kubectl", "exec", "-n", "dev", pod, "--", "sh", "-c", &script])
        );
    }
}

#[test]
fn article_curl_loop_with_stderr_to_null_and_head() {
    let (o, h) =
        run("for i in {1..10}; do\n  curl -s http://localhost:30000 2>/dev/null | head -1\ndone");
    assert_eq!(h.calls.len(), 10);
    assert_eq!(h.calls[0], strs(&["curl", "-s", "http://localhost:30000"]));
    assert_eq!(o.stderr(), "");
    let expected: String = (0..10).map(|i| format!("{}\n", PODS[i % 6])).collect();
    assert_eq!(o.stdout(), expected);
}

#[test]
fn article_iptables_grep() {
    let (o, _) = run("iptables -t nat -L -n | grep \"nginx-service:http ->\"");
    assert_eq!(o.status, 0);
    assert_eq!(o.stdout().lines().count(), 2);
    assert!(o
        .stdout()
        .contains("10.244.1.2:80 */ statistic mode random probability 0.50000000000\n"));
}

#[test]
fn article_continued_kubectl_run_keeps_single_quoted_script() {
    let mut sh = shell();
    let text = "kubectl -n dev run curl-pod --restart=Never -it --rm --image=curlimages/curl:latest -- \\\n  sh -c 'for i in $(seq 1 10); do curl -s http://nginx-service; done'";
    assert!(sh.needs_more("kubectl -n dev run curl-pod -- \\"));
    assert!(!sh.needs_more(text));
    let mut h = FakeHost::default();
    sh.run_line(text, &mut h);
    let last = h.calls[0].last().cloned().unwrap_or_default();
    assert_eq!(
        last,
        "for i in $(seq 1 10); do curl -s http://nginx-service; done"
    );
    assert_eq!(h.calls[0][..3], strs(&["kubectl", "-n", "dev"])[..]);
}

#[test]
fn sh_c_runs_the_inner_loop_in_a_child_shell() {
    let mut h = FakeHost::default();
    let mut sh = shell();
    let o = sh.run_line(
        "sh -c 'for i in $(seq 1 10); do curl -s http://nginx-service; done'",
        &mut h,
    );
    assert_eq!(h.calls.len(), 10);
    assert!(h
        .calls
        .iter()
        .all(|c| *c == strs(&["curl", "-s", "http://nginx-service"])));
    assert_eq!(o.stdout().lines().count(), 10);
    // $0 and $1 of `sh -c` with arguments; unexported variables are not inherited.
    let o = sh.run_line(
        "x=1; export y=2; bash -c 'echo $0 $1 $2 [$x] [$y]' me a b",
        &mut h,
    );
    assert_eq!(o.stdout(), "me a b [] [2]\n");
}

#[test]
fn command_string_api_for_kubectl_exec() {
    let mut h = FakeHost::default();
    let mut sh = shell();
    let o = sh.run_command_string(
        "echo nginx-a > /usr/share/nginx/html/index.html",
        "sh",
        &[],
        &mut h,
    );
    assert_eq!(o.status, 0);
    assert_eq!(
        h.files
            .get("/usr/share/nginx/html/index.html")
            .map(String::as_str),
        Some("nginx-a\n")
    );
    let o = sh.run_command_string("nosuch", "sh", &[], &mut h);
    assert_eq!(o.stderr(), "sh: line 1: nosuch: command not found\n");
    assert_eq!(o.status, 127);
    let o = sh.run_command_string("for x in; do done", "bash", &[], &mut h);
    assert_eq!(
        o.stderr(),
        "bash: -c: line 1: syntax error near unexpected token `done'\nbash: -c: line 1: `for x in; do done'\n"
    );
    assert_eq!(o.status, 2);
}

/// (input, stdout+stderr as a terminal shows them, status), checked with bash 5.2.15 -c.
const CASES: &[(&str, &str, i32)] = &[
    ("echo 'single $x' \"double $HOME\" \\$esc", "single $x double /root $esc\n", 0),
    ("x=5; echo ${x} ${#x} ${y:-def} ${y-d2} \"${x:+alt}\"", "5 1 def d2 alt\n", 0),
    ("echo {a,b}{1,2} {01..10} {10..1..3} {a..e} {x} {} a{b", "a1 a2 b1 b2 01 02 03 04 05 06 07 08 09 10 10 7 4 1 a b c d e {x} {} a{b\n", 0),
    ("echo $((1+2*3)) $((10/3)) $((10%3)) $((2**10)) $((1<2)) $((5>7)) $(( (1+2)*3 ))", "7 3 1 1024 1 0 9\n", 0),
    ("echo \"$(echo hi; echo)\" `echo back`", "hi back\n", 0),
    ("a=\"x  y   z\"; echo $a; echo \"$a\"", "x y z\nx  y   z\n", 0),
    ("set -- a \"b c\" d; for x in \"$@\"; do echo \"[$x]\"; done; echo $#; echo \"$*\"", "[a]\n[b c]\n[d]\n3\na b c d\n", 0),
    ("false; echo $?; true; echo $?", "1\n0\n", 0),
    ("foo; echo $?", "bash: foo: command not found\n127\n", 0),
    ("echo a | grep b; echo $?", "1\n", 0),
    ("echo -e 'a\\tb\\nc'; echo -n no; echo -E 'x\\ty'", "a\tb\nc\nnox\\ty\n", 0),
    ("printf '%s-%d\\n' a 1 b 2 c; printf '%5s|%-5s|%05d\\n' ab cd 42", "a-1\nb-2\nc-0\n   ab|cd   |00042\n", 0),
    ("seq -s, 1 5; seq -w 8 11; seq 1 2 9 | tail -1", "1,2,3,4,5\n08\n09\n10\n11\n9\n", 0),
    ("echo -e 'a\\na\\nb\\na' | uniq -c", "      2 a\n      1 b\n      1 a\n", 0),
    ("echo -e 'x\\nx\\ny\\nx' | sort | uniq -c | sort -rn", "      3 x\n      1 y\n", 0),
    ("echo -e '10\\n9\\n100' | sort -n; echo -e 'b:2\\na:10\\nc:3' | sort -t: -k2 -n", "9\n10\n100\nb:2\nc:3\na:10\n", 0),
    ("echo -e 'one two\\nthree' | wc; echo hi | wc -l; echo hello | wc -c", "      2       3      14\n1\n6\n", 0),
    ("echo 'a:b:c' | awk -F: '{print $1, $3}'; seq 5 | awk '{s+=$1} END {print s}'", "a c\n15\n", 0),
    ("echo 'a,b,c' | cut -d, -f1,3; echo hello | tr a-z A-Z; echo aaabbb | tr -s ab", "a,c\nHELLO\nab\n", 0),
    ("seq 10 | head -n -8; seq 5 | tail -n +4", "1\n2\n4\n5\n", 0),
    ("(x=1; echo in $x); echo out $x", "in 1\nout\n", 0),
    ("f() { echo \"f:$1\"; return 3; }; f arg; echo $?", "f:arg\n3\n", 0),
    ("{ echo o; echo e >&2; } 2>&1 | cat", "o\ne\n", 0),
    ("echo $((1/0)); echo after", "bash: 1/0: division by 0 (error token is \"0\")\n", 1),
    ("x=abcabc; echo ${x#a} ${x##*b} ${x%c} ${x%%b*} ${x/b/X} ${x//b/X} ${x:1:3} ${x: -2}", "bcabc c abcab a aXcabc aXcaXc bca bc\n", 0),
    ("for i in 1 2 3; do for j in a b; do [ $j = b ] && break 2; echo $i$j; done; done", "1a\n", 0),
    ("printf 'a b\\nc d\\n' | while read x y; do echo \"$y-$x\"; done", "b-a\nd-c\n", 0),
    ("echo 'foo123bar' | grep -oE '[0-9]+'; echo 'aXb' | grep 'a[[:upper:]]b'", "123\naXb\n", 0),
    ("echo 'hello world' | grep -w wor; echo $?; echo 'aaaa' | grep -E '^a{2,3}$'; echo $?", "1\n1\n", 0),
    ("echo 'aab' | grep 'a\\+b'; echo 'x(y)' | grep -E '\\(y\\)'; echo ab | grep '\\(a\\)b'", "aab\nx(y)\nab\n", 0),
    ("echo -e 'abc\\nABC' | grep -ic abc; echo -e 'a\\nb\\na' | grep -n a", "2\n1:a\n3:a\n", 0),
    ("grep x /nonexist; echo $?", "grep: /nonexist: No such file or directory\n2\n", 0),
    ("cat /nonexist", "cat: /nonexist: No such file or directory\n", 1),
    ("IFS=:; x=a:b:c; for p in $x; do echo $p; done", "a\nb\nc\n", 0),
    ("echo `echo \\`echo nested\\``; echo $(echo $(echo deep))", "nested\ndeep\n", 0),
    ("true | false; echo $? ${PIPESTATUS[0]} ${PIPESTATUS[1]}", "1 0 1\n", 0),
    // Indexed arrays (each line checked against bash 5.2).
    ("a=(x y z); echo ${a[1]} ${#a[@]} $a; for i in \"${a[@]}\"; do echo \"-$i\"; done", "y 3 x\n-x\n-y\n-z\n", 0),
    ("a=(x y z); a+=(w \"v u\"); echo \"${a[@]}\" \"${#a[@]}\" \"${!a[@]}\"", "x y z w v u 5 0 1 2 3 4\n", 0),
    ("a=(x y z w); a[7]=seven; echo \"${!a[@]}\" ${a[-1]} ${a[@]:1:2}; i=2; a[$i]=Z; a[i+1]+=!; echo \"${a[*]}\"", "0 1 2 3 7 seven y z\nx y Z w! seven\n", 0),
    ("a=(x y z); unset 'a[0]'; echo \"${a[@]}\" ${#a[1]}; printf '%s\\n' \"${a[@]/#/pod-}\"", "y z 1\npod-y\npod-z\n", 0),
    ("b=(); for x in \"${b[@]}\"; do echo never; done; echo \"empty: ${#b[@]}\"; c=(\n alpha\n beta\n); echo ${c[@]}", "empty: 0\nalpha beta\n", 0),
    ("read -ra parts <<< 'one two  three'; echo \"${parts[2]} ${#parts[@]}\"; printf 'l1\\nl2\\n' | { mapfile -t lines; echo \"${lines[1]}\" ${#lines[@]}; }", "three 3\nl2 2\n", 0),
    ("x=a; y=x; echo ${!y}; v=abc; echo ${v/#/x} ${v/%/y} ${v/#a/A} ${v/%c/C}", "a\nxabc abcy Abc abC\n", 0),
    ("read -a <<< x; echo $?", "bash: read: -a: option requires an argument\nread: usage: read [-ers] [-a array] [-d delim] [-i text] [-n nchars] [-N nchars] [-p prompt] [-t timeout] [-u fd] [name ...]\n2\n", 0),
    ("printf 'x=%q\\n' 'a b' \"it's\"", "x=a\\ b\nx=it\\'s\n", 0),
    ("e=\"\"; for w in $e; do echo never; done; for w in \"$e\"; do echo \"once[$w]\"; done", "once[]\n", 0),
    ("case abc in a*) echo starts;; *) echo other;; esac", "starts\n", 0),
    ("echo 1 2 3 | xargs -n1; echo /a/b/c.txt | xargs basename", "1\n2\n3\nc.txt\n", 0),
    (
        "x=5; cat <<EOF\nval=$x \"q\" \\$x `echo b` \\\"\nEOF\ncat <<'EOF'\n$x \"lit\"\nEOF\ncat <<-EOF\n\t\tindented $x\n\tEOF\ncat <<A; cat <<B\none\nA\ntwo\nB\ncat <<EOF | grep b\na\nb\nEOF",
        "val=5 \"q\" $x b \\\"\n$x \"lit\"\nindented 5\none\ntwo\nb\n",
        0,
    ),
    ("type echo cat for nosuch", "echo is a shell builtin\ncat is /usr/bin/cat\nfor is a shell keyword\nbash: type: nosuch: not found\n", 1),
];

#[test]
fn cases_match_bash() {
    for (input, expected, status) in CASES {
        let (o, _) = run(input);
        assert_eq!(o.combined(), *expected, "input: {input}");
        assert_eq!(o.status, *status, "status of: {input}");
    }
}

#[test]
fn interactive_syntax_errors() {
    for (input, msg) in [
        ("for x in; do done", "bash: syntax error near unexpected token `done'\n"),
        ("echo >", "bash: syntax error near unexpected token `newline'\n"),
        ("cat <<", "bash: syntax error near unexpected token `newline'\n"),
        ("fi", "bash: syntax error near unexpected token `fi'\n"),
        (
            "kubectl create service <サービスのタイプ> <サービスの名前> --tcp=<ホスト側のポート>:<コンテナ側のポート>",
            "bash: syntax error near unexpected token `<'\n",
        ),
        ("echo \"abc", "bash: unexpected EOF while looking for matching `\"'\n"),
        ("for i in 1 2", "bash: syntax error: unexpected end of file\n"),
    ] {
        let (o, h) = run(input);
        assert_eq!(o.stderr(), msg, "input: {input}");
        assert_eq!(o.status, 2);
        assert!(h.calls.is_empty());
    }
}

#[test]
fn completeness_like_bash() {
    let sh = shell();
    for more in [
        "echo 'abc",
        "echo \"abc",
        "echo abc \\",
        "echo hi |",
        "true &&",
        "false ||",
        "for i in 1 2",
        "for pod in $(kubectl get pod); do",
        "if true; then",
        "while true",
        "{ echo hi",
        "( echo",
        "echo $(echo",
        "case x in",
        "cat <<EOF",
        "cat <<EOF | kubectl apply -f -\napiVersion: v1",
        "cat <<-'END'\n\tEND \n",
        "for i in {1..10}; do\n  curl -s http://localhost:30000 2>/dev/null | head -1",
    ] {
        assert!(sh.needs_more(more), "needs more: {more:?}");
    }
    for done in [
        "echo hi",
        "for i in 1; do echo; done",
        "echo >",
        "fi",
        "echo )",
        "",
        "# comment",
        "echo \\\\",
        "echo \\\n",
        "cat <<EOF | kubectl apply -f -\napiVersion: v1\nEOF",
        "cat <<-'END'\n\tEND",
        "for i in {1..10}; do\n  curl -s http://localhost:30000 2>/dev/null | head -1\ndone",
    ] {
        assert!(!sh.needs_more(done), "complete: {done:?}");
    }
}

#[test]
fn history_joins_lines_like_bash() {
    let mut sh = shell();
    let mut h = FakeHost::default();
    sh.run_line("for i in {1..3}; do\n  echo $i\ndone", &mut h);
    sh.run_line("kubectl -n dev run x -- \\\n  sh -c \"echo\"", &mut h);
    sh.run_line("if true\nthen echo y\nfi", &mut h);
    sh.run_line("echo a |\n  cat", &mut h);
    sh.run_line("cat <<EOF\nabc\nEOF", &mut h);
    let o = sh.run_line("history", &mut h);
    assert_eq!(
        o.stdout(),
        "    1  for i in {1..3}; do   echo $i; done\n    2  kubectl -n dev run x --   sh -c \"echo\"\n    3  if true; then echo y; fi\n    4  echo a |   cat\n    5  cat <<EOF\nabc\nEOF\n\n    6  history\n"
    );
}

#[test]
fn state_persists_between_lines() {
    let mut sh = shell();
    let mut h = FakeHost::default();
    sh.run_line("x=1; export Y=2; cd /tmp", &mut h);
    let o = sh.run_line("echo $x $Y; pwd; cd -; cd ..; pwd", &mut h);
    assert_eq!(o.stdout(), "1 2\n/tmp\n/root\n/\n");
    assert!(sh
        .environment()
        .contains(&("Y".to_string(), "2".to_string())));
    assert_eq!(sh.var("x"), Some("1"));
}

#[test]
fn loops_are_bounded() {
    let (o, _) = run("while true; do :; done; echo never");
    assert_eq!(
        o.stderr(),
        format!("bash: while: loop stopped after {MAX_LOOP_ITERATIONS} iterations (Service Lab's limit)\n")
    );
    assert_eq!(o.stdout(), "");
    assert_eq!(o.status, 1);
    let (o, _) = run("for i in $(seq 1 20000); do :; done");
    assert!(o.stderr().contains("for: loop stopped"));
}

#[test]
fn output_sent_to_dev_null_does_not_count_against_the_limit() {
    // 9 MB of printf: more than the 8 MiB the terminal takes from one command line.
    let big = "for i in $(seq 1 9000); do printf '%01000d' 0; done";
    let (o, _) = run(&format!("{big} > /dev/null; echo kept going"));
    assert_eq!(o.stdout(), "kept going\n");
    let (o, _) = run(&format!("{big} 2>&1 >/dev/null | cat; echo kept going"));
    assert_eq!(o.stdout(), "kept going\n");
    let (o, _) = run(big);
    assert!(
        o.stderr()
            .ends_with("output stopped after 8 MiB (Service Lab's limit)\n"),
        "{}",
        o.stderr()
    );
}

#[test]
fn interrupt_stops_a_running_script() {
    let mut sh = shell();
    let mut n = 0;
    sh.set_interrupt(Box::new(move || {
        n += 1;
        n > 5
    }));
    let mut h = FakeHost::default();
    let o = sh.run_line("while true; do curl -s x; done", &mut h);
    assert!(o.combined().ends_with("^C\n"));
    assert_eq!(o.status, 130);
    assert!(h.calls.len() < 5);
}

#[test]
fn sleep_date_clear_exit_and_prompt() {
    let mut sh = shell();
    let mut h = FakeHost::default();
    let o = sh.run_line("date; sleep 1.5; sleep 1s; date +%H:%M:%S", &mut h);
    assert_eq!(o.stdout(), "Tue Aug 13 22:54:53 UTC 2024\n22:54:55\n");
    assert_eq!(h.slept, 2500);
    assert_eq!(sh.run_line("clear", &mut h).stdout(), CLEAR_SCREEN);
    let o = sh.run_line("sleep abc", &mut h);
    assert_eq!(
        o.stderr(),
        "sleep: invalid time interval 'abc'\nTry 'sleep --help' for more information.\n"
    );
    assert_eq!(sh.prompt(), "$ ");
    let root = Shell::new(
        vec![("HOSTNAME".into(), "service-demo-worker".into())],
        "/".into(),
        PromptKind::Root,
    );
    assert_eq!(root.prompt(), "root@service-demo-worker:/# ");
    let o = sh.run_line("exit 3", &mut h);
    assert_eq!(o.stderr(), "exit\n");
    assert_eq!(sh.exited(), Some(3));
}

#[test]
fn redirections_to_files_and_streams() {
    let mut sh = shell();
    let mut h = FakeHost::default();
    let o = sh.run_line(
        "echo a > f; echo b >> f; cat f; cat < f | wc -l; curl x > out 2>&1; cat out",
        &mut h,
    );
    assert_eq!(o.stdout(), "a\nb\n2\nnginx-replicaset-abc12\ncurl noise\n");
    assert_eq!(h.files.get("/root/f").map(String::as_str), Some("a\nb\n"));
    let o = sh.run_line(
        "curl x 2>/dev/null; curl y &>/dev/null; echo to-err >&2",
        &mut h,
    );
    assert_eq!(o.stdout(), "nginx-replicaset-def34\n");
    assert_eq!(o.stderr(), "to-err\n");
    let o = sh.run_line("cat < missing", &mut h);
    assert_eq!(o.stderr(), "bash: missing: No such file or directory\n");
}

#[test]
fn script_runs_each_command_when_complete() {
    let mut sh = shell();
    let mut h = FakeHost::default();
    let o = sh.run_script(
        "echo one\nfor i in 1 2; do\n echo $i\ndone\necho )\necho after\nnosuch\n",
        &mut h,
    );
    assert_eq!(
        o.combined(),
        "one\n1\n2\nbash: line 5: syntax error near unexpected token `)'\nbash: line 5: `echo )'\nafter\nbash: line 7: nosuch: command not found\n"
    );
    // Lines after a here-document keep their numbers as typed.
    let o = sh.run_script("cat <<EOF\nx\nEOF\nfi\n", &mut h);
    assert_eq!(
        o.combined(),
        "x\nbash: line 4: syntax error near unexpected token `fi'\nbash: line 4: `fi'\n"
    );
}

#[test]
fn hostile_input_does_not_panic() {
    let nasty = [
        "$(((((((",
        "${",
        "${#",
        "${x:",
        "`",
        "$((1/0))",
        "$((2**-1))",
        "echo ${x:5:-10}",
        "{1..99999999999}",
        "echo {1..200000}",
        "((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((echo",
        "echo $'\\x' $'\\0' $'\\777'",
        "printf '%*d %.q %' 1",
        "grep -E '((((((((((a' x",
        "grep -E 'a{1001}'",
        "echo x | grep -E '(a*)*b'",
        "f() { f; }; f",
        "echo a | awk '{print $(-1)}'",
        "echo a | awk '{'",
        "seq 1 0 5",
        "cut -f0",
        "tr",
        "echo ${PIPESTATUS[x]}",
        "! ! !",
        "case",
        "function",
        "a=(1 2)",
    ];
    for n in nasty {
        let _ = run(n);
        let _ = shell().needs_more(n);
    }
    for deep in [
        "$(".repeat(200),
        "${x:-".repeat(5000),
        "$((".repeat(5000),
        "\"$(".repeat(300),
    ] {
        let _ = run(&deep);
        let _ = shell().needs_more(&deep);
    }
    let _ = run(&format!("echo a | grep 'a{}'", "*".repeat(10_000)));
    let _ = run("printf '%999999999999d|%.99999999999d' 1 2");
    let (o, _) = run("f() { f; }; f");
    assert!(o
        .stderr()
        .contains("maximum function nesting level exceeded (100)"));
}
