//! Every Tauri command, declared once.
//!
//! The `commands!` macro takes each command's signature and body and produces three things from
//! that single declaration: the `#[tauri::command]` function (its body runs on a blocking
//! thread, so a slow query never freezes the window), the [`handler`] that registers all of
//! them, and the [`specs`] the bindings generator turns into `ui/src/lib/backend/bindings.ts`.
//! A command body is one line: the call to the use case of the same name in `chaski_app::api`
//! (Tauri-free, tested there in plain Rust); the rules live in the core, the queries in the store.

use std::sync::Arc;

use chaski_app::api;
use chaski_app::error::IpcError;
use chaski_app::state::{AppState, AppStatus};

use crate::bindings::{ArgSpec, CommandSpec};

macro_rules! commands {
    ($(
        $(#[doc = $doc:literal])*
        fn $name:ident($state:ident $(, $arg:ident : $ty:ty)* $(,)?) -> $ret:ty $body:block
    )*) => {
        $(
            $(#[doc = $doc])*
            #[tauri::command]
            pub async fn $name(
                shared: tauri::State<'_, Arc<AppState>>
                $(, $arg: $ty)*
            ) -> Result<$ret, IpcError> {
                let shared = Arc::clone(&shared);
                tauri::async_runtime::spawn_blocking(move || -> Result<$ret, IpcError> {
                    let $state: &AppState = &shared;
                    $body
                })
                .await
                .map_err(|e| IpcError::interrupted(&e))?
            }
        )*

        /// Registers every command with Tauri.
        pub fn handler<R: tauri::Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($name),*]
        }

        /// The commands as the bindings generator sees them.
        pub fn specs() -> Vec<CommandSpec> {
            vec![$(
                CommandSpec {
                    name: stringify!($name),
                    docs: concat!($($doc, "\n",)* ""),
                    args: vec![$(
                        ArgSpec {
                            name: stringify!($arg),
                            ts_name: <$ty as ts_rs::TS>::name,
                            visit: |c| c.visit_type::<$ty>(),
                        }
                    ),*],
                    output_ts_name: <$ret as ts_rs::TS>::name,
                    visit_output: |c| c.visit_type::<$ret>(),
                }
            ),*]
        }
    };
}

commands! {
    // --- start

    /// Where the app is: first-run setup pending, ready (with the profile), or the database
    /// file refused at start (with the reason and what to do).
    fn app_status(state) -> AppStatus {
        api::app_status(state)
    }

    /// The unit list for the first-run setup (from the same migrations; no file is needed).
    fn setup_units(state) -> Vec<chaski_core::unit::Unit> {
        api::setup_units(state)
    }

    /// First run: creates the local database for the chosen unit and technician.
    fn app_setup(state, input: chaski_store::SetupInput) -> AppStatus {
        api::app_setup(state, input)
    }

    /// Loads the synthetic demo data set (a year of attentions) into the open database.
    fn app_load_demo(state) -> chaski_store::DemoSummary {
        api::app_load_demo(state)
    }

    /// The catalogs every form needs: units, service categories and services, channels, kinds,
    /// statuses, priorities and escalation levels.
    fn reference_data(state) -> chaski_store::ReferenceData {
        api::reference_data(state)
    }

    // --- attentions

    /// The technicians of the unit (personal de soporte), for the assignment and the filter.
    fn technicians_list(state) -> Vec<chaski_core::person::Technician> {
        api::technicians_list(state)
    }

    /// The contacts directory, searched as you type by name, DNI or email; at most `limit`.
    fn persons_search(state, query: String, limit: u32) -> Vec<chaski_core::person::Person> {
        api::persons_search(state, query, limit)
    }

    /// Registers a person; a DNI already registered is refused with the existing person.
    fn person_create(state, input: chaski_core::person::NewPerson) -> chaski_core::person::Person {
        api::person_create(state, input)
    }

    /// One page of the attention register, newest first, filtered and searched.
    fn attentions_list(state, filter: chaski_core::attention::AttentionFilter, page: chaski_core::attention::Page) -> chaski_core::attention::AttentionPage {
        api::attentions_list(state, filter, page)
    }

    /// One attention, with its escalation history.
    fn attention_get(state, id: chaski_core::ids::AttentionId) -> chaski_core::attention::AttentionDetail {
        api::attention_get(state, id)
    }

    /// Registers a new attention (its N° is given by the store: per unit and year).
    fn attention_create(state, input: chaski_core::attention::AttentionInput) -> chaski_core::attention::AttentionDetail {
        api::attention_create(state, input)
    }

    /// Saves the editable fields of an attention.
    fn attention_update(state, id: chaski_core::ids::AttentionId, input: chaski_core::attention::AttentionInput) -> chaski_core::attention::AttentionDetail {
        api::attention_update(state, id, input)
    }

    /// Moves an attention through its status machine (start, resolve, reopen, escalate); the
    /// core refuses what the rules do not allow.
    fn attention_transition(state, id: chaski_core::ids::AttentionId, transition: chaski_core::status::Transition) -> chaski_core::attention::AttentionDetail {
        api::attention_transition(state, id, transition)
    }

    /// Changes the escalation level (1–5) with a reason; each change is kept with who and when.
    fn attention_escalate(state, id: chaski_core::ids::AttentionId, input: chaski_core::status::EscalationInput) -> chaski_core::attention::AttentionDetail {
        api::attention_escalate(state, id, input)
    }

    /// Records the requester's conformity (yes/no, when, remark) on an Atendido attention.
    fn attention_conformity(state, id: chaski_core::ids::AttentionId, input: chaski_core::status::ConformityInput) -> chaski_core::attention::AttentionDetail {
        api::attention_conformity(state, id, input)
    }

    // --- diagnostics

    /// The closed lists of the diagnostic form: test outcomes, results, recommendations,
    /// warranty states, formatting steps, formattable kinds and the 60-minute threshold.
    fn diagnostic_catalogs(state) -> chaski_app::catalogs::DiagnosticCatalogs {
        api::diagnostic_catalogs(state)
    }

    /// The tests of the diagnostic checklist of an asset kind, in order, each marked essential
    /// when its failure makes the asset inoperative.
    fn checklist_for(state, kind: chaski_core::asset::AssetKind) -> Vec<chaski_app::catalogs::ChecklistEntry> {
        api::checklist_for(state, kind)
    }

    /// Records a diagnostic (or a correction of the asset's latest one, with `corrects`); its
    /// result sets the asset's operability through an asset event.
    fn diagnostic_create(state, input: chaski_core::operations::diagnostic::DiagnosticInput) -> chaski_core::operations::diagnostic::Diagnostic {
        api::diagnostic_create(state, input)
    }

    /// One diagnostic, with what its ficha prints and the diagnostic that corrected it, if any.
    fn diagnostic_get(state, id: chaski_core::ids::DiagnosticId) -> chaski_core::operations::diagnostic::Diagnostic {
        api::diagnostic_get(state, id)
    }

    /// The diagnostics of an asset, newest first (corrected ones included).
    fn diagnostics_of_asset(state, asset: chaski_core::ids::AssetId) -> Vec<chaski_core::operations::diagnostic::Diagnostic> {
        api::diagnostics_of_asset(state, asset)
    }

    /// The unit's attention with this N° (`N° 045-2026`, `45-2026`), to link it to a diagnostic.
    fn attention_by_number(state, number: String) -> chaski_core::attention::Attention {
        api::attention_by_number(state, number)
    }

    // --- pdfs

    /// "Generar PDF": renders the register of a period, a cargo or a traslado with the
    /// handwritten signatures drawn on screen, and stores it as version 1 of a new document.
    fn document_render(state, input: chaski_app::pdfs::DocumentRequest) -> chaski_store::documents::GeneratedDocument {
        api::document_render(state, input)
    }

    /// Every version of every document generated from a cargo, a traslado or a period's
    /// register, oldest first.
    fn generated_documents_of(state, source: chaski_app::printing::DocumentSource) -> Vec<chaski_store::documents::GeneratedDocument> {
        api::generated_documents_of(state, source)
    }

    /// "Firmar digitalmente": signs the version with a PFX file (typed or remembered
    /// password) and stores the signed file as the next version; the earlier bytes never change.
    fn document_sign(state, input: chaski_app::pdfs::SignRequest) -> chaski_app::pdfs::SignOutcome {
        api::document_sign(state, input)
    }

    /// The digital signatures of a stored version, checked against the unit's trusted roots.
    fn document_signatures(state, id: uuid::Uuid) -> Vec<chaski_docs::SignatureReport> {
        api::document_signatures(state, id)
    }

    /// "Verificar PDF": the digital signatures of any PDF file.
    fn document_verify(state, path: String) -> Vec<chaski_docs::SignatureReport> {
        api::document_verify(state, path)
    }

    /// "Imprimir": writes a copy under the data folder and opens it in the system viewer.
    fn document_open(state, id: uuid::Uuid) -> chaski_app::files::OpenOutcome {
        api::document_open(state, id)
    }

    /// "Guardar como…": writes the version's bytes to the path chosen in the save dialog.
    fn document_save_as(state, id: uuid::Uuid, path: String) -> () {
        api::document_save_as(state, id, path)
    }

    /// Whether the system keyring answers: the sign dialog offers "Recordar contraseña" only then.
    fn keyring_status(state) -> bool {
        api::keyring_status(state)
    }

    /// A chosen PFX file: its fingerprint and whether its password is remembered.
    fn certificate_file(state, path: String) -> chaski_app::pdfs::CertificateFile {
        api::certificate_file(state, path)
    }

    /// Forgets the remembered password of a PFX file (by its fingerprint); `false` if none was kept.
    fn certificate_password_forget(state, fingerprint: String) -> bool {
        api::certificate_password_forget(state, fingerprint)
    }

    /// The root certificates the unit trusts when verifying signatures.
    fn trusted_roots_list(state) -> Vec<chaski_app::pdfs::TrustedRoot> {
        api::trusted_roots_list(state)
    }

    /// Adds a root CA certificate file (.cer, .crt, .der or .pem) to the trusted roots.
    fn trusted_root_add(state, path: String) -> Vec<chaski_app::pdfs::TrustedRoot> {
        api::trusted_root_add(state, path)
    }

    /// Removes a trusted root by its SHA-256.
    fn trusted_root_remove(state, sha256: String) -> Vec<chaski_app::pdfs::TrustedRoot> {
        api::trusted_root_remove(state, sha256)
    }

    // --- decommission

    /// The SBN causals of a baja (E, O, M, P, H, B, X, Y, Z, D, S) with their Spanish labels
    /// and what each requires (a diagnostic, an inoperative one, a remark).
    fn decommission_causes(state) -> Vec<chaski_app::catalogs::CauseOption> {
        api::decommission_causes(state)
    }

    /// A new informe técnico de baja, as a draft (no number, no effect). Each row copies the
    /// asset's data and its last diagnostic.
    fn decommission_create(state, input: chaski_core::operations::decommission::DecommissionReportInput) -> chaski_core::operations::decommission::DecommissionReport {
        api::decommission_create(state, input)
    }

    /// Saves a draft informe; an issued, signed or annulled one is refused.
    fn decommission_update(state, id: chaski_core::ids::DecommissionReportId, input: chaski_core::operations::decommission::DecommissionReportInput) -> chaski_core::operations::decommission::DecommissionReport {
        api::decommission_update(state, id, input)
    }

    /// One informe, with everything its printed form needs.
    fn decommission_get(state, id: chaski_core::ids::DecommissionReportId) -> chaski_core::operations::decommission::DecommissionReport {
        api::decommission_get(state, id)
    }

    /// Issues a draft informe: its N° (per unit and year), frozen. Needs rows and the head of
    /// the unit for the V° B°.
    fn decommission_issue(state, id: chaski_core::ids::DecommissionReportId) -> chaski_core::operations::decommission::DecommissionReport {
        api::decommission_issue(state, id)
    }

    /// Records the signatures (technician and V° B°) of an issued informe: immutable, and every
    /// asset gets the event "baja propuesta".
    fn decommission_sign(state, id: chaski_core::ids::DecommissionReportId) -> chaski_core::operations::decommission::DecommissionReport {
        api::decommission_sign(state, id)
    }

    /// Annuls a draft or issued informe with a reason (a signed one is corrected by a new one).
    fn decommission_annul(state, id: chaski_core::ids::DecommissionReportId, reason: String) -> chaski_core::operations::decommission::DecommissionReport {
        api::decommission_annul(state, id, reason)
    }

    /// Informes técnicos de baja, newest first, optionally of one status.
    fn decommission_list(state, status: Option<chaski_core::document::DocStatus>) -> Vec<chaski_core::operations::decommission::DecommissionReport> {
        api::decommission_list(state, status)
    }

    /// The warehouse's stock (assets not assigned and not in baja) with operability, last
    /// diagnostic, a signed baja proposal if any, and the last review's verdict.
    fn warehouse_stock(state) -> Vec<chaski_core::operations::warehouse::WarehouseEntry> {
        api::warehouse_stock(state)
    }

    /// Records a review of the warehouse (insert-only): which assets are obsolete, and why.
    fn warehouse_review_create(state, input: chaski_core::operations::warehouse::WarehouseReviewInput) -> chaski_core::operations::warehouse::WarehouseReview {
        api::warehouse_review_create(state, input)
    }

    /// The warehouse reviews, newest first.
    fn warehouse_reviews(state) -> Vec<chaski_core::operations::warehouse::WarehouseReview> {
        api::warehouse_reviews(state)
    }

    /// "Proponer baja": a draft informe with the review's obsolete assets not yet proposed,
    /// causal O and a justification citing the review.
    fn decommission_from_review(state, id: chaski_core::ids::WarehouseReviewId) -> chaski_core::operations::decommission::DecommissionReport {
        api::decommission_from_review(state, id)
    }

    // --- assets

    /// The closed lists of the asset forms: kinds, SBN conditions (N/B/R/M/X), operability.
    fn asset_catalogs(state) -> chaski_app::catalogs::AssetCatalogs {
        api::asset_catalogs(state)
    }

    /// One page of the asset register, ordered by código patrimonial: filtered (kind, site,
    /// custodian, condition, operability, status, warehouse) and searched (code, serial,
    /// brand, model, denomination, custodian's name or DNI).
    fn assets_list(state, filter: chaski_store::assets::AssetFilter, page: chaski_core::attention::Page) -> chaski_store::assets::AssetPage {
        api::assets_list(state, filter, page)
    }

    /// The sites (sedes) the register knows, for the site filter and the traslado form.
    fn asset_sites(state) -> Vec<String> {
        api::asset_sites(state)
    }

    /// An asset's page: the asset, its whole history (every event, with custodian and
    /// technician names), the documents that moved it, and its attentions.
    fn asset_detail(state, id: chaski_core::ids::AssetId) -> chaski_store::assets::AssetDetail {
        api::asset_detail(state, id)
    }

    /// The asset with this código patrimonial (spaces, dots and dashes ignored).
    fn asset_by_code(state, code: String) -> chaski_core::asset::Asset {
        api::asset_by_code(state, code)
    }

    /// Alta of an asset entered by hand; its custody at the alta becomes its first event.
    fn asset_create(state, input: chaski_core::asset::AssetInput) -> chaski_core::asset::Asset {
        api::asset_create(state, input)
    }

    /// Saves an asset's descriptive fields. Custodian, site and office are not taken from the
    /// input: they change only through signed cargos and traslados.
    fn asset_update(state, id: chaski_core::ids::AssetId, input: chaski_core::asset::AssetInput) -> chaski_core::asset::Asset {
        api::asset_update(state, id, input)
    }

    /// Interim baja with its reason, until the informe técnico de baja exists (final).
    fn asset_register_baja(state, id: chaski_core::ids::AssetId, reason: String) -> chaski_core::asset::Asset {
        api::asset_register_baja(state, id, reason)
    }

    /// Cargos and traslados, newest first, by kind and status.
    fn asset_documents_list(state, filter: chaski_store::assets::DocFilter) -> Vec<chaski_store::assets::DocSummary> {
        api::asset_documents_list(state, filter)
    }

    /// A new cargo de asignación, as a draft (no number, no effect).
    fn assignment_create(state, input: chaski_core::asset::AssignmentInput) -> chaski_core::asset::Assignment {
        api::assignment_create(state, input)
    }

    /// Saves a draft cargo; an issued, signed or annulled one is refused.
    fn assignment_update(state, id: chaski_core::ids::AssignmentId, input: chaski_core::asset::AssignmentInput) -> chaski_core::asset::Assignment {
        api::assignment_update(state, id, input)
    }

    /// One cargo, with everything its printed form needs.
    fn assignment_get(state, id: chaski_core::ids::AssignmentId) -> chaski_core::asset::Assignment {
        api::assignment_get(state, id)
    }

    /// Issues a draft cargo: gives it its N° (per unit and year) and freezes it.
    fn assignment_issue(state, id: chaski_core::ids::AssignmentId) -> chaski_core::asset::Assignment {
        api::assignment_issue(state, id)
    }

    /// Records that both people signed an issued cargo: it becomes immutable and its
    /// withdrawals and assignments are appended to the assets' history.
    fn assignment_sign(state, id: chaski_core::ids::AssignmentId) -> chaski_core::asset::Assignment {
        api::assignment_sign(state, id)
    }

    /// Annuls a draft or issued cargo with a reason; its number is never reused.
    fn assignment_annul(state, id: chaski_core::ids::AssignmentId, reason: String) -> chaski_core::asset::Assignment {
        api::assignment_annul(state, id, reason)
    }

    /// A new traslado between sites, as a draft.
    fn transfer_create(state, input: chaski_core::asset::TransferInput) -> chaski_core::asset::Transfer {
        api::transfer_create(state, input)
    }

    /// Saves a draft traslado.
    fn transfer_update(state, id: chaski_core::ids::TransferId, input: chaski_core::asset::TransferInput) -> chaski_core::asset::Transfer {
        api::transfer_update(state, id, input)
    }

    /// One traslado.
    fn transfer_get(state, id: chaski_core::ids::TransferId) -> chaski_core::asset::Transfer {
        api::transfer_get(state, id)
    }

    /// Issues a draft traslado (numbered, frozen).
    fn transfer_issue(state, id: chaski_core::ids::TransferId) -> chaski_core::asset::Transfer {
        api::transfer_issue(state, id)
    }

    /// Records the signatures of an issued traslado: the assets move to the destination.
    fn transfer_sign(state, id: chaski_core::ids::TransferId) -> chaski_core::asset::Transfer {
        api::transfer_sign(state, id)
    }

    /// Annuls a draft or issued traslado with a reason.
    fn transfer_annul(state, id: chaski_core::ids::TransferId, reason: String) -> chaski_core::asset::Transfer {
        api::transfer_annul(state, id, reason)
    }

    /// For Patrimonio: every asset moved by a cargo or traslado signed in the month (Lima).
    fn monthly_movements(state, year: i32, month: u32) -> chaski_store::assets::MonthlyMovements {
        api::monthly_movements(state, year, month)
    }

    /// Saves the month's consolidated list as CSV (UTF-8, opens in Excel) at `path`.
    fn monthly_movements_export(state, year: i32, month: u32, path: String) -> String {
        api::monthly_movements_export(state, year, month, path)
    }

    /// Import, phase 1: reads the SBN/SIGA inventory sheet (.xlsx or .csv) at `path` and checks
    /// every row against the register; writes nothing. Progress arrives as
    /// `inventory-progress` events. The result is kept until it is confirmed or discarded.
    fn inventory_preview(state, path: String) -> chaski_app::inventory::InventoryPreview {
        api::inventory_preview(state, path)
    }

    /// Import, phase 2: writes the previewed file in one transaction, everything or nothing
    /// (refused if the preview had any error row). Progress as `inventory-progress` events.
    fn inventory_apply(state) -> chaski_store::inventory_import::ImportSummary {
        api::inventory_apply(state)
    }

    /// Drops the previewed file without writing anything; `true` if there was one.
    fn inventory_discard(state) -> bool {
        api::inventory_discard(state)
    }

    // --- maintenance

    /// The closed lists of the maintenance and provider screens (status, who did it, means).
    fn maintenance_catalogs(state) -> chaski_app::maintenance::MaintenanceCatalogs {
        api::maintenance_catalogs(state)
    }

    /// The maintenance plans of the unit, one per asset kind that has one (defaults included).
    fn maintenance_plans(state) -> Vec<chaski_core::operations::maintenance::MaintenancePlan> {
        api::maintenance_plans(state)
    }

    /// Sets the plan of an asset kind: every 1–36 months, active or paused.
    fn maintenance_plan_set(state, input: chaski_core::operations::maintenance::MaintenancePlanInput) -> chaski_core::operations::maintenance::MaintenancePlan {
        api::maintenance_plan_set(state, input)
    }

    /// The calendar as of today in Lima: vencido, próximo, sin registro, al día.
    fn maintenance_calendar(state, filter: chaski_store::operations::MaintenanceFilter) -> chaski_app::maintenance::MaintenanceCalendar {
        api::maintenance_calendar(state, filter)
    }

    /// Records a maintenance (date, provider or technician, what was done).
    fn maintenance_create(state, input: chaski_core::operations::maintenance::MaintenanceInput) -> chaski_core::operations::maintenance::MaintenanceRecord {
        api::maintenance_create(state, input)
    }

    /// One maintenance record.
    fn maintenance_get(state, id: chaski_core::ids::MaintenanceId) -> chaski_core::operations::maintenance::MaintenanceRecord {
        api::maintenance_get(state, id)
    }

    /// The maintenances of an asset, newest first.
    fn maintenances_of_asset(state, asset: chaski_core::ids::AssetId) -> Vec<chaski_core::operations::maintenance::MaintenanceRecord> {
        api::maintenances_of_asset(state, asset)
    }

    /// The unit's maintenances still waiting for their 48-hour verification, oldest first.
    fn maintenances_unverified(state) -> Vec<chaski_core::operations::maintenance::MaintenanceRecord> {
        api::maintenances_unverified(state)
    }

    /// The check 48 hours after the maintenance; faults after a provider's maintenance open an
    /// escalation back to that provider.
    fn maintenance_verify(state, id: chaski_core::ids::MaintenanceId, input: chaski_core::operations::maintenance::MaintenanceVerificationInput) -> chaski_core::operations::maintenance::MaintenanceRecord {
        api::maintenance_verify(state, id, input)
    }

    /// Attaches the provider's report, read from the file chosen in the open dialog (once).
    fn maintenance_attach_report(state, id: chaski_core::ids::MaintenanceId, path: String) -> chaski_core::operations::maintenance::MaintenanceRecord {
        api::maintenance_attach_report(state, id, path)
    }

    /// "Ver informe": writes a copy of the provider's report under the data folder and opens it.
    fn maintenance_report_open(state, id: chaski_core::ids::MaintenanceId) -> chaski_app::files::OpenOutcome {
        api::maintenance_report_open(state, id)
    }

    /// Records an escalation to a provider, from an attention, a diagnostic or a maintenance.
    fn provider_escalation_create(state, input: chaski_core::operations::provider::ProviderEscalationInput) -> chaski_app::maintenance::ProviderEscalationView {
        api::provider_escalation_create(state, input)
    }

    /// Escalations to providers, oldest first: only those without conformity, or of one asset.
    fn provider_escalations(state, filter: chaski_store::operations::ProviderEscalationFilter) -> Vec<chaski_app::maintenance::ProviderEscalationView> {
        api::provider_escalations(state, filter)
    }

    /// Records that the provider finished (when, and what it did).
    fn provider_escalation_complete(state, id: chaski_core::ids::ProviderEscalationId, input: chaski_app::maintenance::EscalationCompletion) -> chaski_app::maintenance::ProviderEscalationView {
        api::provider_escalation_complete(state, id, input)
    }

    /// The user's conformity, 24 hours after the completion at the earliest; *no conforme*
    /// opens the next escalation to the same provider.
    fn provider_escalation_conformity(state, id: chaski_core::ids::ProviderEscalationId, input: chaski_app::maintenance::EscalationConformity) -> chaski_app::maintenance::ProviderEscalationView {
        api::provider_escalation_conformity(state, id, input)
    }

    // --- sync

    /// Sync with the central server: configuration, enrolment, pending changes, progress,
    /// last success and last error (also sent as the event `sync:status` on every change).
    fn sync_status(state) -> chaski_app::sync::SyncStatus {
        api::sync_status(state)
    }

    /// Saves the server address (and optional CA certificate file) and syncs with it now.
    fn sync_configure(state, input: chaski_app::sync::SyncConfigInput) -> chaski_app::sync::SyncStatus {
        api::sync_configure(state, input)
    }

    /// Enrols this device with a one-time code from the administrator; the device token goes
    /// to the OS keyring. Then syncs.
    fn sync_enroll(state, input: chaski_app::sync::SyncEnrollInput) -> chaski_app::sync::SyncStatus {
        api::sync_enroll(state, input)
    }

    /// Enrols again with a new code after a restored backup, a cloned disk or a revoked
    /// device: this database takes a new device id, keeps its data, and its unsent changes are
    /// sent again under the new id.
    fn sync_reenroll(state, input: chaski_app::sync::SyncEnrollInput) -> chaski_app::sync::SyncStatus {
        api::sync_reenroll(state, input)
    }

    /// Syncs now (a round waiting to retry is dropped and started again at once).
    fn sync_now(state) -> chaski_app::sync::SyncStatus {
        api::sync_now(state)
    }

    /// The unresolved conflicts of this unit, from the server: both values of each field.
    fn sync_conflicts(state) -> Vec<chaski_app::sync::SyncConflict> {
        api::sync_conflicts(state)
    }

    /// Keeps one value of a conflict (the other one is written as a new change and synced).
    fn sync_resolve(state, input: chaski_app::sync::SyncResolveInput) -> chaski_app::sync::SyncStatus {
        api::sync_resolve(state, input)
    }

    /// Changes of this device the server refused, with what each means and what to do.
    fn sync_rejections(state) -> Vec<chaski_app::sync::SyncRejection> {
        api::sync_rejections(state)
    }

}
