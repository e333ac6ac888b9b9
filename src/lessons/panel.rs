//! The lesson panel.

use leptos::prelude::*;
use svclab_protocol::{Bilingual, LessonView};

use super::progress::{load_chosen, load_step, save_chosen, save_step};
use crate::engine::EngineLink;
use crate::i18n::{fill, texts, Lang};
use crate::state::{LabState, LeftTab};
use crate::terminal::run_command;

fn pick(lang: Lang, text: &Bilingual) -> String {
    match lang {
        Lang::En => text.en.clone(),
        Lang::Ja => text.ja.clone(),
    }
}

/// The lesson panel: the chosen lesson's current step.
#[component]
pub fn LessonPanel() -> impl IntoView {
    let state = expect_context::<LabState>();
    let link = expect_context::<EngineLink>();
    let lang = expect_context::<RwSignal<Lang>>();
    let layout = expect_context::<RwSignal<crate::layout::Layout>>();
    let t = texts();
    let chosen = RwSignal::new(String::new());
    let step = RwSignal::new(0usize);
    let shown = super::actions::Shown::new();
    // A step's button results belong to that step.
    Effect::new(move |_| {
        chosen.track();
        step.track();
        shown.clear();
    });

    // A lesson link (`#lesson=…&step=…&seed=…`) opens that lesson and step, with its seed.
    let link_target = StoredValue::new(super::parse(
        &window().location().hash().unwrap_or_default(),
    ));
    Effect::new(move |_| {
        let lessons = state.lessons.get();
        let Some(target) = link_target.get_value() else {
            return;
        };
        let Some(lesson) = lessons.iter().find(|l| l.id == target.lesson) else {
            return;
        };
        link_target.set_value(None);
        let n = target.step.min(lesson.steps.len().saturating_sub(1));
        save_chosen(&lesson.id);
        save_step(&lesson.id, n);
        chosen.set(lesson.id.clone());
        step.set(n);
        state.left_tab.set(crate::state::LeftTab::Lesson);
        crate::browser::clear_fragment();
        if let Some(seed) = target.seed.filter(|s| *s != state.seed.get_untracked()) {
            let has_work = !link.saved().journal.is_empty();
            let ok = !has_work
                || window()
                    .confirm_with_message(&fill(t().link_seed_confirm, &[&seed.to_string()]))
                    .unwrap_or(false);
            if ok {
                link.start_over(&state, seed);
            }
        }
    });

    // The first lesson, once the engine has read them; its saved step.
    Effect::new(move |_| {
        let lessons = state.lessons.get();
        if !lessons.iter().any(|l| l.id == chosen.get_untracked()) {
            let saved = load_chosen();
            let open = lessons
                .iter()
                .find(|l| Some(&l.id) == saved.as_ref())
                .or(lessons.first());
            if let Some(open) = open {
                chosen.set(open.id.clone());
                step.set(load_step(&open.id).min(open.steps.len().saturating_sub(1)));
            }
        }
    });
    let lesson = move || -> Option<LessonView> {
        let id = chosen.get();
        state
            .lessons
            .with(|ls| ls.iter().find(|l| l.id == id).cloned())
    };
    let go = move |delta: isize| {
        let Some(l) = lesson() else { return };
        let last = l.steps.len().saturating_sub(1);
        let next = (step.get_untracked() as isize + delta).clamp(0, last as isize) as usize;
        step.set(next);
        save_step(&l.id, next);
    };
    // What the step points at, for the map and terminal to stand out while the lesson is the
    // open tab (not for someone who went on to the files or the inspector).
    Effect::new(move |_| {
        let focus = lesson().and_then(|l| l.steps.get(step.get()).and_then(|s| s.focus.clone()));
        let reading = state.left_tab.get() == LeftTab::Lesson;
        state.focus.set(focus.filter(|_| reading));
    });
    // Alt+→ and Alt+← move between steps from anywhere on the page.
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if !ev.alt_key() {
            return;
        }
        match ev.key().as_str() {
            "ArrowRight" => {
                ev.prevent_default();
                go(1);
            }
            "ArrowLeft" => {
                ev.prevent_default();
                go(-1);
            }
            _ => {}
        }
    });
    on_cleanup(move || handle.remove());

    let checks_met = move || -> Vec<bool> {
        let id = chosen.get();
        let n = step.get();
        state.view.with(|v| {
            v.lessons
                .iter()
                .find(|(l, _)| *l == id)
                .and_then(|(_, steps)| steps.get(n).cloned())
                .unwrap_or_default()
        })
    };

    move || {
        let Some(l) = lesson() else {
            return view! { <p class="lab-muted lab-lesson__empty">{t().no_lessons}</p> }
                .into_any();
        };
        let lang_now = lang.get();
        let n = step.get().min(l.steps.len().saturating_sub(1));
        let Some(s) = l.steps.get(n).cloned() else {
            return view! { <p class="lab-muted">{t().no_lessons}</p> }.into_any();
        };
        let total = l.steps.len();
        let seed = l.seed;
        let wrong_seed = state.seed.get() != seed;
        let lesson_id = l.id.clone();
        let presenter = layout.get().presenter;
        let all_lessons = state.lessons.get();
        let restart = move |_| {
            let ok = window()
                .confirm_with_message(t().restart_lesson_confirm)
                .unwrap_or(false);
            if ok {
                link.start_over(&state, seed);
                step.set(0);
                save_step(&lesson_id, 0);
            }
        };
        let met = checks_met();
        let all_met = !met.is_empty() && met.iter().all(|m| *m);
        view! {
            <div class="lab-lesson" data-testid="lesson" data-focus=s.focus.clone().unwrap_or_default()>
                <div class="lab-lesson__head">
                    <select data-testid="lesson-picker" aria-label=t().lesson
                        prop:value=l.id.clone()
                        on:change=move |ev| {
                            let id = event_target_value(&ev);
                            step.set(load_step(&id));
                            save_chosen(&id);
                            chosen.set(id);
                        }>
                        {all_lessons.iter().map(|x| view! { <option value=x.id.clone()>{pick(lang_now, &x.title)}</option> }).collect_view()}
                    </select>
                    <span class="lab-muted" data-testid="lesson-step">{fill(t().step_of, &[&(n + 1).to_string(), &total.to_string()])}</span>
                    <span class="lab-lesson__nav">
                        <button type="button" data-testid="restart-lesson" on:click=restart>{t().restart_lesson}</button>
                        <button type="button" aria-keyshortcuts="Alt+ArrowLeft" prop:disabled={n == 0} on:click=move |_| go(-1)>{t().previous}</button>
                        <button type="button" aria-keyshortcuts="Alt+ArrowRight" data-testid="lesson-next" prop:disabled={n + 1 >= total} on:click=move |_| go(1)>{t().next}</button>
                    </span>
                </div>
                {wrong_seed.then(|| view! {
                    <p class="lab-lesson__seed">
                        {fill(t().lesson_seed, &[&seed.to_string()])}" "
                        <button type="button" data-testid="use-lesson-seed" on:click=move |_| {
                            link.start_over(&state, seed);
                        }>{fill(t().use_seed, &[&seed.to_string()])}</button>
                    </p>
                })}
                {presenter.then(|| {
                    let url = crate::browser::link_to(&super::fragment(&l.id, n, seed));
                    view! {
                        <label class="lab-lesson__classlink">{t().class_link}" "
                            <input type="text" readonly data-testid="class-link" prop:value=url
                                on:focus=move |ev| { event_target::<web_sys::HtmlInputElement>(&ev).select(); } />
                        </label>
                    }
                })}
                <h3 class=if all_met { "lab-lesson__title lab-lesson__title--done" } else { "lab-lesson__title" }>
                    {if all_met { "✓ " } else { "" }}{pick(lang_now, &s.title)}
                </h3>
                <p class="lab-lesson__text">{pick(lang_now, &s.text)}</p>
                <ol class="lab-lesson__commands">
                    {s.commands.iter().cloned().map(|c| {
                        let typed = c.clone();
                        view! {
                            <li>
                                <pre><code>{c}</code></pre>
                                <button type="button" class="lab-button--primary" data-testid="type-command"
                                    on:click=move |_| {
                                        for line in typed.lines() {
                                            run_command(link, state, line);
                                        }
                                    }>{t().type_it}</button>
                            </li>
                        }
                    }).collect_view()}
                </ol>
                {(!s.actions.is_empty()).then(|| view! { <super::actions::StepActions actions=s.actions.clone() shown=shown /> })}
                {s.look.as_ref().map(|look| view! { <p class="lab-lesson__look">{t().look}" "{pick(lang_now, look)}</p> })}
                <ul class="lab-lesson__checks" aria-label=t().checks>
                    {s.checks.iter().enumerate().map(|(i, c)| {
                        let ok = met.get(i).copied().unwrap_or(false);
                        view! {
                            <li class=if ok { "lab-check lab-check--met" } else { "lab-check" } data-testid="lesson-check"
                                data-met=ok.to_string()>
                                {if ok { "✓ " } else { "○ " }}{pick(lang_now, c)}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </div>
        }
        .into_any()
    }
}
