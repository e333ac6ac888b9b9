//! Drawing the share chart with plotters on two stacked canvases: the axes (redrawn only when
//! the pods or the scale change) and the bars (redrawn when counts change, at most once a
//! frame). Both use the same chart geometry, so the bars sit on the axes.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;
use web_sys::HtmlCanvasElement;

/// One pod's bar.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    /// The label under it.
    pub label: String,
    /// Its share of the answered requests, in percent.
    pub observed: f64,
    /// The share the rules give it, in percent.
    pub expected: Option<f64>,
}

/// What decides the axes: when it is unchanged, the axes are not drawn again.
#[derive(Clone, Debug, PartialEq)]
pub struct Axes {
    /// The pods, in order.
    pub labels: Vec<String>,
    /// The top of the y axis, in percent.
    pub top: f64,
}

const MARGIN: u32 = 8;
const X_LABELS: u32 = 28;
const Y_LABELS: u32 = 44;
const BAR_BLUE: RGBColor = RGBColor(29, 78, 216);
const MARK_ORANGE: RGBColor = RGBColor(245, 158, 11);

/// The y axis top for these bars: the next 10% above every observed or expected share.
pub fn axis_top(bars: &[Bar]) -> f64 {
    let most = bars
        .iter()
        .flat_map(|b| [b.observed, b.expected.unwrap_or(0.0)])
        .fold(0.0_f64, f64::max);
    ((most / 10.0).floor() + 1.0).clamp(1.0, 10.0) * 10.0
}

fn area(canvas: HtmlCanvasElement) -> Option<DrawingArea<CanvasBackend, Shift>> {
    CanvasBackend::with_canvas_object(canvas).map(|b| b.into_drawing_area())
}

type Chart<'a> = ChartContext<
    'a,
    CanvasBackend,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

fn chart<'a>(root: &'a DrawingArea<CanvasBackend, Shift>, axes: &Axes) -> Option<Chart<'a>> {
    let n = axes.labels.len().max(1) as f64;
    ChartBuilder::on(root)
        .margin(MARGIN)
        .x_label_area_size(X_LABELS)
        .y_label_area_size(Y_LABELS)
        .build_cartesian_2d(0.0..n, 0.0..axes.top)
        .ok()
}

/// Draws the axes and grid.
pub fn draw_axes(canvas: HtmlCanvasElement, axes: &Axes, y_desc: &str) {
    let Some(root) = area(canvas) else { return };
    let _ = root.fill(&WHITE);
    let Some(mut chart) = chart(&root, axes) else {
        return;
    };
    let labels = axes.labels.clone();
    let _ = chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(labels.len() * 2 + 1)
        .x_label_formatter(&|x: &f64| {
            // Labels sit at bar centres (i + 0.5); other ticks stay blank.
            let i = x.floor();
            if (x - i - 0.5).abs() < 1e-6 {
                labels.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .y_labels(6)
        .light_line_style(WHITE)
        .y_label_formatter(&|y: &f64| format!("{y:.0}%"))
        .y_desc(y_desc)
        .label_style(("sans-serif", 12))
        .draw();
    let _ = root.present();
}

/// Draws the bars and the rules' markers on a transparent canvas over the axes.
pub fn draw_bars(canvas: HtmlCanvasElement, axes: &Axes, bars: &[Bar]) {
    // Filling with a transparent colour paints nothing: the last frame's bars are cleared.
    if let Some(ctx) = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
    {
        ctx.clear_rect(
            0.0,
            0.0,
            f64::from(canvas.width()),
            f64::from(canvas.height()),
        );
    }
    let Some(root) = area(canvas) else { return };
    let Some(mut chart) = chart(&root, axes) else {
        return;
    };
    let _ = chart.draw_series(bars.iter().enumerate().map(|(i, b)| {
        let x = i as f64;
        Rectangle::new(
            [(x + 0.2, 0.0), (x + 0.8, b.observed.min(axes.top))],
            BAR_BLUE.filled(),
        )
    }));
    let _ = chart.draw_series(bars.iter().enumerate().filter_map(|(i, b)| {
        let e = b.expected?;
        let x = i as f64;
        Some(PathElement::new(
            vec![(x + 0.1, e), (x + 0.9, e)],
            MARK_ORANGE.stroke_width(3),
        ))
    }));
    let _ = root.present();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(observed: f64, expected: Option<f64>) -> Bar {
        Bar {
            label: String::new(),
            observed,
            expected,
        }
    }

    #[test]
    fn the_axis_tops_out_at_the_next_ten_percent() {
        assert_eq!(
            axis_top(&[bar(16.0, Some(16.7)), bar(17.9, Some(16.7))]),
            20.0
        );
        assert_eq!(axis_top(&[bar(50.0, Some(50.0))]), 60.0);
        assert_eq!(axis_top(&[bar(100.0, Some(100.0))]), 100.0);
        assert_eq!(axis_top(&[]), 10.0);
    }
}
