//! Sync with the central server: configuration, enrolment, status, conflicts and refusals.
//!
//! One function per command of the same name (see [`crate::api`]).

use crate::error::IpcError;
use crate::state::AppState;

pub fn sync_status(state: &AppState) -> Result<crate::sync::SyncStatus, IpcError> {
    Ok(state.sync().status(state.store().ok()))
}

pub fn sync_configure(
    state: &AppState,
    input: crate::sync::SyncConfigInput,
) -> Result<crate::sync::SyncStatus, IpcError> {
    state.sync().configure(&input)?;
    Ok(state.sync().status(state.store().ok()))
}

pub fn sync_enroll(
    state: &AppState,
    input: crate::sync::SyncEnrollInput,
) -> Result<crate::sync::SyncStatus, IpcError> {
    let store = state.store()?;
    let name = crate::sync::default_device_name(&store)?;
    state.sync().enroll(&input, &name, false)?;
    Ok(state.sync().status(Some(store)))
}

pub fn sync_reenroll(
    state: &AppState,
    input: crate::sync::SyncEnrollInput,
) -> Result<crate::sync::SyncStatus, IpcError> {
    let store = state.store()?;
    let name = crate::sync::default_device_name(&store)?;
    state.sync().enroll(&input, &name, true)?;
    Ok(state.sync().status(Some(store)))
}

pub fn sync_now(state: &AppState) -> Result<crate::sync::SyncStatus, IpcError> {
    state.sync().sync_now()?;
    Ok(state.sync().status(state.store().ok()))
}

pub fn sync_conflicts(state: &AppState) -> Result<Vec<crate::sync::SyncConflict>, IpcError> {
    state.sync().conflicts()
}

pub fn sync_resolve(
    state: &AppState,
    input: crate::sync::SyncResolveInput,
) -> Result<crate::sync::SyncStatus, IpcError> {
    state.sync().resolve(input)?;
    Ok(state.sync().status(state.store().ok()))
}

pub fn sync_rejections(state: &AppState) -> Result<Vec<crate::sync::SyncRejection>, IpcError> {
    crate::sync::rejections(&*state.store()?)
}
