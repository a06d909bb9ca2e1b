//! Preventive maintenance through the real app: a printer registered by
//! hand, its plan edited (an interval out of range refused next to the field, then every six
//! months), the calendar showing it without a record, a row opening the record form, a
//! provider's maintenance of five days ago recorded, its 48-hour verification with a fault, the
//! escalation back to the provider appearing under Proveedores, and the calendar now "al día".
//! Then an escalation typed by hand (four days ago), completed by the provider three days ago,
//! the user's *no conforme* refused without a remark next to its field, then recorded, and the
//! next escalation to the same provider open in the list.
//!
//! Runs only under `scripts/e2e.sh` (see `tests/webview.rs`).

use chaski_e2e::{
    Env, first_run_setup, run_scenario, screenshot, select_label, type_into, wait_for, wait_text,
};
use fantoccini::Client;
use fantoccini::error::CmdError;

const CODE: &str = "740841000011";
const PROVIDER: &str = "Servicios Técnicos Andinos SAC";
const OTHER: &str = "Canon Perú SA";

/// `days` days ago, as typed in the forms (Lima, UTC−05:00 all year).
fn days_ago_lima(days: i64) -> String {
    (chrono::Utc::now() - chrono::Duration::hours(days * 24 + 5))
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
    type_into(c, "#mant-performed-at", &days_ago_lima(5)).await?;
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
    wait_text(c, "#mant-pending", CODE).await;

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

    // 8. An escalation by hand from the maintenance's detail, four days ago by phone.
    wait_for(c, &format!("{row} td:nth-child(2)"))
        .await
        .click()
        .await?;
    wait_for(c, "#mant-records tbody tr td:nth-child(2)")
        .await
        .click()
        .await?;
    wait_for(c, "#mant-escalate").await.click().await?;
    type_into(c, "#esc-provider", OTHER).await?;
    select_label(c, "#esc-means", "Teléfono").await?;
    type_into(c, "#esc-escalated-at", &days_ago_lima(4)).await?;
    type_into(c, "#esc-description", "Revisión del fusor").await?;
    wait_for(c, "#esc-save").await.click().await?;
    wait_text(c, "#mant-notice", OTHER).await;

    // 9. Completed three days ago; a "no conforme" needs what still fails, then reopens.
    wait_for(c, "#nav-providers").await.click().await?;
    let other = format!("#esc-list tr[data-provider='{OTHER}'] td:nth-child(2)");
    wait_for(c, &other).await.click().await?;
    type_into(c, "#conf-completed-at", &days_ago_lima(3)).await?;
    type_into(c, "#conf-completion-note", "Cambio del fusor").await?;
    wait_for(c, "#esc-complete").await.click().await?;
    wait_text(c, "#esc-conformity-stage", "Pasaron 24 horas").await;
    wait_for(c, "#conf-no").await.click().await?;
    wait_for(c, "#esc-conformity").await.click().await?;
    wait_text(c, "#conf-conformity-remark-error", "vuelve al proveedor").await;
    screenshot(env, "mantenimiento-05-no-conforme-sin-motivo");
    type_into(c, "#conf-conformity-remark", "Sigue atascando el papel").await?;
    wait_for(c, "#esc-conformity").await.click().await?;
    wait_text(c, "#esc-notice", "nuevo escalamiento").await;
    wait_text(c, "#esc-list", "No conforme: Sigue atascando el papel").await;
    screenshot(env, "mantenimiento-06-nuevo-escalamiento");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edit_a_plan_see_the_calendar_record_and_verify_a_maintenance() {
    run_scenario("mantenimiento", &[], scenario).await;
}
