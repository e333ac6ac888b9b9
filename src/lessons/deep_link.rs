//! Links that open a lesson at a step with a seed: `#lesson=ID&step=N&seed=S` (step 1-based;
//! step and seed optional). A teacher shares one so that the whole class starts at the same
//! place with the same names and numbers.

/// Where a link points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LessonLink {
    /// The lesson's id.
    pub lesson: String,
    /// The step, 0-based.
    pub step: usize,
    /// The seed to use, if given.
    pub seed: Option<u64>,
}

/// Reads a URL fragment; anything else than a lesson link is `None`.
pub fn parse(fragment: &str) -> Option<LessonLink> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let mut link = LessonLink {
        lesson: String::new(),
        step: 0,
        seed: None,
    };
    for pair in fragment.split('&') {
        let (key, value) = pair.split_once('=')?;
        match key {
            "lesson"
                if value
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-') =>
            {
                link.lesson = value.to_owned();
            }
            "step" => link.step = value.parse::<usize>().ok()?.saturating_sub(1),
            "seed" => link.seed = Some(value.parse().ok()?),
            _ => return None,
        }
    }
    (!link.lesson.is_empty()).then_some(link)
}

/// The link to a lesson's step with a seed (for the presenter to share).
pub fn fragment(lesson: &str, step: usize, seed: u64) -> String {
    format!("lesson={lesson}&step={}&seed={seed}", step + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_reads_back_and_anything_else_is_not_a_lesson_link() {
        let link = parse(&format!("#{}", fragment("traffic-policy", 2, 42))).expect("a link");
        assert_eq!(
            link,
            LessonLink {
                lesson: "traffic-policy".into(),
                step: 2,
                seed: Some(42)
            }
        );
        assert_eq!(
            parse("#lesson=x").map(|l| (l.step, l.seed)),
            Some((0, None))
        );
        assert_eq!(parse("#lab=AAAA"), None);
        assert_eq!(parse("#lesson=<b>"), None);
        assert_eq!(parse("#lesson=x&step=two"), None);
        assert_eq!(parse(""), None);
    }
}
