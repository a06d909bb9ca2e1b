//! The help desk's main path through the real app: first-run setup, a new attention, finding it
//! by a word of its problem typed without accents, and closing it as "Atendido".
//!
//! Runs only when `scripts/e2e.sh` set `CHASKI_E2E_APP` (the binary built with the UI embedded)
//! and `CHASKI_E2E_WEBDRIVER` (tauri-driver's URL). If they are set but the display or the binary
//! is missing, the test fails loudly instead of hanging or skipping.

use std::time::{Duration, Instant};

use chaski_e2e::{
    Env, WAIT, run_scenario, screenshot, select_label, type_into, wait_for, wait_text,
};
use fantoccini::Client;
use fantoccini::error::CmdError;
use fantoccini::key::Key;

const PROBLEM: &str =
    "La impresora del área de Abastecimiento no imprime: la impresión sale en blanco";
const SOLUTION: &str = "Se reemplazó el tóner y se limpió el cabezal; impresión de prueba correcta";

async fn scenario(c: &Client, env: &Env) -> Result<(), CmdError> {
    // 1. First run: the setup screen, completed with the keyboard (Enter submits).
    wait_for(c, "[data-screen='setup']").await;
    screenshot(env, "01-configuracion-inicial");
    select_label(c, "#setup-unit", "UT Cusco").await?;
    type_into(c, "#setup-last-names", "Quispe Mamani").await?;
    type_into(c, "#setup-first-names", "Rosa Elena").await?;
    let dni = type_into(c, "#setup-dni", "4567890").await?;
    dni.send_keys(&Key::Enter.to_string()).await?;
    // The core refuses a 7-digit DNI; the message sits next to the field.
    wait_text(c, "#setup-dni-error", "DNI").await;
    let dni = type_into(c, "#setup-dni", "45678901").await?;
    dni.send_keys(&Key::Enter.to_string()).await?;

    // 2. The app opens on the (empty) attention register.
    wait_for(c, "[data-screen='attentions']").await;
    wait_text(c, "header .unit", "Cusco").await;

    // 3. A new attention.
    wait_for(c, "#new-attention").await.click().await?;
    wait_for(c, "[data-screen='attention-form']").await;
    // The requester is not in the directory yet: register them from the picker.
    type_into(c, "#att-requester", "Huamán Torres").await?;
    wait_for(c, "#att-requester-new").await.click().await?;
    wait_for(c, "[data-screen='person-form']").await;
    let last = wait_for(c, "#person-last-names").await;
    assert_eq!(last.prop("value").await?.as_deref(), Some("Huamán Torres"));
    type_into(c, "#person-first-names", "Luis Alberto").await?;
    let email = type_into(c, "#person-email", "lhuaman@entidad.gob.pe").await?;
    email.send_keys(&Key::Enter.to_string()).await?;
    let requester = wait_for(c, "#att-requester").await;
    let deadline = Instant::now() + WAIT;
    while requester.prop("value").await?.as_deref() != Some("HUAMÁN TORRES, Luis Alberto") {
        assert!(
            Instant::now() < deadline,
            "the new person was not set as the requester"
        );
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    type_into(c, "#att-office", "Abastecimiento").await?;
    type_into(c, "#att-problem", PROBLEM).await?;
    select_label(c, "#att-kind", "Incidencia").await?;
    select_label(c, "#att-channel", "Teléfono").await?;
    let service = wait_for(c, "#att-service").await;
    service.select_by_index(1).await?;
    select_label(
        c,
        "#att-priority",
        "2 — Lentitud en el funcionamiento de los servicios TIC",
    )
    .await?;
    screenshot(env, "02-nueva-atencion");
    wait_for(c, "#att-save").await.click().await?;
    wait_text(c, "#att-status", "Pendiente").await;
    let number = wait_for(c, "#att-number")
        .await
        .prop("value")
        .await?
        .unwrap_or_default();
    assert!(
        number.starts_with("N° 001-"),
        "the first attention of the year is N° 001-aaaa, got {number:?}"
    );

    // 4. Back to the list; find it by a word of its problem typed without the accent.
    wait_for(c, "#nav-attentions").await.click().await?;
    wait_for(c, "[data-screen='attentions']").await;
    type_into(c, "#attention-search", "impresion").await?;
    wait_text(c, "#attention-rows", "Abastecimiento no imprime").await;
    screenshot(env, "03-busqueda");
    let row = wait_for(c, "#attention-rows tr[data-number]").await;
    assert_eq!(
        row.attr("data-number").await?.as_deref(),
        Some(number.trim())
    );
    wait_for(c, "#attention-rows tr[data-number] td.num")
        .await
        .click()
        .await?;
    wait_for(c, "[data-screen='attention-form']").await;

    // 5. Move it to "Atendido": the core refuses it without a solution, then accepts it.
    wait_for(c, "#transition-start").await.click().await?;
    wait_text(c, "#att-status", "En progreso").await;
    wait_for(c, "#transition-resolve").await.click().await?;
    wait_text(c, "#att-solution-error", "solución").await;
    type_into(c, "#att-solution", SOLUTION).await?;
    wait_for(c, "#transition-resolve").await.click().await?;
    wait_text(c, "#att-status", "Atendido").await;
    let resolved = wait_for(c, "#att-resolved-at")
        .await
        .prop("value")
        .await?
        .unwrap_or_default();
    assert!(
        resolved.len() == 16 && resolved.as_bytes()[2] == b'/' && resolved.as_bytes()[5] == b'/',
        "the resolved time is shown as dd/mm/aaaa hh:mm, got {resolved:?}"
    );
    screenshot(env, "04-atendido");

    // 6. The list shows it as Atendido.
    wait_for(c, "#nav-attentions").await.click().await?;
    type_into(c, "#attention-search", "impresion").await?;
    let rows = wait_text(c, "#attention-rows", "Atendido").await;
    assert!(
        rows.contains(number.trim()),
        "the row shows the attention's N° {number}: {rows}"
    );
    screenshot(env, "05-lista");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_run_create_find_and_resolve_an_attention() {
    run_scenario("atenciones", &[], scenario).await;
}
