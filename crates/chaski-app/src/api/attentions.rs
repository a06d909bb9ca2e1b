//! People and the attention register: the directory, attentions and their status machine.
//!
//! One function per command of the same name (see [`crate::api`]).

use crate::error::IpcError;
use crate::state::AppState;

pub fn technicians_list(
    state: &AppState,
) -> Result<Vec<chaski_core::person::Technician>, IpcError> {
    Ok(state.store()?.technicians_list()?)
}

pub fn persons_search(
    state: &AppState,
    query: String,
    limit: u32,
) -> Result<Vec<chaski_core::person::Person>, IpcError> {
    Ok(state.store()?.persons_search(&query, limit)?)
}

pub fn person_create(
    state: &AppState,
    input: chaski_core::person::NewPerson,
) -> Result<chaski_core::person::Person, IpcError> {
    Ok(state.store()?.person_create(&input)?)
}

pub fn attentions_list(
    state: &AppState,
    filter: chaski_core::attention::AttentionFilter,
    page: chaski_core::attention::Page,
) -> Result<chaski_core::attention::AttentionPage, IpcError> {
    Ok(state.store()?.attentions_list(&filter, page)?)
}

pub fn attention_get(
    state: &AppState,
    id: chaski_core::ids::AttentionId,
) -> Result<chaski_core::attention::AttentionDetail, IpcError> {
    Ok(state.store()?.attention_get(id)?)
}

pub fn attention_create(
    state: &AppState,
    input: chaski_core::attention::AttentionInput,
) -> Result<chaski_core::attention::AttentionDetail, IpcError> {
    Ok(state.store()?.attention_create(&input)?)
}

pub fn attention_update(
    state: &AppState,
    id: chaski_core::ids::AttentionId,
    input: chaski_core::attention::AttentionInput,
) -> Result<chaski_core::attention::AttentionDetail, IpcError> {
    Ok(state.store()?.attention_update(id, &input)?)
}

pub fn attention_transition(
    state: &AppState,
    id: chaski_core::ids::AttentionId,
    transition: chaski_core::status::Transition,
) -> Result<chaski_core::attention::AttentionDetail, IpcError> {
    Ok(state.store()?.attention_transition(id, &transition)?)
}

pub fn attention_escalate(
    state: &AppState,
    id: chaski_core::ids::AttentionId,
    input: chaski_core::status::EscalationInput,
) -> Result<chaski_core::attention::AttentionDetail, IpcError> {
    Ok(state.store()?.attention_escalate(id, &input)?)
}

pub fn attention_conformity(
    state: &AppState,
    id: chaski_core::ids::AttentionId,
    input: chaski_core::status::ConformityInput,
) -> Result<chaski_core::attention::AttentionDetail, IpcError> {
    Ok(state.store()?.attention_set_conformity(id, &input)?)
}
