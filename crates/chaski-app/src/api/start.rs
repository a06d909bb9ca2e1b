//! Start-up: where the app is, the first-run setup, the demo data and the reference catalogs.
//!
//! One function per command of the same name (see [`crate::api`]).

use crate::error::IpcError;
use crate::state::AppState;
use crate::state::AppStatus;

pub fn app_status(state: &AppState) -> Result<AppStatus, IpcError> {
    state.status()
}

pub fn setup_units(_state: &AppState) -> Result<Vec<chaski_core::unit::Unit>, IpcError> {
    Ok(chaski_store::Store::seeded_units()?)
}

pub fn app_setup(state: &AppState, input: chaski_store::SetupInput) -> Result<AppStatus, IpcError> {
    state.set_up(&input)
}

pub fn app_load_demo(state: &AppState) -> Result<chaski_store::DemoSummary, IpcError> {
    state.load_demo()
}

pub fn reference_data(state: &AppState) -> Result<chaski_store::ReferenceData, IpcError> {
    Ok(state.store()?.reference_data()?)
}
