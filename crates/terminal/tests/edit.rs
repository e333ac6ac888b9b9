//! `kubectl edit`: the editor opens on the object under kubectl's header; a save updates the
//! object, an invalid one reopens the editor with the reasons, and giving up says where the
//! changes were kept (editoptions.go's messages).

mod common;

use svclab_terminal::session::Session;

fn editing_web() -> Session {
    let mut s = common::lab_with_service(9, &[]);
    let out = s.type_line("kubectl edit svc web");
    assert_eq!(
        (out.status, out.stdout(), out.stderr()),
        (0, String::new(), String::new())
    );
    s
}

fn buffer(s: &Session) -> String {
    s.editing().expect("the editor is open").buffer.clone()
}

#[test]
fn the_editor_opens_on_the_object_and_a_save_updates_it() {
    let mut s = editing_web();
    let editing = s.editing().expect("open");
    assert!(editing.file.starts_with("/tmp/kubectl-edit-") && editing.file.ends_with(".yaml"));
    let text = buffer(&s);
    assert!(text.starts_with("# Please edit the object below. Lines beginning with a '#' will be ignored,\n# and an empty file will abort the edit. If an error occurs while saving this file will be\n# reopened with the relevant failures.\n#\napiVersion: v1\nkind: Service\n"), "{text}");
    let out = s.finish_edit(Some(&text.replace("type: NodePort", "type: LoadBalancer")));
    assert_eq!(
        (out.stdout().as_str(), out.status),
        ("service/web edited\n", 0)
    );
    assert!(s.editing().is_none());
    let t = s
        .type_line("kubectl get svc web -o jsonpath={.spec.type}")
        .stdout();
    assert_eq!(t, "LoadBalancer");
}

#[test]
fn unchanged_empty_and_missing() {
    let mut s = editing_web();
    assert_eq!(
        s.finish_edit(None).stderr(),
        "Edit cancelled, no changes made.\n"
    );
    s.type_line("kubectl edit svc web");
    assert_eq!(
        s.finish_edit(Some("# only comments\n\n")).stderr(),
        "Edit cancelled, saved file was empty.\n"
    );
    let out = s.type_line("kubectl edit svc nope");
    assert_eq!(
        out.stderr(),
        "Error from server (NotFound): services \"nope\" not found\n"
    );
    assert!(s.editing().is_none());
}

#[test]
fn an_invalid_save_reopens_with_the_reasons_and_giving_up_keeps_the_copy() {
    let mut s = editing_web();
    let bad = buffer(&s).replace("nodePort: 30000", "nodePort: 99999");
    let out = s.finish_edit(Some(&bad));
    assert_eq!(out.stderr(), "error: services \"web\" is invalid\n");
    let reopened = buffer(&s);
    assert!(reopened.contains("#\n# services \"web\" was not valid:\n# * spec.ports[0].nodePort: Invalid value: 99999: provided port is not in the valid range. The range of valid ports is 30000-32767\n#\napiVersion: v1\n"), "{reopened}");
    let file = s.editing().expect("open").file.clone();
    let out = s.finish_edit(None);
    assert_eq!(out.status, 1);
    assert_eq!(
        out.stderr(),
        format!("A copy of your changes has been stored to \"{file}\"\nerror: Edit cancelled, no valid changes were saved.\n")
    );
    let port = s
        .type_line("kubectl get svc web -o jsonpath={.spec.ports[0].nodePort}")
        .stdout();
    assert_eq!(port, "30000");
}

#[test]
fn a_syntax_error_reopens_and_a_fix_then_saves() {
    let mut s = editing_web();
    let broken = buffer(&s).replace("  type: NodePort", "  type: [NodePort");
    let out = s.finish_edit(Some(&broken));
    assert_eq!(out.combined(), "");
    let reopened = buffer(&s);
    assert!(
        reopened.contains("# The edited file had a syntax error: "),
        "{reopened}"
    );
    let fixed = reopened
        .replace("  type: [NodePort", "  type: NodePort")
        .replace("sessionAffinity: None", "sessionAffinity: ClientIP");
    assert_eq!(s.finish_edit(Some(&fixed)).stdout(), "service/web edited\n");
}

#[test]
fn a_line_typed_while_the_editor_is_open_closes_it_unchanged() {
    let mut s = editing_web();
    let out = s.type_line("echo next");
    assert_eq!(out.stderr(), "Edit cancelled, no changes made.\n");
    assert_eq!(out.stdout(), "next\n");
}
