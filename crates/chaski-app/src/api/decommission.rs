//! Informes técnicos de baja and the warehouse (stock and its reviews).
//!
//! One function per command of the same name (see [`crate::api`]).

use crate::error::IpcError;
use crate::state::AppState;

pub fn decommission_causes(
    _state: &AppState,
) -> Result<Vec<crate::catalogs::CauseOption>, IpcError> {
    Ok(crate::catalogs::causes())
}

pub fn decommission_create(
    state: &AppState,
    input: chaski_core::operations::decommission::DecommissionReportInput,
) -> Result<chaski_core::operations::decommission::DecommissionReport, IpcError> {
    Ok(state.store()?.decommission_create(&input)?)
}

pub fn decommission_update(
    state: &AppState,
    id: chaski_core::ids::DecommissionReportId,
    input: chaski_core::operations::decommission::DecommissionReportInput,
) -> Result<chaski_core::operations::decommission::DecommissionReport, IpcError> {
    Ok(state.store()?.decommission_update(id, &input)?)
}

pub fn decommission_get(
    state: &AppState,
    id: chaski_core::ids::DecommissionReportId,
) -> Result<chaski_core::operations::decommission::DecommissionReport, IpcError> {
    Ok(state.store()?.decommission_get(id)?)
}

pub fn decommission_issue(
    state: &AppState,
    id: chaski_core::ids::DecommissionReportId,
) -> Result<chaski_core::operations::decommission::DecommissionReport, IpcError> {
    Ok(state.store()?.decommission_issue(id)?)
}

pub fn decommission_sign(
    state: &AppState,
    id: chaski_core::ids::DecommissionReportId,
) -> Result<chaski_core::operations::decommission::DecommissionReport, IpcError> {
    Ok(state.store()?.decommission_sign(id)?)
}

pub fn decommission_annul(
    state: &AppState,
    id: chaski_core::ids::DecommissionReportId,
    reason: String,
) -> Result<chaski_core::operations::decommission::DecommissionReport, IpcError> {
    Ok(state.store()?.decommission_annul(id, &reason)?)
}

pub fn decommission_list(
    state: &AppState,
    status: Option<chaski_core::document::DocStatus>,
) -> Result<Vec<chaski_core::operations::decommission::DecommissionReport>, IpcError> {
    Ok(state.store()?.decommission_list(status)?)
}

pub fn warehouse_stock(
    state: &AppState,
) -> Result<Vec<chaski_core::operations::warehouse::WarehouseEntry>, IpcError> {
    Ok(state.store()?.warehouse_stock()?)
}

pub fn warehouse_review_create(
    state: &AppState,
    input: chaski_core::operations::warehouse::WarehouseReviewInput,
) -> Result<chaski_core::operations::warehouse::WarehouseReview, IpcError> {
    Ok(state.store()?.warehouse_review_create(&input)?)
}

pub fn warehouse_reviews(
    state: &AppState,
) -> Result<Vec<chaski_core::operations::warehouse::WarehouseReview>, IpcError> {
    Ok(state.store()?.warehouse_reviews()?)
}

pub fn decommission_from_review(
    state: &AppState,
    id: chaski_core::ids::WarehouseReviewId,
) -> Result<chaski_core::operations::decommission::DecommissionReport, IpcError> {
    Ok(state.store()?.decommission_from_review(id)?)
}
