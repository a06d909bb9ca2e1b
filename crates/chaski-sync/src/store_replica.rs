//! [`Replica`] over the real local store (`chaski-store`): the outbox, the pull cursors, the
//! page apply and the number blocks all live in the app's SQLite file
//! (`chaski_store::replication`).

use std::sync::Arc;

use chaski_core::change::Change;
use chaski_store::Store;
use chaski_store::replication::{BlockInput, Rejection};
use chaski_store::write::Entity;
use uuid::Uuid;

use crate::client::{Replica, ReplicaError};
use crate::wire::{
    Conflict, EntryStatus, KIND_ATTENTION, MAX_BLOCK_SIZE, NumberBlock, PullPage, PushResponse,
    ReserveRequest,
};

/// Smallest block reserved for a year that has drafts but is not a wanted series (e.g.
/// drafts of December numbered in January).
const DRAFT_BLOCK_MIN: u32 = 10;

/// A number series this device keeps topped up: when fewer than `low_water` numbers are
/// left, a block of `block_size` is reserved at the next sync.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberWant {
    /// Document kind.
    pub kind: String,
    /// Year.
    pub year: i32,
    /// Reserve when fewer are left.
    pub low_water: u64,
    /// Block size.
    pub block_size: u32,
}

/// The app's store as a sync replica.
#[derive(Debug, Clone)]
pub struct StoreReplica {
    store: Arc<Store>,
    device_id: Uuid,
    unit_code: String,
    wants: Vec<NumberWant>,
}

impl StoreReplica {
    /// Wraps `store`; reads its device id and unit.
    pub fn new(store: Arc<Store>, wants: Vec<NumberWant>) -> Result<Self, ReplicaError> {
        let profile = store.profile()?;
        Ok(Self {
            device_id: profile.device_id.uuid(),
            unit_code: profile.unit.code.clone(),
            store,
            wants,
        })
    }

    /// The store.
    pub fn store(&self) -> &Arc<Store> {
        &self.store
    }
}

impl Replica for StoreReplica {
    fn device_id(&self) -> Uuid {
        self.device_id
    }

    fn last_device_seq(&mut self) -> Result<u64, ReplicaError> {
        Ok(self.store.outbox_stats()?.last_device_seq)
    }

    fn acked_seq(&mut self) -> Result<u64, ReplicaError> {
        Ok(self.store.sync_acked_seq()?)
    }

    fn pending(&mut self, after: u64, limit: usize) -> Result<Vec<Change>, ReplicaError> {
        let acked = self.store.sync_acked_seq()?;
        let limit = u32::try_from(limit).unwrap_or(u32::MAX);
        Ok(self.store.outbox_after(after.max(acked), limit)?)
    }

    fn acknowledge(&mut self, response: &PushResponse) -> Result<(), ReplicaError> {
        let rejected: Vec<Rejection> = response
            .results
            .iter()
            .filter(|r| r.status == EntryStatus::Rejected)
            .map(|r| Rejection {
                device_seq: r.device_seq,
                change_id: r.change_id,
                code: r.code.clone().unwrap_or_default(),
            })
            .collect();
        self.store
            .sync_acknowledge(response.last_acked_seq, &rejected)?;
        Ok(())
    }

    fn cursor(&mut self, unit: &str) -> Result<u64, ReplicaError> {
        Ok(self.store.sync_cursor(unit)?)
    }

    fn apply_page(&mut self, page: &PullPage) -> Result<(), ReplicaError> {
        let changes: Vec<(u64, Change)> = page
            .changes
            .iter()
            .map(|c| (c.server_seq, c.change.clone()))
            .collect();
        self.store
            .sync_apply_page(&page.unit, &changes, page.cursor)?;
        Ok(())
    }

    fn number_needs(&mut self) -> Result<Vec<ReserveRequest>, ReplicaError> {
        // Unnumbered drafts need numbers of their own year (any year, not only the wanted
        // ones), on top of the low-water mark of a wanted series.
        let drafts = self.store.sync_drafts_by_year()?;
        let mut wants = self.wants.clone();
        for (year, _) in &drafts {
            if !wants
                .iter()
                .any(|w| w.kind == KIND_ATTENTION && w.year == *year)
            {
                wants.push(NumberWant {
                    kind: KIND_ATTENTION.into(),
                    year: *year,
                    low_water: 0,
                    block_size: DRAFT_BLOCK_MIN,
                });
            }
        }
        let mut out = Vec::new();
        for w in &wants {
            let waiting = if w.kind == KIND_ATTENTION {
                drafts
                    .iter()
                    .find(|(y, _)| *y == w.year)
                    .map_or(0, |(_, n)| *n)
            } else {
                0
            };
            let left = self
                .store
                .block_numbers_left(&self.unit_code, &w.kind, w.year)?;
            let need = waiting.saturating_add(w.low_water);
            if left < need {
                let missing = need.saturating_sub(left);
                let count = u64::from(w.block_size)
                    .max(missing)
                    .min(u64::from(MAX_BLOCK_SIZE));
                out.push(ReserveRequest {
                    kind: w.kind.clone(),
                    year: w.year,
                    count: u32::try_from(count).unwrap_or(MAX_BLOCK_SIZE),
                });
            }
        }
        Ok(out)
    }

    fn add_block(&mut self, block: &NumberBlock) -> Result<(), ReplicaError> {
        self.store.sync_add_block(&BlockInput {
            block_id: block.block_id,
            unit_code: block.unit.clone(),
            kind: block.kind.clone(),
            year: block.year,
            first: block.first,
            last: block.last,
        })?;
        Ok(())
    }

    fn write_chosen_value(
        &mut self,
        conflict: &Conflict,
        value: &serde_json::Value,
    ) -> Result<bool, ReplicaError> {
        let Some(entity) = Entity::from_table(&conflict.entity) else {
            return Ok(false);
        };
        Ok(self.store.sync_write_chosen_value(
            entity,
            conflict.entity_id,
            &conflict.field,
            value,
        )?)
    }

    fn reset_device(&mut self, new_device_id: Uuid) -> Result<(), ReplicaError> {
        self.store.sync_reset_device(new_device_id)?;
        self.device_id = new_device_id;
        Ok(())
    }

    fn mark_enrolled(&mut self) -> Result<(), ReplicaError> {
        Ok(self.store.sync_mark_enrolled()?)
    }

    fn number_drafts(&mut self) -> Result<u64, ReplicaError> {
        Ok(self.store.sync_number_drafts()?)
    }

    fn round_completed(&mut self) -> Result<(), ReplicaError> {
        Ok(self.store.sync_mark_round_completed()?)
    }
}
