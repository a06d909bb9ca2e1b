//! Ficha técnica de diagnóstico (seed 001 act. 15, seed 003 §8.6), A4 portrait: the asset,
//! the reported symptoms, the tests of its checklist, findings, parts, warranty, time and the
//! 60-minute rule, the result and the recommendation, the formatting steps when there was a
//! format, and the signatures of who diagnosed and who receives the sheet.

use crate::canvas::{Align, Style, mm};
use crate::layout::{Ctx, field, signature_box, signature_box_height};
use crate::model::{ChecklistLine, DiagnosticSheet, SignerRole};
use crate::table::{BodyFrame, Column, Row, draw_table};

use super::{asset_table_style, flow_paragraph, section};

/// A diagnostic has no correlative of its own: without a number the title carries none (the
/// footer says "Documento sin número" and the id identifies it).
pub(crate) fn title(d: &DiagnosticSheet) -> String {
    if d.meta.number.trim().is_empty() {
        "FICHA TÉCNICA DE DIAGNÓSTICO".to_string()
    } else {
        format!("FICHA TÉCNICA DE DIAGNÓSTICO N° {}", d.meta.number)
    }
}

fn checklist(
    ctx: &mut Ctx<'_>,
    x: f32,
    y: &mut f32,
    w: f32,
    heads: [&str; 3],
    lines: &[ChecklistLine],
) {
    let cols = [
        Column {
            title: heads[0],
            width: w * 0.40,
            align: Align::Left,
        },
        Column {
            title: heads[1],
            width: w * 0.15,
            align: Align::Center,
        },
        Column {
            title: heads[2],
            width: w * 0.45,
            align: Align::Left,
        },
    ];
    let rows: Vec<Row> = lines
        .iter()
        .map(|l| Row::plain(vec![l.item.clone(), l.outcome.clone(), l.note.clone()]))
        .collect();
    let frame = BodyFrame {
        top: ctx.body_top(),
        bottom: ctx.body_bottom(),
    };
    draw_table(
        &mut ctx.sheet,
        frame,
        x,
        y,
        &cols,
        &rows,
        &asset_table_style(),
    );
}

fn text_or_dash(s: &str) -> &str {
    if s.trim().is_empty() { "—" } else { s }
}

pub(crate) fn layout(ctx: &mut Ctx<'_>, d: &DiagnosticSheet) {
    let x = ctx.content_left();
    let w = ctx.content_width();
    let half = w / 2.0;
    let mut y = ctx.body_top();
    let h1 = field(
        ctx,
        x,
        y,
        half - 8.0,
        "Fecha:",
        &d.date.format("%d/%m/%Y").to_string(),
    );
    let h2 = field(ctx, x + half, y, half, "Unidad:", &d.unit);
    y += h1.max(h2);
    if let Some(c) = &d.corrects {
        y += field(ctx, x, y, w, "Corrige:", c);
    }
    if !d.attention.trim().is_empty() {
        y += field(ctx, x, y, w, "Atención:", &d.attention);
    }
    y += mm(2.0);

    section(ctx, x, &mut y, w, "I. DATOS DEL BIEN", 40.0);
    y += field(ctx, x, y, w, "Equipo:", &d.equipment);
    let h1 = field(ctx, x, y, half - 8.0, "Marca:", text_or_dash(&d.brand));
    let h2 = field(ctx, x + half, y, half, "Modelo:", text_or_dash(&d.model));
    y += h1.max(h2);
    let h1 = field(ctx, x, y, half - 8.0, "Serie:", text_or_dash(&d.serial));
    let h2 = field(ctx, x + half, y, half, "Código SBN:", &d.sbn_code);
    y += h1.max(h2);
    y += field(
        ctx,
        x,
        y,
        w,
        "Ubicación / usuario:",
        text_or_dash(&d.location),
    );
    y += mm(3.0);

    section(ctx, x, &mut y, w, "II. SÍNTOMAS REPORTADOS", 20.0);
    flow_paragraph(ctx, x, &mut y, w, &d.symptoms, Style::regular(9.0));
    y += mm(3.0);

    section(ctx, x, &mut y, w, "III. PRUEBAS REALIZADAS", 50.0);
    checklist(
        ctx,
        x,
        &mut y,
        w,
        ["PRUEBA", "RESULTADO", "NOTA"],
        &d.checks,
    );
    y += mm(3.0);

    section(ctx, x, &mut y, w, "IV. HALLAZGOS", 20.0);
    flow_paragraph(ctx, x, &mut y, w, &d.findings, Style::regular(9.0));
    y += mm(2.0);
    let bottom = ctx.body_bottom();
    for (label, value) in [
        ("Repuestos necesarios:", text_or_dash(&d.parts_needed)),
        ("Garantía:", d.warranty.as_str()),
        ("Tiempo:", d.time.as_str()),
        ("Regla de 60 minutos:", d.it_office.as_str()),
    ] {
        ctx.ensure(&mut y, 16.0, bottom);
        y += field(ctx, x, y, w, label, value);
    }
    y += mm(3.0);

    section(ctx, x, &mut y, w, "V. RESULTADO Y RECOMENDACIÓN", 30.0);
    let h1 = field(ctx, x, y, half - 8.0, "Resultado:", &d.result);
    let h2 = field(ctx, x + half, y, half, "Recomendación:", &d.recommendation);
    y += h1.max(h2) + mm(3.0);

    if !d.format_steps.is_empty() {
        section(
            ctx,
            x,
            &mut y,
            w,
            "VI. LISTA DE VERIFICACIÓN DEL FORMATEO",
            50.0,
        );
        checklist(
            ctx,
            x,
            &mut y,
            w,
            ["PASO", "REALIZADO", "DETALLE"],
            &d.format_steps,
        );
        y += mm(3.0);
    }

    let limit = ctx.closing_bottom();
    ctx.ensure(&mut y, mm(6.0) + signature_box_height(), limit);
    y += mm(6.0);
    let box_w = w / 2.0 - mm(6.0);
    signature_box(
        ctx,
        x,
        y,
        box_w,
        "Diagnosticado por",
        Some(&d.technician),
        SignerRole::Technician,
    );
    signature_box(
        ctx,
        x + w - box_w,
        y,
        box_w,
        "Recibe (usuario/a o proveedor)",
        d.receiver.as_ref(),
        SignerRole::Employee,
    );
}
