//! Drawing the flights on the canvas, once per animation frame, while any is in the air.
//! Frame times are kept in `window.svclabFrameTimes` for the page benchmark
//! (`e2e/bench/frames.bench.ts`).

use std::cell::RefCell;
use std::rc::Rc;

use svclab_protocol::TrafficView;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CanvasRenderingContext2d, Element, HtmlCanvasElement, HtmlElement};

use super::plan::{plan, position, Anchor, Flight, DOT_LIMIT};

struct Batch {
    /// The source and target the batch was sent with.
    from: String,
    to: String,
    /// Each request's trace, for small batches.
    traces: Vec<svclab_protocol::TraceView>,
    anchors: Vec<Anchor>,
    flights: Vec<Flight>,
    speed: f64,
}

/// Everything in the air, and the loop drawing it.
#[derive(Default)]
pub struct Sky {
    batches: Vec<Batch>,
    canvas: Option<HtmlCanvasElement>,
    body: Option<HtmlElement>,
    running: bool,
    last_frame: Option<f64>,
}

impl Sky {
    /// Adds a batch's flights and starts the loop if it is idle.
    pub fn launch(
        sky: &Rc<RefCell<Sky>>,
        canvas: HtmlCanvasElement,
        body: HtmlElement,
        batch: &TrafficView,
        speed: f64,
    ) {
        let (anchors, flights) = plan(batch, crate::bench_log::now_ms(), speed);
        let start = {
            let mut s = sky.borrow_mut();
            s.canvas = Some(canvas);
            s.body = Some(body);
            s.batches.push(Batch {
                from: batch.from.clone(),
                to: batch.to.clone(),
                traces: batch.traces.clone(),
                anchors,
                flights,
                speed,
            });
            !std::mem::replace(&mut s.running, true)
        };
        if start {
            sky.borrow_mut().last_frame = None;
            run_loop(Rc::clone(sky));
        }
    }

    /// The dot drawn nearest to `(x, y)` (map body coordinates), within a few pixels, if one is
    /// in the air now.
    pub fn hit(&self, x: f64, y: f64) -> Option<Hit> {
        const REACH: f64 = 8.0;
        let body = self.body.as_ref()?;
        let t = crate::bench_log::now_ms();
        let mut best: Option<(f64, Hit)> = None;
        for batch in &self.batches {
            let points: Vec<Option<(f64, f64)>> =
                batch.anchors.iter().map(|a| centre(body, a)).collect();
            for (f, ((dx, dy), _)) in flying(batch, &points, t) {
                let d = ((dx - x).powi(2) + (dy - y).powi(2)).sqrt();
                if d <= REACH && best.as_ref().is_none_or(|(bd, _)| d < *bd) {
                    let hit = match f.trace.and_then(|i| batch.traces.get(i)) {
                        Some(trace) => Hit::Exact(trace.clone()),
                        None => Hit::Like {
                            from: batch.from.clone(),
                            to: batch.to.clone(),
                        },
                    };
                    best = Some((d, hit));
                }
            }
        }
        best.map(|(_, hit)| hit)
    }

    /// Draws one frame; returns whether anything is still in the air.
    fn frame(&mut self, t: f64) -> bool {
        let (Some(canvas), Some(body)) = (self.canvas.clone(), self.body.clone()) else {
            return false;
        };
        if let Some(last) = self.last_frame {
            crate::bench_log::record("svclabFrameTimes", t - last);
        }
        self.last_frame = Some(t);
        let Some(ctx) = context(&canvas) else {
            return false;
        };
        fit(&canvas, &body, &ctx);
        let width = f64::from(body.scroll_width());
        let height = f64::from(body.scroll_height());
        ctx.clear_rect(0.0, 0.0, width, height);
        self.batches.retain(|b| {
            b.flights
                .iter()
                .any(|f| position(f, t, b.speed).is_some() || f.start_ms > t)
        });
        let in_air: usize = self
            .batches
            .iter()
            .map(|b| {
                b.flights
                    .iter()
                    .filter(|f| position(f, t, b.speed).is_some())
                    .count()
            })
            .sum();
        let mut first_dot = None;
        for batch in &self.batches {
            let points: Vec<Option<(f64, f64)>> =
                batch.anchors.iter().map(|a| centre(&body, a)).collect();
            if in_air > DOT_LIMIT {
                draw_flows(&ctx, batch, &points, t);
            } else {
                draw_dots(&ctx, batch, &points, t);
                first_dot = first_dot.or_else(|| dots(batch, &points, t).next().map(|(p, _)| p));
            }
        }
        // Where one dot is, in page coordinates, for a test to click it.
        if let Some((x, y)) = first_dot {
            let r = body.get_bounding_client_rect();
            crate::bench_log::set_point(
                "svclabDot",
                r.left() + x - f64::from(body.scroll_left()),
                r.top() + y - f64::from(body.scroll_top()),
            );
        }
        !self.batches.is_empty()
    }
}

/// The frame callback, kept where it can schedule itself again.
type FrameSlot = Rc<RefCell<Option<Closure<dyn FnMut(f64)>>>>;

fn run_loop(sky: Rc<RefCell<Sky>>) {
    let slot: FrameSlot = Rc::new(RefCell::new(None));
    let again = Rc::clone(&slot);
    *slot.borrow_mut() = Some(Closure::new(move |t: f64| {
        let more = sky.borrow_mut().frame(t);
        if more {
            if let Some(cb) = again.borrow().as_ref() {
                request_frame(cb);
            }
        } else {
            let mut s = sky.borrow_mut();
            s.running = false;
            if let (Some(canvas), Some(body)) = (s.canvas.clone(), s.body.clone()) {
                if let Some(ctx) = context(&canvas) {
                    ctx.clear_rect(
                        0.0,
                        0.0,
                        f64::from(body.scroll_width()),
                        f64::from(body.scroll_height()),
                    );
                }
            }
            // Drop the closure (and this loop) once nothing flies.
            again.borrow_mut().take();
        }
    }));
    let first = slot.borrow();
    if let Some(cb) = first.as_ref() {
        request_frame(cb);
    }
}

fn request_frame(cb: &Closure<dyn FnMut(f64)>) {
    if let Some(w) = web_sys::window() {
        let _ = w.request_animation_frame(cb.as_ref().unchecked_ref());
    }
}

fn context(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas.get_context("2d").ok()??.dyn_into().ok()
}

/// Sizes the canvas to the map's scrolled content, at the screen's pixel density.
fn fit(canvas: &HtmlCanvasElement, body: &HtmlElement, ctx: &CanvasRenderingContext2d) {
    let dpr = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
    let (w, h) = (body.scroll_width(), body.scroll_height());
    let (pw, ph) = ((f64::from(w) * dpr) as u32, (f64::from(h) * dpr) as u32);
    if canvas.width() != pw || canvas.height() != ph {
        canvas.set_width(pw);
        canvas.set_height(ph);
        let style = canvas.style();
        let _ = style.set_property("width", &format!("{w}px"));
        let _ = style.set_property("height", &format!("{h}px"));
    }
    let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
}

/// The centre of an anchor's element, in the map body's scrolled coordinates.
fn centre(body: &HtmlElement, anchor: &Anchor) -> Option<(f64, f64)> {
    let selector = match anchor {
        Anchor::Host => "[data-testid=host]".to_owned(),
        Anchor::Alb => "[data-testid=alb]".to_owned(),
        Anchor::Node(node) => format!("[data-node=\"{node}\"] [data-testid=kube-proxy]"),
        Anchor::Pod(pod) => format!("[data-pod=\"{}\"]", pod.rsplit('/').next().unwrap_or(pod)),
    };
    let el: Element = body.query_selector(&selector).ok()??;
    let r = el.get_bounding_client_rect();
    let b = body.get_bounding_client_rect();
    Some((
        r.left() + r.width() / 2.0 - b.left() + f64::from(body.scroll_left()),
        r.top() + r.height() / 2.0 - b.top() + f64::from(body.scroll_top()),
    ))
}

fn lerp(a: (f64, f64), b: (f64, f64), k: f64) -> (f64, f64) {
    (a.0 + (b.0 - a.0) * k, a.1 + (b.1 - a.1) * k)
}

/// Each flight in the air with its dot: where it is (map body coordinates) and whether its
/// request failed.
fn flying<'a>(
    batch: &'a Batch,
    points: &'a [Option<(f64, f64)>],
    t: f64,
) -> impl Iterator<Item = (&'a Flight, ((f64, f64), bool))> + 'a {
    batch.flights.iter().filter_map(move |f| {
        let (leg, k) = position(f, t, batch.speed)?;
        let a = (*points.get(*f.legs.get(leg)?)?)?;
        let b = (*points.get(*f.legs.get(leg + 1)?)?)?;
        Some((f, (lerp(a, b, k), f.failed)))
    })
}

/// Each dot in the air.
fn dots<'a>(
    batch: &'a Batch,
    points: &'a [Option<(f64, f64)>],
    t: f64,
) -> impl Iterator<Item = ((f64, f64), bool)> + 'a {
    flying(batch, points, t).map(|(_, dot)| dot)
}

/// What a click on a dot found.
pub enum Hit {
    /// The request's own trace (small batches carry them).
    Exact(svclab_protocol::TraceView),
    /// A request of a large batch: its source and target, to trace one like it.
    Like {
        /// The source.
        from: String,
        /// The target.
        to: String,
    },
}

fn draw_dots(ctx: &CanvasRenderingContext2d, batch: &Batch, points: &[Option<(f64, f64)>], t: f64) {
    for (colour, failed) in [("#1d4ed8", false), ("#b91c1c", true)] {
        ctx.set_fill_style_str(colour);
        ctx.begin_path();
        for ((x, y), _) in dots(batch, points, t).filter(|(_, f)| *f == failed) {
            ctx.move_to(x + 4.0, y);
            let _ = ctx.arc(x, y, 4.0, 0.0, std::f64::consts::TAU);
        }
        ctx.fill();
    }
}

fn draw_flows(
    ctx: &CanvasRenderingContext2d,
    batch: &Batch,
    points: &[Option<(f64, f64)>],
    t: f64,
) {
    // Flights per leg (from anchor, to anchor) in the air now.
    let mut legs: Vec<((usize, usize), usize)> = Vec::new();
    for f in &batch.flights {
        let Some((leg, _)) = position(f, t, batch.speed) else {
            continue;
        };
        let key = (f.legs[leg], f.legs[leg + 1]);
        match legs.iter_mut().find(|(k, _)| *k == key) {
            Some((_, n)) => *n += 1,
            None => legs.push((key, 1)),
        }
    }
    let most = legs.iter().map(|(_, n)| *n).max().unwrap_or(1) as f64;
    ctx.set_stroke_style_str("rgba(29, 78, 216, 0.55)");
    ctx.set_line_cap("round");
    // Moving dashes show the direction of the flow.
    let _ = ctx.set_line_dash(&JsValue::from(web_sys::js_sys::Array::of2(
        &12.0.into(),
        &8.0.into(),
    )));
    ctx.set_line_dash_offset(-(t / 20.0) % 20.0);
    for ((from, to), n) in legs {
        let (Some(Some(a)), Some(Some(b))) = (points.get(from), points.get(to)) else {
            continue;
        };
        ctx.set_line_width(2.0 + 10.0 * n as f64 / most);
        ctx.begin_path();
        ctx.move_to(a.0, a.1);
        ctx.line_to(b.0, b.1);
        ctx.stroke();
    }
    let _ = ctx.set_line_dash(&JsValue::from(web_sys::js_sys::Array::new()));
}
