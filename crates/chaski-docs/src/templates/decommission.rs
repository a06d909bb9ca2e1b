//! Informe técnico de baja de bienes (seed 001 act. 19–22), A4 portrait: the unit, the
//! technical justification, the assets with their SBN causal, condition and last diagnostic,
//! the causal legend, and the V° B° chain (who prepares it, the head of the unit).

use crate::canvas::{Align, Style, mm};
use crate::layout::{Ctx, field, signature_box, signature_box_height};
use crate::model::{DecommissionReport, SignerRole};
use crate::table::{BodyFrame, Column, Row, draw_table};

use super::{asset_table_style, flow_paragraph, section};

/// The SBN causals, printed under the table so the letters can be read.
pub(crate) const CAUSAL_LEGEND: &str = "Causales SBN: E Excedencia · O Obsolescencia técnica · M Mantenimiento o reparación onerosa · P Pérdida · H Hurto · B Robo · X Residuos de aparatos eléctricos y electrónicos (RAEE) · Y Chatarra · Z Siniestro · D Destrucción accidental · S Otra causal. Estado del bien: N Nuevo · B Bueno · R Regular · M Malo · X Muy malo.";

pub(crate) fn title(r: &DecommissionReport) -> String {
    format!("INFORME TÉCNICO DE BAJA DE BIENES N° {}", r.meta.number)
}

fn columns(w: f32) -> [Column<'static>; 7] {
    let col = |title, share: f32, align| Column {
        title,
        width: w * share,
        align,
    };
    [
        col("N°", 0.05, Align::Center),
        col("EQUIPO", 0.21, Align::Left),
        col("MARCA / SERIE", 0.14, Align::Left),
        col("CÓDIGO SBN", 0.14, Align::Center),
        col("ESTADO", 0.08, Align::Center),
        col("CAUSAL", 0.15, Align::Left),
        col("DIAGNÓSTICO / OBSERVACIONES", 0.23, Align::Left),
    ]
}

pub(crate) fn layout(ctx: &mut Ctx<'_>, r: &DecommissionReport) {
    let x = ctx.content_left();
    let w = ctx.content_width();
    let mut y = ctx.body_top();
    let half = w / 2.0;
    let h1 = field(
        ctx,
        x,
        y,
        half - 8.0,
        "Fecha:",
        &r.date.format("%d/%m/%Y").to_string(),
    );
    let h2 = field(ctx, x + half, y, half, "Unidad:", &r.unit);
    y += h1.max(h2);
    y += field(
        ctx,
        x,
        y,
        w,
        "Elaborado por:",
        &format!("{} — {}", r.technician.name, r.technician_role),
    );
    if let Some(c) = &r.corrects {
        y += field(ctx, x, y, w, "Corrige:", c);
    }
    y += mm(3.0);

    section(ctx, x, &mut y, w, "I. JUSTIFICACIÓN TÉCNICA", 30.0);
    flow_paragraph(ctx, x, &mut y, w, &r.justification, Style::regular(9.0));
    y += mm(4.0);

    section(
        ctx,
        x,
        &mut y,
        w,
        "II. RELACIÓN DE BIENES PROPUESTOS PARA LA BAJA",
        60.0,
    );
    let rows: Vec<Row> = if r.assets.is_empty() {
        vec![Row::plain(vec![
            String::new(),
            "— Ninguno —".into(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        ])]
    } else {
        r.assets
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let detail = match (a.diagnosis.is_empty(), a.observations.is_empty()) {
                    (false, false) => format!("{}. {}", a.diagnosis, a.observations),
                    (false, true) => a.diagnosis.clone(),
                    (true, _) => a.observations.clone(),
                };
                let brand = if a.serial.is_empty() {
                    a.brand.clone()
                } else {
                    format!("{} / S/N {}", a.brand, a.serial)
                };
                Row::plain(vec![
                    (i + 1).to_string(),
                    a.equipment.clone(),
                    brand,
                    a.sbn_code.clone(),
                    a.condition.clone(),
                    a.cause.clone(),
                    detail,
                ])
            })
            .collect()
    };
    let frame = BodyFrame {
        top: ctx.body_top(),
        bottom: ctx.body_bottom(),
    };
    let mut style = asset_table_style();
    style.header = Style::bold(7.5);
    style.cell = Style::regular(7.5);
    draw_table(&mut ctx.sheet, frame, x, &mut y, &columns(w), &rows, &style);
    y += mm(2.0);
    flow_paragraph(ctx, x, &mut y, w, CAUSAL_LEGEND, Style::regular(7.0));
    y += mm(4.0);

    section(ctx, x, &mut y, w, "III. CONCLUSIÓN", 24.0);
    flow_paragraph(
        ctx,
        x,
        &mut y,
        w,
        &format!(
            "Se propone la baja de {} bien(es) por las causales indicadas, y se remite el presente informe para el trámite de baja ante la Oficina de Administración, conforme a la normativa del Sistema Nacional de Abastecimiento.",
            r.assets.len()
        ),
        Style::regular(9.0),
    );

    let limit = ctx.closing_bottom();
    ctx.ensure(&mut y, mm(8.0) + signature_box_height(), limit);
    y += mm(8.0);
    let box_w = w / 2.0 - mm(6.0);
    signature_box(
        ctx,
        x,
        y,
        box_w,
        &format!("Elaborado por: {}", r.technician_role),
        Some(&r.technician),
        SignerRole::Technician,
    );
    signature_box(
        ctx,
        x + w - box_w,
        y,
        box_w,
        &format!("V° B° {}", r.chief_role),
        Some(&r.chief),
        SignerRole::Approver,
    );
}
