//! Everyday handling through the real app at 1366×768: the office follows the chosen requester
//! unless typed by hand; a half-filled attention survives Esc and a shortcut (both ask first)
//! and comes back when the form opens again; the attention is then found by its N°, by its
//! requester and by the requester's DNI; coming back from it keeps the search.
//!
//! Runs only under `scripts/e2e.sh` (see webview.rs).

use std::time::Instant;

use chaski_e2e::{
    Env, WAIT, first_run_setup, run_scenario, screenshot, select_label, type_into, wait_for,
    wait_text,
};
use fantoccini::Client;
use fantoccini::error::CmdError;
use fantoccini::key::Key;

const PROBLEM: &str = "El proyector del auditorio no muestra imagen";

/// Waits until the input `css` holds exactly `value`.
async fn wait_value(c: &Client, css: &str, value: &str) -> Result<(), CmdError> {
    let el = wait_for(c, css).await;
    let deadline = Instant::now() + WAIT;
    loop {
        let now = el.prop("value").await?.unwrap_or_default();
        if now == value {
            return Ok(());
        }
        assert!(
            Instant::now() < deadline,
            "{css} should hold {value:?}, it holds {now:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    }
}

/// Registers a requester from the attention form's picker: name, DNI, office.
async fn register_requester(
    c: &Client,
    last: &str,
    first: &str,
    dni: &str,
    office: &str,
) -> Result<(), CmdError> {
    type_into(c, "#att-requester", last).await?;
    wait_for(c, "#att-requester-new").await.click().await?;
    wait_for(c, "[data-screen='person-form']").await;
    type_into(c, "#person-first-names", first).await?;
    type_into(c, "#person-dni", dni).await?;
    let office_field = type_into(c, "#person-office", office).await?;
    office_field.send_keys(&Key::Enter.to_string()).await?;
    Ok(())
}

/// The list's search: types `text`, waits for the rows, returns their text.
async fn search(c: &Client, text: &str, needle: &str) -> Result<String, CmdError> {
    type_into(c, "#attention-search", text).await?;
    Ok(wait_text(c, "#attention-rows", needle).await)
}

async fn scenario(c: &Client, env: &Env) -> Result<(), CmdError> {
    // The size of the laptops the offices have (a window manager may refuse: then it stays).
    let _ = c.set_window_rect(0, 0, 1366, 768).await;
    first_run_setup(c).await?;

    // 1. A new attention: the office follows the requester chosen, then a typed one is kept.
    wait_for(c, "#new-attention").await.click().await?;
    wait_for(c, "[data-screen='attention-form']").await;
    register_requester(c, "Condori Apaza", "Luz", "40123456", "Tesorería").await?;
    wait_value(c, "#att-requester", "CONDORI APAZA, Luz").await?;
    wait_value(c, "#att-office", "Tesorería").await?;
    register_requester(c, "Huamán Torres", "Luis", "41112222", "Abastecimiento").await?;
    wait_value(c, "#att-requester", "HUAMÁN TORRES, Luis").await?;
    wait_value(c, "#att-office", "Abastecimiento").await?;
    screenshot(env, "diario-01-oficina-sigue-al-solicitante");
    type_into(c, "#att-office", "Mesa de partes").await?;
    type_into(c, "#att-requester", "Condori").await?;
    wait_for(c, "#att-requester-results button")
        .await
        .click()
        .await?;
    wait_value(c, "#att-requester", "CONDORI APAZA, Luz").await?;
    wait_value(c, "#att-office", "Mesa de partes").await?;

    // 2. Half filled: the problem only. A shortcut asks first; "Seguir editando" stays.
    type_into(c, "#att-problem", PROBLEM).await?;
    let problem = wait_for(c, "#att-problem").await;
    problem.send_keys(&format!("{}1", Key::Alt)).await?;
    wait_for(c, "#leave-stay").await.click().await?;
    wait_for(c, "[data-screen='attention-form']").await;
    wait_value(c, "#att-problem", PROBLEM).await?;
    // Esc asks too; leaving keeps the draft.
    wait_for(c, "#att-problem")
        .await
        .send_keys(&Key::Escape.to_string())
        .await?;
    wait_for(c, "#leave-keep").await;
    screenshot(env, "diario-02-salir-con-cambios");
    wait_for(c, "#leave-keep").await.click().await?;
    wait_for(c, "[data-screen='attentions']").await;

    // 3. Opened again: nothing was lost.
    wait_for(c, "#new-attention").await.click().await?;
    wait_text(c, "#att-draft", "Se recuperó").await;
    wait_value(c, "#att-problem", PROBLEM).await?;
    wait_value(c, "#att-requester", "CONDORI APAZA, Luz").await?;
    wait_value(c, "#att-office", "Mesa de partes").await?;
    screenshot(env, "diario-03-borrador-recuperado");

    // 4. Completed and saved: the draft is gone.
    select_label(c, "#att-kind", "Incidencia").await?;
    select_label(c, "#att-channel", "Teléfono").await?;
    wait_for(c, "#att-service").await.select_by_index(1).await?;
    wait_for(c, "#att-save").await.click().await?;
    wait_text(c, "#att-status", "Pendiente").await;
    let number = wait_for(c, "#att-number")
        .await
        .prop("value")
        .await?
        .unwrap_or_default();
    assert!(number.starts_with("N° 001-"), "{number:?}");
    wait_for(c, "#nav-attentions").await.click().await?;
    wait_for(c, "[data-screen='attentions']").await;

    // 5. Found by its N° (as shown and without the year), by its requester and by the DNI;
    // another person's name finds nothing.
    let year = number
        .trim()
        .rsplit('-')
        .next()
        .unwrap_or_default()
        .to_string();
    search(c, number.trim(), "proyector").await?;
    search(c, "1", "proyector").await?;
    search(c, &format!("1-{year}"), "proyector").await?;
    search(c, "condori", "proyector").await?;
    search(c, "40123456", "proyector").await?;
    search(c, "mesa de partes", "proyector").await?;
    search(c, "huaman", "Ninguna atención coincide").await?;
    let rows = search(c, "40123456", "proyector").await?;
    assert!(rows.contains(number.trim()), "{rows}");
    screenshot(env, "diario-04-busqueda-por-dni");

    // 6. Open it and come back: the search is still there.
    wait_for(c, "#attention-rows tr[data-number] td.num")
        .await
        .click()
        .await?;
    wait_for(c, "[data-screen='attention-form']").await;
    wait_for(c, "#att-problem")
        .await
        .send_keys(&Key::Escape.to_string())
        .await?;
    wait_for(c, "[data-screen='attentions']").await;
    wait_value(c, "#attention-search", "40123456").await?;
    wait_text(c, "#attention-rows", "proyector").await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_typed_is_lost_and_anything_is_found() {
    run_scenario("diario", &[], scenario).await;
}
