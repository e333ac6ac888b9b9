//! The lab's own words in a packet trace — what happened at each hop and how the request
//! ended — in the page's language. The engine writes them in English (so does `svclab`);
//! this reads its few sentence shapes back and says them in Japanese. Tool output inside them
//! (curl's errors, kernel terms such as "martian source", addresses) stays as the tool prints
//! it. A note this does not know is shown as the engine wrote it.

use super::Lang;

/// What happened at a hop (`HopView::note`), in `lang`.
pub fn hop_note(lang: Lang, note: &str) -> String {
    if lang == Lang::En {
        return note.to_owned();
    }
    hop_note_ja(note).unwrap_or_else(|| note.to_owned())
}

/// How a traced request ended (`TraceView::ending`), in `lang`.
pub fn trace_ending(lang: Lang, ending: &str) -> String {
    if lang == Lang::En {
        return ending.to_owned();
    }
    ending_ja(ending).unwrap_or_else(|| ending.to_owned())
}

fn hop_note_ja(note: &str) -> Option<String> {
    let fixed = match note {
        "sent over the kind Docker bridge" => "kind の Docker ブリッジへ送信",
        "left through eth0 to its node" => "eth0 から自分のノードへ",
        "delivered to the node itself" => "ノード自身が受け取った",
        "rejected" => "拒否された (REJECT)",
        "dropped" => "破棄された (DROP)",
        "nothing listens on that port" => "そのポートで待ち受けているものがない",
        "no such node" => "そのノードはない",
        "the node is down" => "ノードが止まっている",
        "routing loop" => "ルーティングがループしている",
        "no route into the cluster from the host" => "ホストからクラスタ内部への経路がない",
        "the pod does not exist" => "Pod が存在しない",
        "the pod has no IP yet" => "Pod にまだ IP がない",
        _ => "",
    };
    if !fixed.is_empty() {
        return Some(fixed.to_owned());
    }
    if let Some(reason) = note.strip_prefix("dropped: ") {
        return Some(format!("破棄された: {reason}"));
    }
    if let Some(node) = note.strip_prefix("forwarded to ") {
        return Some(format!("{node} へ転送"));
    }
    if let Some(status) = note.strip_prefix("nginx answered ") {
        return Some(format!("nginx が {status} を返した"));
    }
    let (dev, next_hop) = note.strip_prefix("out ")?.split_once(" via ")?;
    Some(format!("{dev} から {next_hop} へ送出"))
}

fn ending_ja(ending: &str) -> Option<String> {
    if let Some(rest) = ending.strip_prefix("answered by ") {
        let (who, client) = rest.split_once("; the pod saw the client as ")?;
        let (pod, rest) = who.split_once(" on ")?;
        let (node, status) = rest.split_once(" (")?;
        let status = status.strip_suffix(')')?;
        return Some(format!(
            "{node} の {pod} が応答 ({status})。Pod から見た送信元は {client}"
        ));
    }
    if ending.starts_with("no answer: dropped or unroutable") {
        return Some(
            "応答なし: 破棄されたか経路がない (curl ならエラー 28、タイムアウトで終わる)"
                .to_owned(),
        );
    }
    ending
        .strip_prefix("refused: ")
        .map(|curl| format!("接続拒否: {curl}"))
}
