//! The asset register through the real app: the unit's inventory sheet imported from
//! a path typed in the import screen (preview, then confirmation), a cargo for one warehouse
//! asset issued to a person the import registered, the double assignment refused next to the
//! table, both handwritten signatures drawn on the cargo's PDF panel and the PDF generated, the
//! signatures recorded, and the asset's page showing its new custodian and history.
//!
//! Runs only under `scripts/e2e.sh` (see `tests/webview.rs`).

use std::time::{Duration, Instant};

use chaski_e2e::{
    Env, WAIT, draw_signature, first_run_setup, run_scenario, screenshot, type_into, wait_for,
    wait_text,
};
use fantoccini::Client;
use fantoccini::error::CmdError;
use fantoccini::key::Key;

/// The SBN layout with a couple of extra columns, UTF-8 with accents: two computers held by
/// people (found by DNI, created in the directory) and a monitor in the warehouse.
const INVENTORY: &str = "\
N°;CODIGO_PATRIMONIAL;DENOMINACION_BIEN;MARCA;MODELO;TIPO;COLOR;SERIE;ESTADO_BIEN;NOMBRE_LOCAL;NOMBRE_AREA;NOMBRE_OFICINA;NRO_DOC_IDENT_PERSONAL;APELLIDO_PATERNO;APELLIDO_MATERNO;NOMBRES;OBSERVACION
1;740899500001;UNIDAD CENTRAL DE PROCESO - CPU;HP;ProDesk 400 G7;CPU;NEGRO;MXL2041AAA;B;Sede Wanchaq;Administración;Oficina de Logística;70000001;Mamani;Quispe;Rosa Inés;
2;740899500002;UNIDAD CENTRAL DE PROCESO - CPU;LENOVO;ThinkCentre M70;CPU;NEGRO;PC0002;R;Sede Wanchaq;Administración;Tesorería;70000002;Huamán;Torres;Luis Alberto;
3;740880370003;MONITOR A COLOR;LG;22MK400;MONITOR;NEGRO;ZX0003;N;Sede Wanchaq;;;;;;;En almacén
";

async fn wait_value(c: &Client, css: &str, needle: &str) -> Result<String, CmdError> {
    let el = wait_for(c, css).await;
    let deadline = Instant::now() + WAIT;
    loop {
        let value = el.prop("value").await?.unwrap_or_default();
        if value.contains(needle) {
            return Ok(value);
        }
        assert!(
            Instant::now() < deadline,
            "`{css}` did not hold {needle:?} within {WAIT:?}; it held {value:?}"
        );
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

async fn open_asset(c: &Client, code: &str) -> Result<(), CmdError> {
    wait_for(c, "#nav-assets").await.click().await?;
    wait_for(c, "[data-screen='assets']").await;
    type_into(c, "#asset-search", code).await?;
    wait_text(c, "#asset-rows", code).await;
    wait_for(c, &format!("#asset-rows tr[data-code='{code}'] td.code"))
        .await
        .click()
        .await?;
    wait_for(c, "[data-screen='asset']").await;
    wait_text(c, "#asset-code", code).await;
    Ok(())
}

async fn scenario(c: &Client, env: &Env) -> Result<(), CmdError> {
    first_run_setup(c).await?;

    // 1. Import the inventory from a typed path: preview first, nothing written yet.
    let sheet = env.data_root.join("bienes-inventario.csv");
    std::fs::write(&sheet, INVENTORY).expect("writing the inventory sheet");
    wait_for(c, "#nav-assets").await.click().await?;
    wait_for(c, "[data-screen='assets']").await;
    wait_text(c, "#asset-rows", "Aún no hay bienes").await;
    wait_for(c, "#import-inventory").await.click().await?;
    wait_for(c, "[data-screen='inventory-import']").await;
    let path = type_into(c, "#import-path", &sheet.to_string_lossy()).await?;
    path.send_keys(&Key::Enter.to_string()).await?;
    wait_text(c, "#import-preview", "bienes-inventario.csv").await;
    wait_text(c, "#import-new", "3").await;
    wait_text(c, "#import-error-count", "0").await;
    screenshot(env, "bienes-01-vista-previa");
    wait_for(c, "#import-confirm").await.click().await?;
    wait_text(c, "#import-summary", "3 bienes nuevos").await;
    wait_text(c, "#import-summary", "2 custodios").await;
    screenshot(env, "bienes-02-importado");

    // 2. The list shows them; the monitor is in the warehouse, without custodian.
    open_asset(c, "740880370003").await?;
    wait_text(c, "#asset-custodian", "sin custodio").await;
    wait_text(c, "#asset-status", "En almacén").await;

    // 3. A cargo for the monitor, started from its page, to Luis (found by DNI).
    wait_for(c, "#asset-assign").await.click().await?;
    wait_for(c, "[data-screen='assignment']").await;
    wait_text(c, "#cargo-assigned-table", "740880370003").await;
    type_into(c, "#cargo-person-id", "70000002").await?;
    wait_text(c, "#cargo-person-id-results", "HUAMÁN TORRES, Luis Alberto").await;
    wait_for(c, "#cargo-person-id-results li:first-child button")
        .await
        .click()
        .await?;
    wait_value(c, "#cargo-person-id", "HUAMÁN TORRES").await?;
    wait_value(c, "#cargo-office", "Tesorería").await?;

    // Rosa's CPU cannot be assigned to Luis without withdrawing it: refused next to the table.
    type_into(c, "#cargo-assigned-add", "740899500001").await?;
    wait_for(
        c,
        "#cargo-assigned-add-results button[data-code='740899500001']",
    )
    .await
    .click()
    .await?;
    wait_text(c, "#cargo-assigned-table", "740899500001").await;
    wait_for(c, "#doc-issue").await.click().await?;
    let refusal = wait_text(c, "#cargo-assigned-error", "está asignado a").await;
    assert!(
        refusal.contains("MAMANI QUISPE, Rosa Inés") && refusal.contains("Se retira"),
        "the refusal names the custodian and says what to do: {refusal}"
    );
    screenshot(env, "bienes-03-doble-asignacion");
    wait_for(c, "button[aria-label='Quitar 740899500001']")
        .await
        .click()
        .await?;

    // 4. Issue (numbered); both people sign by hand on the cargo's PDF panel; the PDF is
    // generated with their signatures; then the signatures are recorded: the custodian changes.
    wait_for(c, "#doc-issue").await.click().await?;
    wait_text(c, "#doc-status", "Emitido").await;
    let number = wait_text(c, "#doc-number", "N° 001-").await;
    wait_for(c, "[data-testid='document-panel'][data-kind='assignment']").await;
    draw_signature(c, "#doc-pad-employee-canvas", 0.0).await?;
    wait_text(c, "#doc-pad-employee-hint", "Firma registrada.").await;
    draw_signature(c, "#doc-pad-technician-canvas", 5.0).await?;
    wait_text(c, "#doc-pad-technician-hint", "Firma registrada.").await;
    wait_for(c, "#doc-generate").await.click().await?;
    wait_for(c, "[data-testid='document-version'][data-version='1']").await;
    wait_text(c, "#doc-message", "PDF generado").await;
    wait_for(c, "#doc-sign").await.click().await?;
    wait_text(c, "#doc-status", "Firmado").await;
    screenshot(env, "bienes-04-cargo-firmado");

    // 5. The asset's page: new custodian and office, and the history that explains it.
    open_asset(c, "740880370003").await?;
    wait_text(c, "#asset-custodian", "HUAMÁN TORRES, Luis Alberto").await;
    wait_text(c, "#asset-office", "Tesorería").await;
    wait_text(c, "#asset-status", "En uso").await;
    let history = wait_text(c, "#asset-history", "Asignación").await;
    assert!(
        history.contains("Inventario importado") && history.contains(number.trim()),
        "the history shows the import and the cargo {number}: {history}"
    );
    screenshot(env, "bienes-05-nuevo-custodio");

    // 6. The cargo is in the register of documents, signed.
    wait_for(c, "#nav-asset-documents").await.click().await?;
    wait_for(c, "[data-screen='asset-documents']").await;
    wait_text(c, "#document-rows", "Firmado").await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_inventory_then_sign_a_cargo_and_see_the_custodian_change() {
    run_scenario("bienes", &[], scenario).await;
}
