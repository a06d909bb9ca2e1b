//! Issue 6 through the real app: a CPU imported into the warehouse is diagnosed *inoperativo*
//! on the diagnostic form, its baja is proposed in an informe técnico de baja (causal M, which
//! the core only accepts with an inoperative last diagnostic), the informe is issued (N°),
//! signed by hand on both pads, printed and signed digitally ("Firmar digitalmente"), its
//! signatures are recorded (firmado), and the asset's page shows Operatividad "Inoperativo" and
//! the history "Diagnosticado inoperativo" and "Baja propuesta". The printed file is checked
//! with qpdf, pdftotext and pdfsig.
//!
//! Runs only under `scripts/e2e.sh` (`CHASKI_E2E_TEST=operations` runs this scenario alone).

#[path = "../../../crates/chaski-docs/tests/docs/tools.rs"]
#[allow(dead_code)]
mod tools;

#[path = "../../../crates/chaski-docs/tests/docs/pki.rs"]
#[allow(dead_code)]
mod pki;

use std::path::PathBuf;

use chaski_e2e::{
    Env, choose_in_view, click_in_view, draw_signature, fill_in_view, first_run_setup,
    run_scenario, screenshot, type_into, wait_for, wait_text,
};
use fantoccini::error::CmdError;
use fantoccini::key::Key;
use fantoccini::{Client, Locator};

const CODE: &str = "740899500123";

/// One CPU in the warehouse (no custodian), SBN layout.
const INVENTORY: &str = "\
N°;CODIGO_PATRIMONIAL;DENOMINACION_BIEN;MARCA;MODELO;TIPO;COLOR;SERIE;ESTADO_BIEN;NOMBRE_LOCAL;NOMBRE_AREA;NOMBRE_OFICINA;NRO_DOC_IDENT_PERSONAL;APELLIDO_PATERNO;APELLIDO_MATERNO;NOMBRES;OBSERVACION
1;740899500123;UNIDAD CENTRAL DE PROCESO - CPU;DELL;OptiPlex 380;CPU;NEGRO;7XK2L41;M;Sede Wanchaq;;;;;;;En almacén
";

async fn open_asset(c: &Client) -> Result<(), CmdError> {
    wait_for(c, "#nav-assets").await.click().await?;
    wait_for(c, "[data-screen='assets']").await;
    type_into(c, "#asset-search", CODE).await?;
    wait_text(c, "#asset-rows", CODE).await;
    wait_for(c, &format!("#asset-rows tr[data-code='{CODE}'] td.code"))
        .await
        .click()
        .await?;
    wait_for(c, "[data-screen='asset']").await;
    wait_text(c, "#asset-code", CODE).await;
    Ok(())
}

/// Records an inoperative diagnostic of the CPU on the diagnostic form, from its page: every
/// test passed except power, which failed with a note; result Inoperativo, recommendation
/// "Proponer la baja".
async fn diagnose_inoperative(c: &Client, env: &Env) -> Result<(), CmdError> {
    open_asset(c).await?;
    wait_for(c, "#diagnose-asset").await.click().await?;
    wait_for(c, "#diagnostic-checks tr[data-item]").await;
    type_into(
        c,
        "#diagnostic-symptoms",
        "No enciende; olor a quemado antes del apagado.",
    )
    .await?;
    let rows = c
        .find_all(Locator::Css("#diagnostic-checks tr[data-item]"))
        .await?;
    for row in rows {
        let item = row.attr("data-item").await?.unwrap_or_default();
        let outcome = if item == "energia" {
            "fallido"
        } else {
            "aprobado"
        };
        click_in_view(c, &format!("#check-{item}-{outcome}")).await?;
    }
    fill_in_view(
        c,
        "#check-energia-note",
        "Sin respuesta al pulsar el botón de encendido.",
    )
    .await?;
    fill_in_view(
        c,
        "#diagnostic-findings",
        "Placa madre con condensadores inflados",
    )
    .await?;
    fill_in_view(c, "#diagnostic-time-spent-minutes", "40").await?;
    fill_in_view(c, "#diagnostic-estimated-minutes", "30").await?;
    choose_in_view(c, "#diagnostic-outcome", "Inoperativo").await?;
    choose_in_view(c, "#diagnostic-recommendation", "Proponer la baja").await?;
    screenshot(env, "operaciones-00-diagnostico");
    click_in_view(c, "#diagnostic-save").await?;
    wait_for(c, "[data-screen='diagnostic']").await;
    Ok(())
}

async fn scenario(c: &Client, env: &Env) -> Result<(), CmdError> {
    let pki = pki::Pki::new();
    first_run_setup(c).await?;

    // 1. The CPU enters the register through the inventory import (warehouse, no custodian).
    let sheet = env.data_root.join("almacen.csv");
    std::fs::write(&sheet, INVENTORY).expect("writing the inventory sheet");
    wait_for(c, "#nav-assets").await.click().await?;
    wait_for(c, "#import-inventory").await.click().await?;
    let path = type_into(c, "#import-path", &sheet.to_string_lossy()).await?;
    path.send_keys(&Key::Enter.to_string()).await?;
    wait_text(c, "#import-new", "1").await;
    wait_for(c, "#import-confirm").await.click().await?;
    wait_text(c, "#import-summary", "1 bien").await;

    // 2. Diagnosed inoperativo.
    diagnose_inoperative(c, env).await?;
    open_asset(c).await?;
    wait_text(c, "#asset-operability", "Inoperativo").await;
    wait_text(c, "#asset-history", "Diagnosticado inoperativo").await;

    // 3. Bajas y almacén (Alt+6): the CPU is in the warehouse review's stock, inoperative.
    wait_for(c, "#nav-decommission").await.click().await?;
    wait_for(c, "[data-screen='decommissions']").await;
    wait_for(c, "#baja-tab-warehouse").await.click().await?;
    let stock = wait_text(c, "#warehouse-stock", CODE).await;
    assert!(stock.contains("Inoperativo ("), "{stock}");
    screenshot(env, "operaciones-01-almacen");

    // 4. A new informe de baja: the CPU with causal M, justification, head of the unit.
    wait_for(c, "#baja-tab-reports").await.click().await?;
    wait_for(c, "#baja-new").await.click().await?;
    wait_for(c, "[data-screen='decommission']").await;
    type_into(c, "#baja-items-add", CODE).await?;
    wait_for(
        c,
        &format!("#baja-items-add-results button[data-code='{CODE}']"),
    )
    .await
    .click()
    .await?;
    wait_text(c, "#baja-items-table", CODE).await;
    // Its last diagnostic is shown as soon as it is added.
    wait_text(c, "#baja-items-table", "Inoperativo (").await;
    // An inoperative asset comes with causal M.
    let cause = wait_for(c, &format!("#baja-cause-{CODE}")).await;
    assert_eq!(cause.prop("value").await?.as_deref(), Some("M"));
    type_into(
        c,
        "#baja-justification",
        "La placa madre tiene condensadores inflados; su reparación supera el 50 % del valor de un equipo nuevo.",
    )
    .await?;
    // Issuing without the head of the unit is refused next to the field.
    wait_for(c, "#doc-issue").await.click().await?;
    wait_text(c, "#baja-chief-name-error", "Jefe de la unidad").await;
    // The draft was saved: its row keeps the diagnostic the store copied into it.
    wait_text(c, "#baja-items-table", "Inoperativo (").await;
    type_into(c, "#baja-chief-name", "Rosa Elvira Huamaní Quispe").await?;
    type_into(c, "#baja-chief-position", "Jefa de la Unidad Territorial").await?;
    wait_for(c, "#doc-issue").await.click().await?;
    wait_text(c, "#doc-status", "Emitido").await;
    let number = wait_text(c, "#doc-number", "N° 001-").await;
    screenshot(env, "operaciones-02-informe-emitido");

    // 5. Both handwritten signatures, the PDF, and a digital signature.
    wait_for(
        c,
        "[data-testid='document-panel'][data-kind='decommission']",
    )
    .await;
    draw_signature(c, "#doc-pad-technician-canvas", 0.0).await?;
    wait_text(c, "#doc-pad-technician-hint", "Firma registrada.").await;
    draw_signature(c, "#doc-pad-approver-canvas", 6.0).await?;
    wait_text(c, "#doc-pad-approver-hint", "Firma registrada.").await;
    wait_for(c, "#doc-generate").await.click().await?;
    wait_for(c, "[data-testid='document-version'][data-version='1']").await;
    wait_text(c, "#doc-message", "PDF generado").await;
    wait_for(
        c,
        "[data-testid='document-version'][data-version='1'] .doc-sign",
    )
    .await
    .click()
    .await?;
    wait_for(c, "[data-testid='sign-dialog']").await;
    let field = type_into(
        c,
        "#sign-pfx",
        &pki.path("signer.pfx").display().to_string(),
    )
    .await?;
    field.send_keys(&Key::Tab.to_string()).await?;
    type_into(c, "#sign-password", pki::PASSWORD).await?;
    wait_for(c, "#sign-reason")
        .await
        .select_by_label("Soy el autor del documento")
        .await?;
    wait_for(c, "#sign-submit").await.click().await?;
    wait_for(
        c,
        "[data-testid='document-version'][data-version='2'][data-signatures='1']",
    )
    .await;
    wait_for(
        c,
        "[data-testid='document-version'][data-version='2'] .doc-print",
    )
    .await
    .click()
    .await?;
    let file = PathBuf::from(wait_text(c, "#doc-file-path", "-v2-").await.trim());
    tools::qpdf_check(&file);
    let text = tools::pdftotext(&file);
    for needle in [
        "INFORME TÉCNICO DE BAJA DE BIENES",
        CODE,
        "M – Mantenimiento o",
        "Inoperativo (",
        "Rosa Elvira Huamaní Quispe",
        "Firmado digitalmente por:",
    ] {
        assert!(text.contains(needle), "pdftotext lacks {needle:?}:\n{text}");
    }
    let sig = tools::pdfsig(&file, &pki.nss_db());
    assert!(sig.contains("Signature is Valid"), "{sig}");
    screenshot(env, "operaciones-03-informe-pdf-firmado");

    // 6. The signatures recorded: firmado.
    wait_for(c, "#doc-sign").await.click().await?;
    wait_text(c, "#doc-status", "Firmado").await;
    screenshot(env, "operaciones-04-informe-firmado");

    // 7. The list shows it signed; the asset's history shows both events.
    wait_for(c, "#nav-decommission").await.click().await?;
    let list = wait_text(c, "#baja-list", number.trim()).await;
    assert!(list.contains("Firmado") && list.contains(CODE), "{list}");
    open_asset(c).await?;
    wait_text(c, "#asset-operability", "Inoperativo").await;
    let history = wait_text(c, "#asset-history", "Baja propuesta").await;
    assert!(
        history.contains("Diagnosticado inoperativo") && history.contains(number.trim()),
        "the history shows the diagnostic and the informe {number}: {history}"
    );
    screenshot(env, "operaciones-05-historial");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diagnose_propose_baja_sign_and_see_the_history() {
    run_scenario("operaciones", &[], scenario).await;
}
