//! Every Tauri command, declared once.
//!
//! The `commands!` macro takes each command's signature and body and produces three things from
//! that single declaration: the `#[tauri::command]` function (its body runs on a blocking
//! thread, so a slow query never freezes the window), the [`handler`] that registers all of
//! them, and the [`specs`] the bindings generator turns into `ui/src/lib/backend/bindings.ts`.
//! A command body only unpacks arguments and calls the store: the rules live in the core.

use std::sync::Arc;

use crate::bindings::{ArgSpec, CommandSpec};
use crate::error::IpcError;
use crate::state::{AppState, AppStatus};

macro_rules! commands {
    ($(
        $(#[doc = $doc:literal])*
        fn $name:ident($state:tt $(, $arg:ident : $ty:ty)* $(,)?) -> $ret:ty $body:block
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
                .await?
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
    /// Where the app is: first-run setup pending, ready (with the profile), or the database
    /// file refused at start (with the reason and what to do).
    fn app_status(state) -> AppStatus {
        state.status()
    }

    /// The unit list for the first-run setup (from the same migrations; no file is needed).
    fn setup_units(_) -> Vec<chaski_core::unit::Unit> {
        Ok(chaski_store::Store::seeded_units()?)
    }

    /// First run: creates the local database for the chosen unit and technician.
    fn app_setup(state, input: chaski_store::SetupInput) -> AppStatus {
        state.set_up(&input)
    }

    /// Loads the synthetic demo data set (a year of attentions) into the open database.
    fn app_load_demo(state) -> chaski_store::DemoSummary {
        state.load_demo()
    }

    /// The catalogs every form needs: units, service categories and services, channels, kinds,
    /// statuses, priorities and escalation levels.
    fn reference_data(state) -> chaski_store::ReferenceData {
        Ok(state.store()?.reference_data()?)
    }

    /// The technicians of the unit (personal de soporte), for the assignment and the filter.
    fn technicians_list(state) -> Vec<chaski_core::person::Technician> {
        Ok(state.store()?.technicians_list()?)
    }

    /// The contacts directory, searched as you type by name, DNI or email; at most `limit`.
    fn persons_search(state, query: String, limit: u32) -> Vec<chaski_core::person::Person> {
        Ok(state.store()?.persons_search(&query, limit)?)
    }

    /// Registers a person; a DNI already registered is refused with the existing person.
    fn person_create(state, input: chaski_core::person::NewPerson) -> chaski_core::person::Person {
        Ok(state.store()?.person_create(&input)?)
    }

    /// One page of the attention register, newest first, filtered and searched.
    fn attentions_list(
        state,
        filter: chaski_core::attention::AttentionFilter,
        page: chaski_core::attention::Page,
    ) -> chaski_core::attention::AttentionPage {
        Ok(state.store()?.attentions_list(&filter, page)?)
    }

    /// One attention, with its escalation history.
    fn attention_get(state, id: chaski_core::ids::AttentionId) -> chaski_core::attention::AttentionDetail {
        Ok(state.store()?.attention_get(id)?)
    }

    /// Registers a new attention (its N° is given by the store: per unit and year).
    fn attention_create(state, input: chaski_core::attention::AttentionInput) -> chaski_core::attention::AttentionDetail {
        Ok(state.store()?.attention_create(&input)?)
    }

    /// Saves the editable fields of an attention.
    fn attention_update(
        state,
        id: chaski_core::ids::AttentionId,
        input: chaski_core::attention::AttentionInput,
    ) -> chaski_core::attention::AttentionDetail {
        Ok(state.store()?.attention_update(id, &input)?)
    }

    /// Moves an attention through its status machine (start, resolve, reopen, escalate); the
    /// core refuses what the rules do not allow.
    fn attention_transition(
        state,
        id: chaski_core::ids::AttentionId,
        transition: chaski_core::status::Transition,
    ) -> chaski_core::attention::AttentionDetail {
        Ok(state.store()?.attention_transition(id, &transition)?)
    }

    /// Changes the escalation level (1–5) with a reason; each change is kept with who and when.
    fn attention_escalate(
        state,
        id: chaski_core::ids::AttentionId,
        input: chaski_core::status::EscalationInput,
    ) -> chaski_core::attention::AttentionDetail {
        Ok(state.store()?.attention_escalate(id, &input)?)
    }

    /// Records the requester's conformity (yes/no, when, remark) on an Atendido attention.
    fn attention_conformity(
        state,
        id: chaski_core::ids::AttentionId,
        input: chaski_core::status::ConformityInput,
    ) -> chaski_core::attention::AttentionDetail {
        Ok(state.store()?.attention_set_conformity(id, &input)?)
    }

    // --- diagnostics (issue 6)

    /// The closed lists of the diagnostic form: test outcomes, results, recommendations,
    /// warranty states, formatting steps, formattable kinds and the 60-minute threshold.
    fn diagnostic_catalogs(_) -> crate::diagnostics::DiagnosticCatalogs {
        Ok(crate::diagnostics::DiagnosticCatalogs::new())
    }

    /// The tests of the diagnostic checklist of an asset kind, in order, each marked essential
    /// when its failure makes the asset inoperative.
    fn checklist_for(_, kind: chaski_core::asset::AssetKind) -> Vec<crate::diagnostics::ChecklistEntry> {
        Ok(crate::diagnostics::checklist(kind))
    }

    /// Records a diagnostic (or a correction of the asset's latest one, with `corrects`); its
    /// result sets the asset's operability through an asset event.
    fn diagnostic_create(
        state,
        input: chaski_core::operations::diagnostic::DiagnosticInput,
    ) -> chaski_core::operations::diagnostic::Diagnostic {
        Ok(state.store()?.diagnostic_create(&input)?)
    }

    /// One diagnostic, with what its ficha prints and the diagnostic that corrected it, if any.
    fn diagnostic_get(
        state,
        id: chaski_core::ids::DiagnosticId,
    ) -> chaski_core::operations::diagnostic::Diagnostic {
        Ok(state.store()?.diagnostic_get(id)?)
    }

    /// The diagnostics of an asset, newest first (corrected ones included).
    fn diagnostics_of_asset(
        state,
        asset: chaski_core::ids::AssetId,
    ) -> Vec<chaski_core::operations::diagnostic::Diagnostic> {
        Ok(state.store()?.diagnostics_of_asset(asset)?)
    }

    /// The unit's attention with this N° (`N° 045-2026`, `45-2026`), to link it to a diagnostic.
    fn attention_by_number(state, number: String) -> chaski_core::attention::Attention {
        Ok(state.store()?.attention_by_number(&number)?)
    }

    // --- documents (issue 4): add document commands below this line ---

    /// "Generar PDF": renders the register of a period, a cargo or a traslado with the
    /// handwritten signatures drawn on screen, and stores it as version 1 of a new document.
    fn document_render(state, input: crate::documents::DocumentRequest) -> chaski_store::documents::GeneratedDocument {
        crate::documents::render(&*state.store()?, &input)
    }

    /// Every version of every document generated from a cargo, a traslado or a period's
    /// register, oldest first.
    fn documents_of(state, source: crate::documents::DocumentSource) -> Vec<chaski_store::documents::GeneratedDocument> {
        crate::documents::versions(&*state.store()?, &source)
    }

    /// "Firmar digitalmente": signs the version with a PFX file (typed or remembered
    /// password) and stores the signed file as the next version; the earlier bytes never change.
    fn document_sign(state, input: crate::documents::SignRequest) -> crate::documents::SignOutcome {
        crate::documents::sign(&*state.store()?, &input)
    }

    /// The digital signatures of a stored version, checked against the unit's trusted roots.
    fn document_signatures(state, id: uuid::Uuid) -> Vec<chaski_docs::SignatureReport> {
        crate::documents::signatures_of(&*state.store()?, state.data_dir(), id)
    }

    /// "Verificar PDF": the digital signatures of any PDF file.
    fn document_verify(state, path: String) -> Vec<chaski_docs::SignatureReport> {
        crate::documents::verify_file(state.data_dir(), &path)
    }

    /// "Imprimir": writes a copy under the data folder and opens it in the system viewer.
    fn document_open(state, id: uuid::Uuid) -> crate::documents::OpenOutcome {
        crate::documents::open(&*state.store()?, state.data_dir(), id)
    }

    /// "Guardar como…": writes the version's bytes to the path chosen in the save dialog.
    fn document_save_as(state, id: uuid::Uuid, path: String) -> () {
        crate::documents::save_as(&*state.store()?, id, &path)
    }

    /// Whether the system keyring answers: the sign dialog offers "Recordar contraseña" only then.
    fn keyring_status(_) -> bool {
        Ok(crate::secrets::CertificatePasswords::available().is_ok())
    }

    /// A chosen PFX file: its fingerprint and whether its password is remembered.
    fn certificate_file(_, path: String) -> crate::documents::CertificateFile {
        crate::documents::certificate_file(&path)
    }

    /// Forgets the remembered password of a PFX file (by its fingerprint); `false` if none was kept.
    fn certificate_password_forget(_, fingerprint: String) -> bool {
        Ok(crate::secrets::CertificatePasswords::forget(&fingerprint)?)
    }

    /// The root certificates the unit trusts when verifying signatures.
    fn trusted_roots_list(state) -> Vec<crate::documents::TrustedRoot> {
        crate::documents::trusted_roots(state.data_dir())
    }

    /// Adds a root CA certificate file (.cer, .crt, .der or .pem) to the trusted roots.
    fn trusted_root_add(state, path: String) -> Vec<crate::documents::TrustedRoot> {
        crate::documents::trusted_root_add(state.data_dir(), &path)
    }

    /// Removes a trusted root by its SHA-256.
    fn trusted_root_remove(state, sha256: String) -> Vec<crate::documents::TrustedRoot> {
        crate::documents::trusted_root_remove(state.data_dir(), &sha256)
    }


    // --- assets (issue 3): add asset, cargo, traslado and import commands below this line ---

    /// The closed lists of the asset forms: kinds, SBN conditions (N/B/R/M/X), operability.
    fn asset_catalogs(_) -> crate::assets::AssetCatalogs {
        Ok(crate::assets::AssetCatalogs::new())
    }

    /// One page of the asset register, ordered by código patrimonial: filtered (kind, site,
    /// custodian, condition, operability, status, warehouse) and searched (code, serial,
    /// brand, model, denomination, custodian's name or DNI).
    fn assets_list(
        state,
        filter: chaski_store::assets::AssetFilter,
        page: chaski_core::attention::Page,
    ) -> chaski_store::assets::AssetPage {
        Ok(state.store()?.assets_list(&filter, page)?)
    }

    /// The sites (sedes) the register knows, for the site filter and the traslado form.
    fn asset_sites(state) -> Vec<String> {
        Ok(state.store()?.asset_sites()?)
    }

    /// An asset's page: the asset, its whole history (every event, with custodian and
    /// technician names), the documents that moved it, and its attentions.
    fn asset_detail(state, id: chaski_core::ids::AssetId) -> chaski_store::assets::AssetDetail {
        Ok(state.store()?.asset_detail(id)?)
    }

    /// The asset with this código patrimonial (spaces, dots and dashes ignored).
    fn asset_by_code(state, code: String) -> chaski_core::asset::Asset {
        Ok(state.store()?.asset_by_code(&code)?)
    }

    /// Alta of an asset entered by hand; its custody at the alta becomes its first event.
    fn asset_create(state, input: chaski_core::asset::AssetInput) -> chaski_core::asset::Asset {
        Ok(state.store()?.asset_create(&input)?)
    }

    /// Saves an asset's descriptive fields. Custodian, site and office are not taken from the
    /// input: they change only through signed cargos and traslados.
    fn asset_update(
        state,
        id: chaski_core::ids::AssetId,
        input: chaski_core::asset::AssetInput,
    ) -> chaski_core::asset::Asset {
        Ok(state.store()?.asset_update(id, &input)?)
    }

    /// Interim baja with its reason, until the informe técnico de baja exists (final).
    fn asset_register_baja(
        state,
        id: chaski_core::ids::AssetId,
        reason: String,
    ) -> chaski_core::asset::Asset {
        Ok(state.store()?.asset_register_baja(id, &reason)?)
    }

    /// Cargos and traslados, newest first, by kind and status.
    fn documents_list(
        state,
        filter: chaski_store::assets::DocFilter,
    ) -> Vec<chaski_store::assets::DocSummary> {
        Ok(state.store()?.documents_list(&filter)?)
    }

    /// A new cargo de asignación, as a draft (no number, no effect).
    fn assignment_create(
        state,
        input: chaski_core::asset::AssignmentInput,
    ) -> chaski_core::asset::Assignment {
        Ok(state.store()?.assignment_create(&input)?)
    }

    /// Saves a draft cargo; an issued, signed or annulled one is refused.
    fn assignment_update(
        state,
        id: chaski_core::ids::AssignmentId,
        input: chaski_core::asset::AssignmentInput,
    ) -> chaski_core::asset::Assignment {
        Ok(state.store()?.assignment_update(id, &input)?)
    }

    /// One cargo, with everything its printed form needs.
    fn assignment_get(
        state,
        id: chaski_core::ids::AssignmentId,
    ) -> chaski_core::asset::Assignment {
        Ok(state.store()?.assignment_get(id)?)
    }

    /// Issues a draft cargo: gives it its N° (per unit and year) and freezes it.
    fn assignment_issue(
        state,
        id: chaski_core::ids::AssignmentId,
    ) -> chaski_core::asset::Assignment {
        Ok(state.store()?.assignment_issue(id)?)
    }

    /// Records that both people signed an issued cargo: it becomes immutable and its
    /// withdrawals and assignments are appended to the assets' history.
    fn assignment_sign(
        state,
        id: chaski_core::ids::AssignmentId,
    ) -> chaski_core::asset::Assignment {
        Ok(state.store()?.assignment_sign(id)?)
    }

    /// Annuls a draft or issued cargo with a reason; its number is never reused.
    fn assignment_annul(
        state,
        id: chaski_core::ids::AssignmentId,
        reason: String,
    ) -> chaski_core::asset::Assignment {
        Ok(state.store()?.assignment_annul(id, &reason)?)
    }

    /// A new traslado between sites, as a draft.
    fn transfer_create(
        state,
        input: chaski_core::asset::TransferInput,
    ) -> chaski_core::asset::Transfer {
        Ok(state.store()?.transfer_create(&input)?)
    }

    /// Saves a draft traslado.
    fn transfer_update(
        state,
        id: chaski_core::ids::TransferId,
        input: chaski_core::asset::TransferInput,
    ) -> chaski_core::asset::Transfer {
        Ok(state.store()?.transfer_update(id, &input)?)
    }

    /// One traslado.
    fn transfer_get(state, id: chaski_core::ids::TransferId) -> chaski_core::asset::Transfer {
        Ok(state.store()?.transfer_get(id)?)
    }

    /// Issues a draft traslado (numbered, frozen).
    fn transfer_issue(state, id: chaski_core::ids::TransferId) -> chaski_core::asset::Transfer {
        Ok(state.store()?.transfer_issue(id)?)
    }

    /// Records the signatures of an issued traslado: the assets move to the destination.
    fn transfer_sign(state, id: chaski_core::ids::TransferId) -> chaski_core::asset::Transfer {
        Ok(state.store()?.transfer_sign(id)?)
    }

    /// Annuls a draft or issued traslado with a reason.
    fn transfer_annul(
        state,
        id: chaski_core::ids::TransferId,
        reason: String,
    ) -> chaski_core::asset::Transfer {
        Ok(state.store()?.transfer_annul(id, &reason)?)
    }

    /// For Patrimonio: every asset moved by a cargo or traslado signed in the month (Lima).
    fn monthly_movements(
        state,
        year: i32,
        month: u32,
    ) -> chaski_store::assets::MonthlyMovements {
        Ok(state.store()?.monthly_movements(year, month)?)
    }

    /// Saves the month's consolidated list as CSV (UTF-8, opens in Excel) at `path`.
    fn monthly_movements_export(state, year: i32, month: u32, path: String) -> String {
        crate::assets::write_monthly_csv(&*state.store()?, year, month, &path)
    }

    /// Import, phase 1: reads the SBN/SIGA inventory sheet (.xlsx or .csv) at `path` and checks
    /// every row against the register; writes nothing. Progress arrives as
    /// `inventory-progress` events. The result is kept until it is confirmed or discarded.
    fn inventory_preview(state, path: String) -> crate::assets::InventoryPreview {
        let store = state.store()?;
        state.inventory.preview(&store, &path, &mut |p| {
            state.emit(crate::assets::PROGRESS_EVENT, &p)
        })
    }

    /// Import, phase 2: writes the previewed file in one transaction, everything or nothing
    /// (refused if the preview had any error row). Progress as `inventory-progress` events.
    fn inventory_apply(state) -> chaski_store::inventory_import::ImportSummary {
        let store = state.store()?;
        state
            .inventory
            .apply(&store, &mut |p| state.emit(crate::assets::PROGRESS_EVENT, &p))
    }

    /// Drops the previewed file without writing anything; `true` if there was one.
    fn inventory_discard(state) -> bool {
        Ok(state.inventory.discard())
    }


    // --- sync (issue 5): add sync commands below this line ---

    /// Sync with the central server: configuration, enrolment, pending changes, progress,
    /// last success and last error (also sent as the event `sync:status` on every change).
    fn sync_status(state) -> crate::sync::SyncStatus {
        Ok(state.sync().status(state.store().ok()))
    }

    /// Saves the server address (and optional CA certificate file) and syncs with it now.
    fn sync_configure(state, input: crate::sync::SyncConfigInput) -> crate::sync::SyncStatus {
        state.sync().configure(&input)?;
        Ok(state.sync().status(state.store().ok()))
    }

    /// Enrols this device with a one-time code from the administrator; the device token goes
    /// to the OS keyring. Then syncs.
    fn sync_enroll(state, input: crate::sync::SyncEnrollInput) -> crate::sync::SyncStatus {
        let store = state.store()?;
        let name = crate::sync::default_device_name(&store)?;
        state.sync().enroll(&input, &name, false)?;
        Ok(state.sync().status(Some(store)))
    }

    /// Enrols again with a new code after a restored backup, a cloned disk or a revoked
    /// device: this database takes a new device id, keeps its data, and its unsent changes are
    /// sent again under the new id.
    fn sync_reenroll(state, input: crate::sync::SyncEnrollInput) -> crate::sync::SyncStatus {
        let store = state.store()?;
        let name = crate::sync::default_device_name(&store)?;
        state.sync().enroll(&input, &name, true)?;
        Ok(state.sync().status(Some(store)))
    }

    /// Syncs now (a round waiting to retry is dropped and started again at once).
    fn sync_now(state) -> crate::sync::SyncStatus {
        state.sync().sync_now()?;
        Ok(state.sync().status(state.store().ok()))
    }

    /// The unresolved conflicts of this unit, from the server: both values of each field.
    fn sync_conflicts(state) -> Vec<crate::sync::SyncConflict> {
        state.sync().conflicts()
    }

    /// Keeps one value of a conflict (the other one is written as a new change and synced).
    fn sync_resolve(state, input: crate::sync::SyncResolveInput) -> crate::sync::SyncStatus {
        state.sync().resolve(input)?;
        Ok(state.sync().status(state.store().ok()))
    }

    /// Changes of this device the server refused, with what each means and what to do.
    fn sync_rejections(state) -> Vec<crate::sync::SyncRejection> {
        crate::sync::rejections(&*state.store()?)
    }


}
