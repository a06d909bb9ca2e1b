//! Diagnostics of assets and the lookup of an attention by its number.
//!
//! One function per command of the same name (see [`crate::api`]).

use crate::error::IpcError;
use crate::state::AppState;

pub fn diagnostic_catalogs(
    _state: &AppState,
) -> Result<crate::catalogs::DiagnosticCatalogs, IpcError> {
    Ok(crate::catalogs::DiagnosticCatalogs::new())
}

pub fn checklist_for(
    _state: &AppState,
    kind: chaski_core::asset::AssetKind,
) -> Result<Vec<crate::catalogs::ChecklistEntry>, IpcError> {
    Ok(crate::catalogs::checklist(kind))
}

pub fn diagnostic_create(
    state: &AppState,
    input: chaski_core::operations::diagnostic::DiagnosticInput,
) -> Result<chaski_core::operations::diagnostic::Diagnostic, IpcError> {
    Ok(state.store()?.diagnostic_create(&input)?)
}

pub fn diagnostic_get(
    state: &AppState,
    id: chaski_core::ids::DiagnosticId,
) -> Result<chaski_core::operations::diagnostic::Diagnostic, IpcError> {
    Ok(state.store()?.diagnostic_get(id)?)
}

pub fn diagnostics_of_asset(
    state: &AppState,
    asset: chaski_core::ids::AssetId,
) -> Result<Vec<chaski_core::operations::diagnostic::Diagnostic>, IpcError> {
    Ok(state.store()?.diagnostics_of_asset(asset)?)
}

pub fn attention_by_number(
    state: &AppState,
    number: String,
) -> Result<chaski_core::attention::Attention, IpcError> {
    Ok(state.store()?.attention_by_number(&number)?)
}
