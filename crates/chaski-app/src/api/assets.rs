//! The asset register, cargos and traslados, the monthly movements and the inventory import.
//!
//! One function per command of the same name (see [`crate::api`]).

use crate::error::IpcError;
use crate::state::AppState;

pub fn asset_catalogs(_state: &AppState) -> Result<crate::catalogs::AssetCatalogs, IpcError> {
    Ok(crate::catalogs::AssetCatalogs::new())
}

pub fn assets_list(
    state: &AppState,
    filter: chaski_store::assets::AssetFilter,
    page: chaski_core::attention::Page,
) -> Result<chaski_store::assets::AssetPage, IpcError> {
    Ok(state.store()?.assets_list(&filter, page)?)
}

pub fn asset_sites(state: &AppState) -> Result<Vec<String>, IpcError> {
    Ok(state.store()?.asset_sites()?)
}

pub fn asset_detail(
    state: &AppState,
    id: chaski_core::ids::AssetId,
) -> Result<chaski_store::assets::AssetDetail, IpcError> {
    Ok(state.store()?.asset_detail(id)?)
}

pub fn asset_by_code(
    state: &AppState,
    code: String,
) -> Result<chaski_core::asset::Asset, IpcError> {
    Ok(state.store()?.asset_by_code(&code)?)
}

pub fn asset_create(
    state: &AppState,
    input: chaski_core::asset::AssetInput,
) -> Result<chaski_core::asset::Asset, IpcError> {
    Ok(state.store()?.asset_create(&input)?)
}

pub fn asset_update(
    state: &AppState,
    id: chaski_core::ids::AssetId,
    input: chaski_core::asset::AssetInput,
) -> Result<chaski_core::asset::Asset, IpcError> {
    Ok(state.store()?.asset_update(id, &input)?)
}

pub fn asset_register_baja(
    state: &AppState,
    id: chaski_core::ids::AssetId,
    reason: String,
) -> Result<chaski_core::asset::Asset, IpcError> {
    Ok(state.store()?.asset_register_baja(id, &reason)?)
}

pub fn asset_documents_list(
    state: &AppState,
    filter: chaski_store::assets::DocFilter,
) -> Result<Vec<chaski_store::assets::DocSummary>, IpcError> {
    Ok(state.store()?.documents_list(&filter)?)
}

pub fn assignment_create(
    state: &AppState,
    input: chaski_core::asset::AssignmentInput,
) -> Result<chaski_core::asset::Assignment, IpcError> {
    Ok(state.store()?.assignment_create(&input)?)
}

pub fn assignment_update(
    state: &AppState,
    id: chaski_core::ids::AssignmentId,
    input: chaski_core::asset::AssignmentInput,
) -> Result<chaski_core::asset::Assignment, IpcError> {
    Ok(state.store()?.assignment_update(id, &input)?)
}

pub fn assignment_get(
    state: &AppState,
    id: chaski_core::ids::AssignmentId,
) -> Result<chaski_core::asset::Assignment, IpcError> {
    Ok(state.store()?.assignment_get(id)?)
}

pub fn assignment_issue(
    state: &AppState,
    id: chaski_core::ids::AssignmentId,
) -> Result<chaski_core::asset::Assignment, IpcError> {
    Ok(state.store()?.assignment_issue(id)?)
}

pub fn assignment_sign(
    state: &AppState,
    id: chaski_core::ids::AssignmentId,
) -> Result<chaski_core::asset::Assignment, IpcError> {
    Ok(state.store()?.assignment_sign(id)?)
}

pub fn assignment_annul(
    state: &AppState,
    id: chaski_core::ids::AssignmentId,
    reason: String,
) -> Result<chaski_core::asset::Assignment, IpcError> {
    Ok(state.store()?.assignment_annul(id, &reason)?)
}

pub fn transfer_create(
    state: &AppState,
    input: chaski_core::asset::TransferInput,
) -> Result<chaski_core::asset::Transfer, IpcError> {
    Ok(state.store()?.transfer_create(&input)?)
}

pub fn transfer_update(
    state: &AppState,
    id: chaski_core::ids::TransferId,
    input: chaski_core::asset::TransferInput,
) -> Result<chaski_core::asset::Transfer, IpcError> {
    Ok(state.store()?.transfer_update(id, &input)?)
}

pub fn transfer_get(
    state: &AppState,
    id: chaski_core::ids::TransferId,
) -> Result<chaski_core::asset::Transfer, IpcError> {
    Ok(state.store()?.transfer_get(id)?)
}

pub fn transfer_issue(
    state: &AppState,
    id: chaski_core::ids::TransferId,
) -> Result<chaski_core::asset::Transfer, IpcError> {
    Ok(state.store()?.transfer_issue(id)?)
}

pub fn transfer_sign(
    state: &AppState,
    id: chaski_core::ids::TransferId,
) -> Result<chaski_core::asset::Transfer, IpcError> {
    Ok(state.store()?.transfer_sign(id)?)
}

pub fn transfer_annul(
    state: &AppState,
    id: chaski_core::ids::TransferId,
    reason: String,
) -> Result<chaski_core::asset::Transfer, IpcError> {
    Ok(state.store()?.transfer_annul(id, &reason)?)
}

pub fn monthly_movements(
    state: &AppState,
    year: i32,
    month: u32,
) -> Result<chaski_store::assets::MonthlyMovements, IpcError> {
    Ok(state.store()?.monthly_movements(year, month)?)
}

pub fn monthly_movements_export(
    state: &AppState,
    year: i32,
    month: u32,
    path: String,
) -> Result<String, IpcError> {
    crate::reports::write_monthly_csv(&*state.store()?, year, month, &path)
}

pub fn inventory_preview(
    state: &AppState,
    path: String,
) -> Result<crate::inventory::InventoryPreview, IpcError> {
    let store = state.store()?;
    state.inventory.preview(&store, &path, &mut |p| {
        state.emit(crate::events::INVENTORY_PROGRESS, &p)
    })
}

pub fn inventory_apply(
    state: &AppState,
) -> Result<chaski_store::inventory_import::ImportSummary, IpcError> {
    let store = state.store()?;
    state.inventory.apply(&store, &mut |p| {
        state.emit(crate::events::INVENTORY_PROGRESS, &p)
    })
}

pub fn inventory_discard(state: &AppState) -> Result<bool, IpcError> {
    Ok(state.inventory.discard())
}
