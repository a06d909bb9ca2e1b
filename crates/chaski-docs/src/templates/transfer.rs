//! Formato de traslado de equipos entre sedes (seed 001, activity 10), A4 portrait.

use crate::canvas::{Align, Style, mm};
use crate::layout::{Ctx, field, signature_box, signature_box_height};
use crate::model::{PersonRef, SignerRole, Transfer};
use crate::table::{BodyFrame, draw_table};

use super::{asset_columns, asset_rows, asset_table_style};

pub(crate) fn title(t: &Transfer) -> String {
    format!("FORMATO DE TRASLADO DE EQUIPOS N° {}", t.meta.number)
}

pub(crate) fn layout(ctx: &mut Ctx<'_>, t: &Transfer) {
    let x = ctx.content_left();
    let w = ctx.content_width();
    let mut y = ctx.body_top();
    y += field(
        ctx,
        x,
        y,
        w * 0.45,
        "Fecha:",
        &t.date.format("%d/%m/%Y").to_string(),
    );
    let half = w / 2.0;
    let h1 = field(ctx, x, y, half - 8.0, "Sede de origen:", &t.origin_site);
    let h2 = field(
        ctx,
        x + half,
        y,
        half,
        "Sede de destino:",
        &t.destination_site,
    );
    y += h1.max(h2);
    y += field(ctx, x, y, w, "Motivo del traslado:", &t.reason);
    y += mm(3.0);
    let frame = BodyFrame {
        top: ctx.body_top(),
        bottom: ctx.body_bottom(),
    };
    y += ctx.sheet.paragraph(
        x,
        y,
        w,
        "Se trasladan los siguientes bienes:",
        Style::bold(9.0),
        Align::Left,
    ) + 3.0;
    draw_table(
        &mut ctx.sheet,
        frame,
        x,
        &mut y,
        &asset_columns(w),
        &asset_rows(&t.assets),
        &asset_table_style(),
    );
    y += mm(6.0);

    let limit = ctx.closing_bottom();
    ctx.ensure(&mut y, signature_box_height() + 30.0, limit);
    let box_w = w / 2.0 - mm(6.0);
    let deliver = PersonRef {
        name: t.delivered_by.name.clone(),
        dni: t.delivered_by.dni.clone(),
    };
    let receive = PersonRef {
        name: t.received_by.name.clone(),
        dni: t.received_by.dni.clone(),
    };
    signature_box(
        ctx,
        x,
        y,
        box_w,
        &format!("Entrega: {}", t.delivered_by_office),
        Some(&deliver),
        SignerRole::Technician,
    );
    signature_box(
        ctx,
        x + w - box_w,
        y,
        box_w,
        &format!("Recibe: {}", t.received_by_office),
        Some(&receive),
        SignerRole::Employee,
    );
    y += signature_box_height() + mm(3.0);
    ctx.sheet.paragraph(
        x,
        y,
        w,
        "Nota: Se hace entrega de una copia de este documento a las sedes de origen y destino y a Control Patrimonial.",
        Style::regular(8.0),
        Align::Left,
    );
}
