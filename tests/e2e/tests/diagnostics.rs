//! The diagnostic of an asset through the real app: from the asset's page, the form
//! with the CPU's checklist; an unknown attention N° refused next to it; the core's refusals
//! shown next to the checklist and next to the 60-minute rule's reason; saved as inoperative, the read-only view and its ficha técnica
//! (handwritten signature, PDF generated); back on the asset's page, the operability, the
//! diagnostics list and the history show it; then "Corregir" with its required reason.
//!
//! Runs only under `scripts/e2e.sh` (see `tests/webview.rs`).

use chaski_e2e::{
    Env, choose_in_view as choose, click_in_view as click, draw_signature, fill_in_view as fill,
    first_run_setup, run_scenario, screenshot, type_into, wait_for, wait_text,
};
use fantoccini::Client;
use fantoccini::error::CmdError;
use fantoccini::key::Key;

/// One CPU held by a person.
const INVENTORY: &str = "\
N°;CODIGO_PATRIMONIAL;DENOMINACION_BIEN;MARCA;MODELO;TIPO;COLOR;SERIE;ESTADO_BIEN;NOMBRE_LOCAL;NOMBRE_AREA;NOMBRE_OFICINA;NRO_DOC_IDENT_PERSONAL;APELLIDO_PATERNO;APELLIDO_MATERNO;NOMBRES;OBSERVACION
1;740899500123;UNIDAD CENTRAL DE PROCESO - CPU;DELL;OptiPlex 380;CPU;NEGRO;7XK2L41;R;Sede Wanchaq;Administración;Oficina de Logística;70000001;Mamani;Quispe;Rosa Inés;
";

async fn scenario(c: &Client, env: &Env) -> Result<(), CmdError> {
    first_run_setup(c).await?;

    // The CPU, imported from the unit's inventory.
    let sheet = env.data_root.join("diagnostico-inventario.csv");
    std::fs::write(&sheet, INVENTORY).expect("writing the inventory sheet");
    click(c, "#nav-assets").await?;
    wait_for(c, "[data-screen='assets']").await;
    click(c, "#import-inventory").await?;
    let path = type_into(c, "#import-path", &sheet.to_string_lossy()).await?;
    path.send_keys(&Key::Enter.to_string()).await?;
    wait_text(c, "#import-new", "1").await;
    click(c, "#import-confirm").await?;
    wait_text(c, "#import-summary", "1 bienes nuevos").await;
    click(c, "#nav-assets").await?;
    type_into(c, "#asset-search", "740899500123").await?;
    click(c, "#asset-rows tr[data-code='740899500123'] td.code").await?;
    wait_for(c, "[data-screen='asset']").await;
    wait_text(c, "#asset-operability", "Operativo").await;
    wait_text(c, "#asset-no-diagnostics", "aún no tiene diagnósticos").await;

    // The form, with the CPU's checklist.
    click(c, "#diagnose-asset").await?;
    wait_for(c, "[data-screen='diagnostic-form']").await;
    wait_text(c, "#diagnostic-checks", "POST / arranque del sistema").await;
    wait_text(c, "#diagnostic-warranty", "Sin garantía registrada").await;
    fill(
        c,
        "#diagnostic-symptoms",
        "No enciende desde el lunes; olor a quemado.",
    )
    .await?;
    click(c, "#check-energia-fallido").await?;
    click(c, "#check-estado_fisico-aprobado").await?;
    click(c, "#check-arranque-fallido").await?;
    fill(c, "#check-arranque-note", "Sin POST, sin pitidos.").await?;
    for item in ["memoria", "disco", "sistema_operativo", "puertos", "red"] {
        click(c, &format!("#check-{item}-no_aplica")).await?;
    }
    fill(
        c,
        "#diagnostic-findings",
        "Condensadores inflados en la placa madre; la placa ya no se fabrica.",
    )
    .await?;
    fill(c, "#diagnostic-time-spent-minutes", "95").await?;
    fill(c, "#diagnostic-estimated-minutes", "120").await?;
    wait_text(c, "#diagnostic-it-office-proposal", "más de 60 minutos").await;
    choose(c, "#diagnostic-outcome", "Inoperativo").await?;
    choose(c, "#diagnostic-recommendation", "Proponer la baja").await?;

    // A linked attention N° that does not exist: refused next to it, looked up on save.
    fill(c, "#diagnostic-attention-id", "N° 999-2026").await?;
    click(c, "#diagnostic-save").await?;
    wait_text(
        c,
        "#diagnostic-attention-id-error",
        "No se encontró la atención",
    )
    .await;
    // Emptied by typing (WebDriver's clear() sends no input event): no attention linked.
    fill(c, "#diagnostic-attention-id", " ").await?;

    // A failed test without its note: refused next to the checklist.
    click(c, "#diagnostic-save").await?;
    wait_text(
        c,
        "#diagnostic-checks-error",
        "«Encendido y alimentación eléctrica» falló",
    )
    .await;
    screenshot(env, "diagnostico-01-prueba-sin-nota");
    fill(
        c,
        "#check-energia-note",
        "La fuente entrega voltaje; la placa no arranca.",
    )
    .await?;

    // More than 60 minutes, not moved and no reason: refused next to the reason.
    click(c, "#diagnostic-save").await?;
    wait_text(c, "#diagnostic-stay-reason-error", "oficina de TI").await;
    click(c, "#diagnostic-moved-to-it-office").await?;
    click(c, "#diagnostic-save").await?;

    // Saved: the read-only view and its ficha.
    wait_for(c, "[data-screen='diagnostic']").await;
    wait_text(c, "#diagnostic-view-result", "Inoperativo").await;
    wait_text(c, "#diagnostic-view-recommendation", "Proponer la baja").await;
    wait_text(c, "#diagnostic-view-it-office", "Trasladado").await;
    wait_text(c, "#diagnostic-view-checks", "Sin POST, sin pitidos.").await;
    wait_for(c, "[data-testid='document-panel'][data-kind='diagnostic']").await;
    draw_signature(c, "#doc-pad-technician-canvas", 2.0).await?;
    wait_text(c, "#doc-pad-technician-hint", "Firma registrada.").await;
    click(c, "#doc-generate").await?;
    wait_for(c, "[data-testid='document-version'][data-version='1']").await;
    wait_text(c, "#doc-message", "PDF generado").await;
    screenshot(env, "diagnostico-02-ficha");

    // The asset's page: inoperative, the diagnostic listed, the history entry.
    click(c, "[data-screen='diagnostic'] .back").await?;
    wait_for(c, "[data-screen='asset']").await;
    wait_text(c, "#asset-operability", "Inoperativo").await;
    wait_text(c, "#asset-diagnostics", "Inoperativo · Proponer la baja").await;
    wait_text(c, "#asset-history", "Diagnosticado inoperativo").await;
    screenshot(env, "diagnostico-03-bien-inoperativo");

    // Corregir: the latest diagnostic, prefilled; the reason is required.
    click(c, "#asset-diagnostics li.diagnostic-item button").await?;
    wait_for(c, "[data-screen='diagnostic']").await;
    click(c, "#diagnostic-correct").await?;
    wait_for(c, "[data-screen='diagnostic-form']").await;
    wait_text(c, "#diagnostic-corrects", "Corrige el diagnóstico del").await;
    click(c, "#diagnostic-save").await?;
    wait_text(c, "#diagnostic-correction-reason-error", "corrige").await;
    fill(
        c,
        "#diagnostic-findings",
        "Condensadores inflados y regulador de voltaje quemado en la placa madre.",
    )
    .await?;
    fill(
        c,
        "#diagnostic-correction-reason",
        "Faltaba el regulador de voltaje en los hallazgos.",
    )
    .await?;
    click(c, "#diagnostic-save").await?;
    wait_for(c, "[data-screen='diagnostic']").await;
    wait_text(c, "#diagnostic-corrects-link", "regulador de voltaje").await;
    wait_text(
        c,
        "#diagnostic-view-findings",
        "regulador de voltaje quemado",
    )
    .await;
    // Escalation to a provider from the diagnostic (seed 002 §5), prefilled with its findings.
    click(c, "#diagnostic-provider-escalate").await?;
    fill(c, "#esc-provider", "Servicios Técnicos Andinos S.A.C.").await?;
    click(c, "#esc-save").await?;
    wait_text(
        c,
        "#diagnostic-provider-notice",
        "Escalado a Servicios Técnicos Andinos",
    )
    .await;
    click(c, "[data-screen='diagnostic'] .back").await?;
    wait_for(c, "[data-screen='asset']").await;
    let list = wait_text(c, "#asset-diagnostics", "corregido").await;
    assert!(
        list.contains("corrección"),
        "both diagnostics listed: {list}"
    );
    wait_text(c, "#asset-operability", "Inoperativo").await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diagnose_an_asset_as_inoperative_from_its_page() {
    run_scenario("diagnostico", &[], scenario).await;
}
