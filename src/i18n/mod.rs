//! The page's words in English and Japanese. Each language is one [`Texts`] table, so the
//! compiler checks that every text exists in both. Tool output (kubectl, kind, iptables) is
//! never translated: the lab prints what the real tools print.

mod en;
mod ja;
mod trace_words;

pub use trace_words::{hop_note, trace_ending};

use leptos::prelude::*;

/// A language of the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// English.
    En,
    /// Japanese.
    Ja,
}

const KEY: &str = "service-lab.lang";

impl Lang {
    /// The `lang` attribute value.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ja => "ja",
        }
    }

    /// The saved choice, else the browser's language (Japanese for `ja…`, else English).
    pub fn initial() -> Lang {
        let saved = crate::browser::read(KEY);
        let browser = web_sys::window().and_then(|w| w.navigator().language());
        Lang::from_code(saved.or(browser).as_deref().unwrap_or("en"))
    }

    /// `ja`, `ja-JP` → Japanese; anything else → English.
    pub fn from_code(code: &str) -> Lang {
        if code.to_ascii_lowercase().starts_with("ja") {
            Lang::Ja
        } else {
            Lang::En
        }
    }

    /// Saves the choice and marks the document's language.
    pub fn remember(self) {
        crate::browser::write(KEY, self.code());
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("lang", self.code());
        }
    }

    /// This language's texts.
    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::En => &en::EN,
            Lang::Ja => &ja::JA,
        }
    }
}

/// The current language's texts, for components.
pub fn texts() -> impl Fn() -> &'static Texts + Copy {
    let lang = expect_context::<RwSignal<Lang>>();
    move || lang.get().texts()
}

/// The current language's texts, read once: for parts that a parent redraws when the language
/// changes (the map's cards).
pub fn texts_now() -> &'static Texts {
    expect_context::<RwSignal<Lang>>().get_untracked().texts()
}

/// Every text of the page. `{}` marks where a value goes (see [`fill`]).
pub struct Texts {
    pub subtitle: &'static str,
    pub seed: &'static str,
    pub seed_title: &'static str,
    pub seed_prompt: &'static str,
    pub seed_invalid: &'static str,
    pub share: &'static str,
    pub reset_lab: &'static str,
    pub reset_confirm: &'static str,
    pub loading_simulator: &'static str,
    pub simulator: &'static str,
    pub language_switch: &'static str,
    pub language_title: &'static str,
    pub share_link_label: &'static str,
    pub copy: &'static str,
    pub close: &'static str,
    pub open_shared_confirm: &'static str,
    pub files: &'static str,
    pub inspector: &'static str,
    pub chart: &'static str,
    pub lesson: &'static str,
    pub presenter: &'static str,
    pub class_link: &'static str,
    pub restart_lesson: &'static str,
    pub restart_lesson_confirm: &'static str,
    pub link_seed_confirm: &'static str,
    pub no_lessons: &'static str,
    pub step_of: &'static str,
    pub previous: &'static str,
    pub next: &'static str,
    pub lesson_seed: &'static str,
    pub use_seed: &'static str,
    pub type_it: &'static str,
    pub look: &'static str,
    pub checks: &'static str,
    pub chart_hint: &'static str,
    pub files_and_inspector: &'static str,
    pub new_file: &'static str,
    pub new_file_title: &'static str,
    pub delete: &'static str,
    pub delete_title: &'static str,
    pub delete_confirm: &'static str,
    pub rename: &'static str,
    pub rename_prompt: &'static str,
    pub download: &'static str,
    pub upload: &'static str,
    pub upload_refused: &'static str,
    pub create_cluster: &'static str,
    pub apply: &'static str,
    pub apply_title: &'static str,
    pub workspace_files: &'static str,
    pub editing: &'static str,
    pub no_problems: &'static str,
    pub problems: &'static str,
    pub error: &'static str,
    pub note: &'static str,
    pub cluster: &'static str,
    pub cluster_summary: &'static str,
    pub no_cluster: &'static str,
    pub starting: &'static str,
    pub empty_map_before: &'static str,
    pub empty_map_middle: &'static str,
    pub empty_map_after: &'static str,
    pub host: &'static str,
    pub host_title: &'static str,
    pub services: &'static str,
    pub nodes: &'static str,
    pub workloads: &'static str,
    pub ready: &'static str,
    pub endpoints: &'static str,
    pub no_endpoints: &'static str,
    /// The note beside a Service without a ClusterIP (`clusterIP: None`).
    pub headless: &'static str,
    /// Before a claim's name on a pod card.
    pub claim: &'static str,
    /// A claim's volume, in its tooltip.
    pub claim_volume: &'static str,
    pub no_selector: &'static str,
    pub selector_matches_none: &'static str,
    pub none_ready: &'static str,
    pub container_stopped: &'static str,
    pub taint: &'static str,
    pub kube_proxy: &'static str,
    pub kube_proxy_title: &'static str,
    pub node_ports_title: &'static str,
    pub pods_on: &'static str,
    pub actions_on: &'static str,
    pub stop: &'static str,
    pub stop_title: &'static str,
    pub start: &'static str,
    pub start_title: &'static str,
    pub cordon: &'static str,
    pub cordon_title: &'static str,
    pub uncordon: &'static str,
    pub drain: &'static str,
    pub drain_title: &'static str,
    pub describe_title: &'static str,
    pub traffic: &'static str,
    pub from: &'static str,
    pub to: &'static str,
    pub send: &'static str,
    pub send_n: &'static str,
    pub trace_one: &'static str,
    pub speed: &'static str,
    pub steady: &'static str,
    pub trace_one_title: &'static str,
    pub reset: &'static str,
    pub totals: &'static str,
    pub requests_per_pod: &'static str,
    pub share_axis: &'static str,
    pub rules_share: &'static str,
    pub expected_title: &'static str,
    pub source_host: &'static str,
    pub source_alb: &'static str,
    pub alb_title: &'static str,
    pub inspector_hint: &'static str,
    pub nat_chain: &'static str,
    pub trace: &'static str,
    pub show_chain: &'static str,
    pub trace_clicked: &'static str,
    pub trace_clicked_exact: &'static str,
    pub terminal: &'static str,
    pub left_panel: &'static str,
    pub resize_columns: &'static str,
    pub resize_rows: &'static str,
    pub command: &'static str,
    pub edit_title: &'static str,
    pub edit_title_short: &'static str,
    pub edit_help: &'static str,
    pub edit_save: &'static str,
    pub edit_quit: &'static str,
    pub action_traffic: &'static str,
    pub action_trace: &'static str,
    pub action_chain: &'static str,
    pub no_svc_chain: &'static str,
    pub shares_heading: &'static str,
    pub terminal_panel: &'static str,
    pub journal_full: &'static str,
}

/// Puts `values` into a text's `{}` marks, in order.
pub fn fill(text: &str, values: &[&str]) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut values = values.iter();
    let mut rest = text;
    while let Some(i) = rest.find("{}") {
        out.push_str(&rest[..i]);
        out.push_str(values.next().copied().unwrap_or(""));
        rest = &rest[i + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_fill_the_marks_in_order() {
        assert_eq!(
            fill("sent {} = {} + {}", &["3", "2", "1"]),
            "sent 3 = 2 + 1"
        );
        assert_eq!(fill("{}つのノード", &["3"]), "3つのノード");
        assert_eq!(fill("no marks", &["x"]), "no marks");
    }

    #[test]
    fn browser_languages_choose_japanese_or_english() {
        assert_eq!(Lang::from_code("ja-JP"), Lang::Ja);
        assert_eq!(Lang::from_code("JA"), Lang::Ja);
        assert_eq!(Lang::from_code("en-US"), Lang::En);
        assert_eq!(Lang::from_code("fr"), Lang::En);
    }

    #[test]
    fn both_languages_keep_the_same_marks() {
        let marks = |t: &str| t.matches("{}").count();
        let (en, ja) = (&en::EN, &ja::JA);
        for (a, b) in [
            (en.seed, ja.seed),
            (en.simulator, ja.simulator),
            (en.delete_confirm, ja.delete_confirm),
            (en.rename_prompt, ja.rename_prompt),
            (en.editing, ja.editing),
            (en.cluster_summary, ja.cluster_summary),
            (en.endpoints, ja.endpoints),
            (en.selector_matches_none, ja.selector_matches_none),
            (en.none_ready, ja.none_ready),
            (en.taint, ja.taint),
            (en.pods_on, ja.pods_on),
            (en.actions_on, ja.actions_on),
            (en.send_n, ja.send_n),
            (en.totals, ja.totals),
            (en.rules_share, ja.rules_share),
            (en.nat_chain, ja.nat_chain),
            (en.trace, ja.trace),
            (en.seed_invalid, ja.seed_invalid),
        ] {
            assert_eq!(marks(a), marks(b), "{a:?} / {b:?}");
        }
    }
}
