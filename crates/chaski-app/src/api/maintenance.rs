//! Maintenance plans, records and verifications; escalations to providers.
//!
//! One function per command of the same name (see [`crate::api`]).

use crate::error::IpcError;
use crate::state::AppState;

pub fn maintenance_catalogs(
    _state: &AppState,
) -> Result<crate::maintenance::MaintenanceCatalogs, IpcError> {
    Ok(crate::maintenance::MaintenanceCatalogs::new())
}

pub fn maintenance_plans(
    state: &AppState,
) -> Result<Vec<chaski_core::operations::maintenance::MaintenancePlan>, IpcError> {
    Ok(state.store()?.maintenance_plans()?)
}

pub fn maintenance_plan_set(
    state: &AppState,
    input: chaski_core::operations::maintenance::MaintenancePlanInput,
) -> Result<chaski_core::operations::maintenance::MaintenancePlan, IpcError> {
    Ok(state.store()?.maintenance_plan_set(&input)?)
}

pub fn maintenance_calendar(
    state: &AppState,
    filter: chaski_store::operations::MaintenanceFilter,
) -> Result<crate::maintenance::MaintenanceCalendar, IpcError> {
    crate::maintenance::calendar(&*state.store()?, &filter)
}

pub fn maintenance_create(
    state: &AppState,
    input: chaski_core::operations::maintenance::MaintenanceInput,
) -> Result<chaski_core::operations::maintenance::MaintenanceRecord, IpcError> {
    Ok(state.store()?.maintenance_create(&input)?)
}

pub fn maintenance_get(
    state: &AppState,
    id: chaski_core::ids::MaintenanceId,
) -> Result<chaski_core::operations::maintenance::MaintenanceRecord, IpcError> {
    Ok(state.store()?.maintenance_get(id)?)
}

pub fn maintenances_of_asset(
    state: &AppState,
    asset: chaski_core::ids::AssetId,
) -> Result<Vec<chaski_core::operations::maintenance::MaintenanceRecord>, IpcError> {
    Ok(state.store()?.maintenances_of_asset(asset)?)
}

pub fn maintenances_unverified(
    state: &AppState,
) -> Result<Vec<chaski_core::operations::maintenance::MaintenanceRecord>, IpcError> {
    Ok(state.store()?.maintenances_unverified()?)
}

pub fn maintenance_verify(
    state: &AppState,
    id: chaski_core::ids::MaintenanceId,
    input: chaski_core::operations::maintenance::MaintenanceVerificationInput,
) -> Result<chaski_core::operations::maintenance::MaintenanceRecord, IpcError> {
    Ok(state.store()?.maintenance_verify(id, &input)?)
}

pub fn maintenance_attach_report(
    state: &AppState,
    id: chaski_core::ids::MaintenanceId,
    path: String,
) -> Result<chaski_core::operations::maintenance::MaintenanceRecord, IpcError> {
    crate::maintenance::attach_report(&*state.store()?, id, &path)
}

pub fn maintenance_report_open(
    state: &AppState,
    id: chaski_core::ids::MaintenanceId,
) -> Result<crate::files::OpenOutcome, IpcError> {
    crate::maintenance::open_report(&*state.store()?, state.data_dir(), id, state.viewer())
}

pub fn provider_escalation_create(
    state: &AppState,
    input: chaski_core::operations::provider::ProviderEscalationInput,
) -> Result<crate::maintenance::ProviderEscalationView, IpcError> {
    Ok(state.store()?.provider_escalation_create(&input)?.into())
}

pub fn provider_escalations(
    state: &AppState,
    filter: chaski_store::operations::ProviderEscalationFilter,
) -> Result<Vec<crate::maintenance::ProviderEscalationView>, IpcError> {
    let list = state.store()?.provider_escalations(&filter)?;
    Ok(list.into_iter().map(Into::into).collect())
}

pub fn provider_escalation_complete(
    state: &AppState,
    id: chaski_core::ids::ProviderEscalationId,
    input: crate::maintenance::EscalationCompletion,
) -> Result<crate::maintenance::ProviderEscalationView, IpcError> {
    let store = state.store()?;
    Ok(store
        .provider_escalation_complete(id, input.completed_at, &input.completion_note)?
        .into())
}

pub fn provider_escalation_conformity(
    state: &AppState,
    id: chaski_core::ids::ProviderEscalationId,
    input: crate::maintenance::EscalationConformity,
) -> Result<crate::maintenance::ProviderEscalationView, IpcError> {
    let store = state.store()?;
    Ok(store
        .provider_escalation_conformity(id, input.accepted, input.remark.as_deref())?
        .into())
}
