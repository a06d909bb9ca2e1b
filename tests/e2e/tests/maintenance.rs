//! Preventive maintenance through the real app (issue 6, items 6–7): a printer registered by
//! hand, its plan edited (an interval out of range refused next to the field, then every six
//! months), the calendar showing it without a record, a row opening the record form, a
//! provider's maintenance of five days ago recorded, its 48-hour verification with a fault, the
//! escalation back to the provider appearing under Proveedores, and the calendar now "al día".
//!
//! Runs only under `scripts/e2e.sh` (see `tests/webview.rs`).

use chaski_e2e::{
    Env, first_run_setup, run_scenario, screenshot, select_label, type_into, wait_for, wait_text,
};
use fantoccini::Client;
use fantoccini::error::CmdError;

const CODE: &str = "740841000011";
const PROVIDER: &str = "Servicios Técnicos Andinos SAC";

/// Five days ago, as typed in the form (Lima, UTC−05:00 all year).
fn five_days_ago_lima() -> String {
    (chrono::Utc::now() - chrono::Duration::hours(5 * 24 + 5))
        .format("%d/%m/%Y %H:%M")
        .to_string()
}

async fn scenario(c: &Client, env: &Env) -> Result<(), CmdError> {
    first_run_setup(c).await?;

    // 1. A printer, registered by hand (it enters the warehouse).
    wait_for(c, "#nav-assets").await.click().await?;
    wait_for(c, "#new-asset").await.click().await?;
    type_into(c, "#asset-code", CODE).await?;
    select_label(c, "#asset-kind", "Impresora").await?;
    type_into(c, "#asset-denomination", "IMPRESORA LASER").await?;
    type_into(c, "#asset-brand", "HP").await?;
    wait_for(c, "#asset-save").await.click().await?;
    wait_for(c, "[data-screen='asset']").await;

    // 2. Plans: out of range refused next to the field, then every six months.
    wait_for(c, "#nav-maintenance").await.click().await?;
    wait_for(c, "[data-screen='maintenance']").await;
    wait_for(c, "#maint-tab-plans").await.click().await?;
    type_into(c, "#plan-impresora-months", "40").await?;
    wait_for(c, "#plan-impresora-save").await.click().await?;
    wait_text(c, "#plan-impresora-error", "entre 1 y 36 meses").await;
    screenshot(env, "mantenimiento-01-plan-rechazado");
    type_into(c, "#plan-impresora-months", "6").await?;
    wait_for(c, "#plan-impresora-save").await.click().await?;
    wait_text(c, "#plan-notice", "Impresora").await;

    // 3. The calendar: the printer has no maintenance recorded yet.
    wait_for(c, "#maint-tab-calendar").await.click().await?;
    let row = format!("#maint-calendar tr[data-code='{CODE}']");
    wait_text(c, &row, "Sin mantenimiento registrado").await;
    wait_text(c, &row, "cada 6 meses").await;
    screenshot(env, "mantenimiento-02-calendario");
    wait_for(c, &format!("{row} td:nth-child(2)"))
        .await
        .click()
        .await?;

    // 4. The record form opens for that asset: a provider's maintenance five days ago.
    wait_text(c, "#mant-asset", CODE).await;
    type_into(c, "#mant-performed-at", &five_days_ago_lima()).await?;
    select_label(c, "#mant-performer", "Proveedor de servicio TI").await?;
    type_into(c, "#mant-provider-name", PROVIDER).await?;
    type_into(
        c,
        "#mant-work-done",
        "Limpieza interna y cambio de rodillos",
    )
    .await?;
    wait_for(c, "#mant-save").await.click().await?;
    wait_text(c, "#mant-notice", "Mantenimiento registrado").await;
    wait_text(c, "#mant-records", PROVIDER).await;

    // 5. More than 48 hours have passed: the verification finds a fault, which goes back to
    //    the provider.
    wait_text(c, "#mant-verification-stage", "Pasaron 48 horas").await;
    wait_for(c, "#mant-faults").await.click().await?;
    type_into(c, "#mant-fault-remarks", "Sigue manchando las hojas").await?;
    wait_for(c, "#mant-verify").await.click().await?;
    wait_text(c, "#mant-notice", "se escalaron al proveedor").await;
    wait_text(c, "#mant-verification-stage", "con fallas").await;
    screenshot(env, "mantenimiento-03-verificado");

    // 6. The escalation is open under Proveedores.
    wait_for(c, "#nav-providers").await.click().await?;
    wait_text(c, "#esc-list", PROVIDER).await;
    wait_text(c, "#esc-list", "Escalado al proveedor").await;
    wait_text(c, "#esc-list", "Sigue manchando").await;
    screenshot(env, "mantenimiento-04-proveedores");

    // 7. Back on the calendar the printer is up to date.
    wait_for(c, "#nav-maintenance").await.click().await?;
    wait_for(c, "#maint-tab-calendar").await.click().await?;
    wait_text(c, &row, "Al día").await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edit_a_plan_see_the_calendar_record_and_verify_a_maintenance() {
    run_scenario("mantenimiento", &[], scenario).await;
}
