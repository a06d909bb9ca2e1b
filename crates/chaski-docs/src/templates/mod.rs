//! The forms, one module each, following the seed documents field by field.

pub(crate) mod assignment;
pub(crate) mod decommission;
pub(crate) mod diagnostic;
pub(crate) mod register;
pub(crate) mod transfer;

use crate::canvas::{Align, Style, rgb};
use crate::layout::Ctx;
use crate::table::TableStyle;

/// Gold header fill of the asset tables (seed 001, `#FFD700`).
pub(crate) const GOLD: [u8; 3] = rgb(255, 215, 0);
/// Grey header fill of the register.
pub(crate) const HEADER_GREY: [u8; 3] = rgb(217, 217, 217);

pub(crate) fn asset_table_style() -> TableStyle {
    TableStyle {
        header: Style::bold(8.5),
        cell: Style::regular(8.5),
        header_fill: GOLD,
        pad: 3.0,
        line: 0.6,
    }
}

/// The four columns of the asset tables (30 / 15 / 15 / 40 % as in seed 001).
pub(crate) fn asset_columns(width: f32) -> [crate::table::Column<'static>; 4] {
    use crate::table::Column;
    [
        Column {
            title: "EQUIPO",
            width: width * 0.30,
            align: Align::Left,
        },
        Column {
            title: "MARCA",
            width: width * 0.15,
            align: Align::Left,
        },
        Column {
            title: "CÓDIGO SBN",
            width: width * 0.15,
            align: Align::Center,
        },
        Column {
            title: "OBSERVACIONES",
            width: width * 0.40,
            align: Align::Left,
        },
    ]
}

pub(crate) fn asset_rows(lines: &[crate::model::AssetLine]) -> Vec<crate::table::Row> {
    use crate::table::Row;
    if lines.is_empty() {
        return vec![Row::plain(vec![
            "— Ninguno —".to_string(),
            String::new(),
            String::new(),
            String::new(),
        ])];
    }
    lines
        .iter()
        .map(|l| {
            Row::plain(vec![
                l.equipment.clone(),
                l.brand.clone(),
                l.sbn_code.clone(),
                l.observations.clone(),
            ])
        })
        .collect()
}

/// A paragraph that flows onto the next page when it does not fit (long justifications and
/// findings), starting at `*y` and leaving `*y` under it.
pub(crate) fn flow_paragraph(
    ctx: &mut Ctx<'_>,
    x: f32,
    y: &mut f32,
    w: f32,
    s: &str,
    style: Style,
) {
    let clean = crate::text::sanitize(s);
    let bottom = ctx.body_bottom();
    for line in crate::text::wrap(&clean, style.weight, style.size, w) {
        ctx.ensure(y, style.line_height(), bottom);
        let page = ctx.sheet.current_page();
        *y += ctx
            .sheet
            .lines_on(page, x, *y, w, &[line], style, Align::Left);
    }
}

/// A numbered section title ("I. Justificación técnica"), kept with at least `keep` points
/// of what follows.
pub(crate) fn section(ctx: &mut Ctx<'_>, x: f32, y: &mut f32, w: f32, title: &str, keep: f32) {
    let st = Style::bold(9.5);
    ctx.ensure(y, st.line_height() + keep, ctx.body_bottom());
    *y += ctx.sheet.paragraph(x, *y, w, title, st, Align::Left) + 3.0;
}
