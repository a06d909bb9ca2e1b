//! Anexo N° 01 "Formato de registro de atención de mesa de ayuda" (seed 003), A4 landscape:
//! every column of the form, the estado legend and the two V° B° boxes.

use crate::canvas::{Align, Style, mm, rgb};
use crate::layout::{Ctx, field, fit_text, signature_box, signature_box_height};
use crate::model::{AttentionRegister, AttentionStatus, SignerRole};
use crate::table::{BodyFrame, Column, Row, TableStyle, draw_table};

use super::HEADER_GREY;

/// Title printed in the header band.
pub(crate) const TITLE: &str = "FORMATO DE REGISTRO DE ATENCIÓN DE MESA DE AYUDA";

fn status_fill(s: AttentionStatus) -> [u8; 3] {
    match s {
        AttentionStatus::Attended => rgb(198, 239, 206),
        AttentionStatus::Pending => rgb(255, 199, 206),
        AttentionStatus::InProgress => rgb(255, 235, 156),
    }
}

pub(crate) fn layout(ctx: &mut Ctx<'_>, reg: &AttentionRegister) {
    let x = ctx.content_left();
    let w = ctx.content_width();
    let mut y = ctx.body_top();
    let third = w / 3.0;
    let h1 = field(ctx, x, y, third - 10.0, "Entidad:", &reg.entity_name);
    let h2 = field(ctx, x + third, y, third - 10.0, "Unidad:", &reg.unit);
    let period = format!(
        "del {} al {}",
        reg.period_from.format("%d/%m/%Y"),
        reg.period_to.format("%d/%m/%Y")
    );
    let h3 = field(ctx, x + 2.0 * third, y, third, "Periodo:", &period);
    y += h1.max(h2).max(h3) + 4.0;

    let fixed = [22.0, 50.0, 58.0, 92.0, 76.0, 140.0, 140.0, 72.0, 54.0];
    let scale = (w * 0.87) / fixed.iter().sum::<f32>();
    let widths: Vec<f32> = fixed.iter().map(|v| v * scale).collect();
    let last = w - widths.iter().sum::<f32>();
    let titles = [
        "N°",
        "FECHA",
        "SEDE",
        "USUARIA/O AFECTADA/O O SOLICITANTE",
        "ÁREA U OFICINA",
        "DESCRIPCIÓN DEL PROBLEMA O REQUERIMIENTO",
        "DESCRIPCIÓN DE LA SOLUCIÓN",
        "TIPOLOGÍA",
        "ESTADO",
    ];
    let aligns = [
        Align::Center,
        Align::Center,
        Align::Left,
        Align::Left,
        Align::Left,
        Align::Left,
        Align::Left,
        Align::Left,
        Align::Center,
    ];
    let mut cols: Vec<Column<'_>> = titles
        .iter()
        .zip(widths.iter())
        .zip(aligns.iter())
        .map(|((t, w), a)| Column {
            title: t,
            width: *w,
            align: *a,
        })
        .collect();
    cols.push(Column {
        title: "PERSONAL DE SOPORTE ASIGNADO",
        width: last,
        align: Align::Left,
    });
    let rows: Vec<Row> = reg
        .rows
        .iter()
        .map(|r| {
            let mut fills = vec![None; 10];
            fills[8] = Some(status_fill(r.status));
            Row {
                cells: vec![
                    r.number.to_string(),
                    r.date.format("%d/%m/%Y").to_string(),
                    r.site.clone(),
                    r.requester.clone(),
                    r.office.clone(),
                    r.problem.clone(),
                    r.solution.clone(),
                    r.typology.clone(),
                    r.status.label().to_string(),
                    r.technician.clone(),
                ],
                fills,
            }
        })
        .collect();
    let rows = if rows.is_empty() {
        vec![Row::plain(vec![
            String::new(),
            String::new(),
            String::new(),
            "Sin atenciones registradas en el periodo.".to_string(),
        ])]
    } else {
        rows
    };
    let style = TableStyle {
        header: Style::bold(7.0),
        cell: Style::regular(7.5),
        header_fill: HEADER_GREY,
        pad: 2.5,
        line: 0.5,
    };
    let frame = BodyFrame {
        top: ctx.body_top(),
        bottom: ctx.body_bottom(),
    };
    draw_table(&mut ctx.sheet, frame, x, &mut y, &cols, &rows, &style);
    y += mm(5.0);

    // Closing block: legend on the left, the two V° B° boxes on the right.
    let legend_h: f32 = 68.0;
    let closing_h = legend_h.max(signature_box_height()) + 4.0;
    let limit = ctx.closing_bottom();
    ctx.ensure(&mut y, closing_h, limit);
    legend(ctx, x, y, w * 0.42);
    let box_w = w * 0.26;
    let bx = x + w - 2.0 * box_w;
    ctx.sheet
        .stroke_rect(bx, y, box_w, signature_box_height(), 0.5);
    ctx.sheet
        .stroke_rect(bx + box_w, y, box_w, signature_box_height(), 0.5);
    signature_box(
        ctx,
        bx,
        y + 2.0,
        box_w,
        "V° B° Especialista TIC / Especialista informático",
        reg.specialist.as_ref(),
        SignerRole::Technician,
    );
    signature_box(
        ctx,
        bx + box_w,
        y + 2.0,
        box_w,
        "V° B° Jefa/e de Unidad / Jefa/e de UT",
        reg.chief.as_ref(),
        SignerRole::Approver,
    );
}

fn legend(ctx: &mut Ctx<'_>, x: f32, y: f32, w: f32) {
    let page = ctx.sheet.current_page();
    let sheet = &mut ctx.sheet;
    sheet.text_on(page, x, y + 8.0, "Leyenda:", Style::bold(9.0));
    let ty = y + 13.0;
    let col_w = w / 2.0;
    let head_h = 14.0;
    sheet.fill_rect(x, ty, w, head_h, HEADER_GREY);
    sheet.stroke_rect(x, ty, col_w, head_h, 0.5);
    sheet.stroke_rect(x + col_w, ty, col_w, head_h, 0.5);
    fit_text(
        sheet,
        page,
        x,
        ty,
        col_w,
        head_h,
        "TIPOLOGÍA",
        Style::bold(8.0),
        Align::Center,
    );
    fit_text(
        sheet,
        page,
        x + col_w,
        ty,
        col_w,
        head_h,
        "ESTADO",
        Style::bold(8.0),
        Align::Center,
    );
    let by = ty + head_h;
    let body_h = 40.0;
    sheet.stroke_rect(x, by, col_w, body_h, 0.5);
    sheet.stroke_rect(x + col_w, by, col_w, body_h, 0.5);
    fit_text(
        sheet,
        page,
        x + 4.0,
        by + 2.0,
        col_w - 8.0,
        body_h - 4.0,
        "De acuerdo al cuadro de catálogo de servicios de mesa de ayuda, columna TIPO",
        Style::regular(7.5),
        Align::Center,
    );
    let row_h = body_h / 3.0;
    for (i, status) in [
        AttentionStatus::Attended,
        AttentionStatus::Pending,
        AttentionStatus::InProgress,
    ]
    .into_iter()
    .enumerate()
    {
        let ry = by + i as f32 * row_h;
        sheet.fill_rect(
            x + col_w + 6.0,
            ry + 3.0,
            16.0,
            row_h - 6.0,
            status_fill(status),
        );
        sheet.stroke_rect(x + col_w + 6.0, ry + 3.0, 16.0, row_h - 6.0, 0.4);
        fit_text(
            sheet,
            page,
            x + col_w + 28.0,
            ry,
            col_w - 32.0,
            row_h,
            status.label(),
            Style::regular(8.0),
            Align::Left,
        );
    }
}
