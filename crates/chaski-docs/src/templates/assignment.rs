//! Anexo N° 2 "Cargo de asignación de equipos de cómputo" (seed 001), A4 portrait: both
//! asset tables, both signature lines and the copy note.

use crate::canvas::{Align, Style, mm};
use crate::layout::{Ctx, field, signature_box, signature_box_height};
use crate::model::{Assignment, SignerRole};
use crate::table::{BodyFrame, draw_table};

use super::{asset_columns, asset_rows, asset_table_style};

/// Copy note of the seed form.
pub(crate) const DEFAULT_COPY_NOTE: &str = "Se hace entrega de una copia de este documento a el/la servidor/a de la referencia y a Control Patrimonial.";

pub(crate) fn title(a: &Assignment) -> String {
    format!(
        "CARGO DE ASIGNACIÓN DE EQUIPOS DE CÓMPUTO N° {}",
        a.meta.number
    )
}

pub(crate) fn layout(ctx: &mut Ctx<'_>, a: &Assignment) {
    let x = ctx.content_left();
    let w = ctx.content_width();
    let mut y = ctx.body_top();
    y += field(
        ctx,
        x,
        y,
        w * 0.45,
        "Fecha:",
        &a.date.format("%d/%m/%Y").to_string(),
    );
    let servidor = if a.employee.dni.is_empty() {
        a.employee.name.clone()
    } else {
        format!("{}  (DNI {})", a.employee.name, a.employee.dni)
    };
    y += field(ctx, x, y, w, "Servidor/a:", &servidor);
    y += field(ctx, x, y, w, "Órgano/Unidad orgánica:", &a.office);
    y += mm(3.0);

    let frame = BodyFrame {
        top: ctx.body_top(),
        bottom: ctx.body_bottom(),
    };
    let cols = asset_columns(w);
    let style = asset_table_style();
    for (caption, lines) in [
        (
            "Se retira los siguientes bienes del ÓRGANO Y/O UNIDAD ORGÁNICA:",
            &a.retired,
        ),
        (
            "Se asigna los siguientes bienes al ÓRGANO Y/O UNIDAD ORGÁNICA:",
            &a.assigned,
        ),
    ] {
        ctx.ensure(&mut y, 60.0, frame.bottom);
        y += ctx
            .sheet
            .paragraph(x, y, w, caption, Style::bold(9.0), Align::Left)
            + 3.0;
        draw_table(
            &mut ctx.sheet,
            frame,
            x,
            &mut y,
            &cols,
            &asset_rows(lines),
            &style,
        );
        y += mm(5.0);
    }

    let note = a.copy_note.as_deref().unwrap_or(DEFAULT_COPY_NOTE);
    let note_h = 30.0;
    let limit = ctx.closing_bottom();
    ctx.ensure(&mut y, mm(6.0) + signature_box_height() + note_h, limit);
    y += mm(6.0);
    let box_w = w / 2.0 - mm(6.0);
    signature_box(
        ctx,
        x,
        y,
        box_w,
        "Firma del Servidor/a",
        Some(&a.employee),
        SignerRole::Employee,
    );
    let uast = format!("Firma del Servidor/a de la {}", a.support_unit);
    signature_box(
        ctx,
        x + w - box_w,
        y,
        box_w,
        &uast,
        Some(&a.technician),
        SignerRole::Technician,
    );
    y += signature_box_height() + mm(3.0);
    ctx.sheet.paragraph(
        x,
        y,
        w,
        &format!("Nota: {note}"),
        Style::regular(8.0),
        Align::Left,
    );
}
