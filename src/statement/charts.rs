//! The statement's charts, drawn as inline SVG by plotters' SVG backend: a gauge per attainment and
//! the plan year so far as bars. Coordinates are whole numbers (cents, hundredths of a percent), so
//! no float is involved; amounts are rounded to whole cents and percents to hundredths only to place
//! a bar, never to say an amount (the text beside each chart says it exactly). Each chart carries a
//! `<title>` and sits in a figure with a caption and a text equivalent (see the templates).

use super::assemble::YearRow;
use plotters::coord::Shift;
use plotters::prelude::*;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// A drawing error, as text (a chart that cannot be drawn is left out, with this said instead).
pub type ChartError = String;

/// Colours of the page (the template's palette).
const INK: RGBColor = RGBColor(0x1f, 0x29, 0x37);
const PAID: RGBColor = RGBColor(0x1d, 0x4e, 0xd8);
const EARNED: RGBColor = RGBColor(0x93, 0xc5, 0xfd);
const TRACK: RGBColor = RGBColor(0xe5, 0xe7, 0xeb);
const TARGET: RGBColor = RGBColor(0xb9, 0x1c, 0x1c);

/// A decimal in hundredths, as a whole number for a chart's coordinates (saturating).
fn hundredths(d: Decimal) -> i64 {
    d.checked_mul(Decimal::ONE_HUNDRED)
        .map(|d| d.round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero))
        .and_then(|d| d.to_i64())
        .unwrap_or(if d.is_sign_negative() { i64::MIN / 4 } else { i64::MAX / 4 })
}

/// A horizontal gauge of an attainment (in percent), from 0% to 150% or the attainment if higher,
/// with the 100% mark.
pub fn gauge(title: &str, percent: Decimal) -> Result<String, ChartError> {
    let value = hundredths(percent).max(0);
    let top = value.max(15_000).saturating_add(500);
    svg(title, (480, 70), |root| {
        let mut chart = ChartBuilder::on(root)
            .margin(6)
            .margin_left(16)
            .margin_right(24)
            .x_label_area_size(22)
            .build_cartesian_2d(0i64..top, 0i64..10)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .disable_y_axis()
            .disable_mesh()
            .x_labels(7)
            .x_label_formatter(&|x| format!("{}%", x / 100))
            .label_style(("sans-serif", 12).into_font().color(&INK))
            .draw()
            .map_err(|e| e.to_string())?;
        let bars = [
            Rectangle::new([(0, 2), (top, 8)], TRACK.filled()),
            Rectangle::new([(0, 2), (value, 8)], PAID.filled()),
            Rectangle::new([(9_980, 0), (10_020, 10)], TARGET.filled()),
        ];
        chart.draw_series(bars).map_err(|e| e.to_string())?;
        Ok(())
    })
}

/// The plan year so far: what each period earned (light bars) and paid (dark bars), in the plan's
/// currency; the attainments are in the table beside it.
pub fn year(title: &str, rows: &[YearRow]) -> Result<String, ChartError> {
    let n = rows.len() as i64;
    let cents = |d: Decimal| hundredths(d);
    let high = rows.iter().flat_map(|r| [cents(r.paid), cents(r.earned)]).max().unwrap_or(0).max(100);
    let low = rows.iter().flat_map(|r| [cents(r.paid), cents(r.earned)]).min().unwrap_or(0).min(0);
    let (low, high) = (low.saturating_sub(high / 20), high.saturating_add(high / 10));
    let names: Vec<String> = rows.iter().map(|r| r.period.clone()).collect();
    svg(title, (640, 260), |root| {
        // Period i's bars stand around x = 10·i, so that the axis's round ticks fall on them.
        let mut chart = ChartBuilder::on(root)
            .margin(8)
            .x_label_area_size(26)
            .y_label_area_size(80)
            .build_cartesian_2d(-5i64..n.saturating_mul(10).saturating_sub(5), low..high)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(rows.len().max(1))
            .x_label_formatter(&|x| match (x.rem_euclid(10), usize::try_from(x / 10)) {
                (0, Ok(i)) => names.get(i).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .y_label_formatter(&|y| crate::num::grouped(Decimal::new(*y, 2).round_dp(0)))
            .label_style(("sans-serif", 12).into_font().color(&INK))
            .draw()
            .map_err(|e| e.to_string())?;
        let bars = rows.iter().enumerate().flat_map(|(i, r)| {
            let x = i as i64 * 10;
            [
                Rectangle::new([(x - 4, 0), (x, cents(r.earned))], EARNED.filled()),
                Rectangle::new([(x, 0), (x + 4, cents(r.paid))], PAID.filled()),
            ]
        });
        chart.draw_series(bars).map_err(|e| e.to_string())?;
        Ok(())
    })
}

/// The payout curve: what the window pays (the sum of the earnings drawn) against attainment, a
/// line through the points, the 100% mark, and the rep's position as a dot when there is one.
pub fn payout_curve(title: &str, curve: &super::PayoutCurve) -> Result<String, ChartError> {
    let line: Vec<(i64, i64)> = curve.line.iter().map(|(x, y)| (hundredths(*x), hundredths(*y))).collect();
    let own = curve.rep.as_ref().map(|p| (p.percent_cents(), hundredths(p.total)));
    let right = line.iter().chain(own.iter()).map(|p| p.0).max().unwrap_or(0).max(20_000).saturating_add(500);
    let high = line.iter().chain(own.iter()).map(|p| p.1).max().unwrap_or(0).max(100);
    let low = line.iter().chain(own.iter()).map(|p| p.1).min().unwrap_or(0).min(0);
    let (low, high) = (low.saturating_sub(high / 20), high.saturating_add(high / 10));
    svg(title, (640, 300), |root| {
        let mut chart = ChartBuilder::on(root)
            .margin(10)
            .margin_right(20)
            .x_label_area_size(40)
            .y_label_area_size(90)
            .build_cartesian_2d(0i64..right, low..high)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .x_labels(9)
            .x_desc("attainment")
            .y_desc(curve.currency.as_str())
            .light_line_style(TRACK.mix(0.6))
            .x_label_formatter(&|x| format!("{}%", x / 100))
            .y_label_formatter(&|y| crate::num::grouped(Decimal::new(*y, 2).round_dp(0)))
            .label_style(("sans-serif", 12).into_font().color(&INK))
            .draw()
            .map_err(|e| e.to_string())?;
        let mark = [Rectangle::new([(9_980, low), (10_020, high)], TARGET.mix(0.5).filled())];
        chart.draw_series(mark).map_err(|e| e.to_string())?;
        chart
            .draw_series(std::iter::once(PathElement::new(line.clone(), PAID.stroke_width(2))))
            .map_err(|e| e.to_string())?;
        if let Some(at) = own {
            let dot = [Circle::new(at, 6, INK.filled())];
            chart.draw_series(dot).map_err(|e| e.to_string())?;
        }
        Ok(())
    })
}

/// Draws on an SVG surface of `size` and returns the SVG with `title` as its `<title>`.
fn svg(
    title: &str,
    size: (u32, u32),
    draw: impl FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> Result<(), ChartError>,
) -> Result<String, ChartError> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        draw(&root)?;
        root.present().map_err(|e| e.to_string())?;
    }
    // The chart's accessible name: a `<title>` as the SVG's first child, its text escaped.
    let title = title.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let at = out.find('>').map_or(0, |i| i + 1);
    out.insert_str(at, &format!("\n<title>{title}</title>"));
    let out = out.replacen("<svg ", "<svg role=\"img\" ", 1);
    Ok(out)
}
