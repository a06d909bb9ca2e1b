//! Escalations to third-party providers: record, completion, conformity after 24 hours; a
//! *no conforme* opens the next escalation to the same provider (seed 001 act. 9 → 8).

use chaski_core::error::Error as DomainError;
use chaski_core::ids::{AssetId, ProviderEscalationId};
use chaski_core::operations::provider::{
    EscalationMeans, ProviderEscalation, ProviderEscalationInput,
};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{coded, opt_id};
use crate::assets::asset_by_id;
use crate::assets::documents::touch;
use crate::codec::{parse_id, parse_ts, parse_ts_opt, ts};
use crate::error::Result;
use crate::write::{Entity, Writer};
use crate::{Store, fields};

const SELECT: &str = "SELECT id, unit_code, attention_id, diagnostic_id, maintenance_id, asset_id, provider, contact, means, \
escalated_at, description, provider_ticket, technician_id, completed_at, completion_note, conformity_at, \
conformity_accepted, conformity_remark, created_at, updated_at FROM provider_escalation";

fn read(r: &Row<'_>) -> Result<ProviderEscalation> {
    Ok(ProviderEscalation {
        id: parse_id(&r.get::<_, String>(0)?)?,
        unit_code: r.get(1)?,
        attention_id: opt_id(r, 2)?,
        diagnostic_id: opt_id(r, 3)?,
        maintenance_id: opt_id(r, 4)?,
        asset_id: opt_id(r, 5)?,
        provider: r.get(6)?,
        contact: r.get(7)?,
        means: coded(&r.get::<_, String>(8)?, EscalationMeans::parse, "medio")?,
        escalated_at: parse_ts(&r.get::<_, String>(9)?)?,
        description: r.get(10)?,
        provider_ticket: r.get(11)?,
        technician_id: parse_id(&r.get::<_, String>(12)?)?,
        completed_at: parse_ts_opt(r.get(13)?)?,
        completion_note: r.get(14)?,
        conformity_at: parse_ts_opt(r.get(15)?)?,
        conformity_accepted: r.get(16)?,
        conformity_remark: r.get(17)?,
        created_at: parse_ts(&r.get::<_, String>(18)?)?,
        updated_at: parse_ts(&r.get::<_, String>(19)?)?,
    })
}

fn query(
    c: &Connection,
    where_sql: &str,
    params: &[&dyn rusqlite::ToSql],
) -> Result<Vec<ProviderEscalation>> {
    let mut st = c.prepare_cached(&format!("{SELECT} {where_sql}"))?;
    let mut rows = st.query(params)?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(read(r)?);
    }
    Ok(out)
}

fn escalation(c: &Connection, id: ProviderEscalationId) -> Result<ProviderEscalation> {
    query(c, "WHERE id = ?1", &[&id.to_string()])?
        .pop()
        .ok_or_else(|| DomainError::not_found("el escalamiento al proveedor").into())
}

fn exists(c: &Connection, table: &str, id: String, what: &str) -> Result<()> {
    let found: i64 = c.query_row(
        &format!("SELECT count(*) FROM {table} WHERE id = ?1"),
        [id],
        |r| r.get(0),
    )?;
    if found == 0 {
        return Err(DomainError::not_found(what).into());
    }
    Ok(())
}

/// Validates and inserts an escalation (also used by the maintenance verification).
pub(crate) fn insert(
    w: &mut Writer<'_>,
    id: ProviderEscalationId,
    input: &ProviderEscalationInput,
) -> Result<()> {
    let v = input.validate(w.now())?;
    let c = w.conn();
    if let Some(a) = input.attention_id {
        exists(c, "attention", a.to_string(), "la atención")?;
    }
    if let Some(d) = input.diagnostic_id {
        exists(c, "diagnostic", d.to_string(), "el diagnóstico")?;
    }
    if let Some(m) = input.maintenance_id {
        exists(c, "maintenance", m.to_string(), "el mantenimiento")?;
    }
    if let Some(a) = input.asset_id {
        asset_by_id(c, a)?;
    }
    let now = ts(w.now());
    let by = w.technician_id().to_string();
    let f = fields! {
        "unit_code" => w.unit_code(),
        "attention_id" => input.attention_id.map(|x| x.to_string()),
        "diagnostic_id" => input.diagnostic_id.map(|x| x.to_string()),
        "maintenance_id" => input.maintenance_id.map(|x| x.to_string()),
        "asset_id" => input.asset_id.map(|x| x.to_string()),
        "provider" => v.provider,
        "contact" => v.contact,
        "means" => input.means.code(),
        "escalated_at" => ts(input.escalated_at),
        "description" => v.description,
        "provider_ticket" => v.provider_ticket,
        "technician_id" => by,
        "created_at" => now,
        "created_by" => by,
        "updated_at" => now,
        "updated_by" => by,
    };
    w.insert(Entity::ProviderEscalation, id.uuid(), f)
}

/// Filter of the escalation list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ProviderEscalationFilter {
    /// Only those without the user's conformity yet.
    pub open_only: bool,
    pub asset_id: Option<AssetId>,
}

impl Store {
    /// Records an escalation to a provider, from an attention, a diagnostic or a maintenance.
    pub fn provider_escalation_create(
        &self,
        input: &ProviderEscalationInput,
    ) -> Result<ProviderEscalation> {
        let id = ProviderEscalationId::new();
        self.write(|w| insert(w, id, input))?;
        self.provider_escalation_get(id)
    }

    /// One escalation.
    pub fn provider_escalation_get(&self, id: ProviderEscalationId) -> Result<ProviderEscalation> {
        self.read(|c| escalation(c, id))
    }

    /// Escalations, oldest first (at most 1,000).
    pub fn provider_escalations(
        &self,
        filter: &ProviderEscalationFilter,
    ) -> Result<Vec<ProviderEscalation>> {
        let asset = filter.asset_id.map(|a| a.to_string());
        self.read(|c| {
            query(
                c,
                "WHERE (?1 = 0 OR conformity_at IS NULL) AND (?2 IS NULL OR asset_id = ?2) \
                 ORDER BY escalated_at, id LIMIT 1000",
                &[&filter.open_only, &asset],
            )
        })
    }

    /// Records that the provider finished, at `at`, with what it did.
    pub fn provider_escalation_complete(
        &self,
        id: ProviderEscalationId,
        at: DateTime<Utc>,
        note: &str,
    ) -> Result<ProviderEscalation> {
        self.write(|w| {
            let mut e = escalation(w.conn(), id)?;
            e.complete(at, note, w.now())?;
            let mut f = fields! {
                "completed_at" => e.completed_at.map(ts),
                "completion_note" => e.completion_note,
            };
            touch(w, &mut f);
            w.update(Entity::ProviderEscalation, id.uuid(), f)
        })?;
        self.provider_escalation_get(id)
    }

    /// Records the user's conformity (24 hours after the completion at the earliest). A
    /// *no conforme* opens a new escalation to the same provider in the same transaction.
    pub fn provider_escalation_conformity(
        &self,
        id: ProviderEscalationId,
        accepted: bool,
        remark: Option<&str>,
    ) -> Result<ProviderEscalation> {
        self.write(|w| {
            let mut e = escalation(w.conn(), id)?;
            e.record_conformity(accepted, remark, w.now())?;
            let mut f = fields! {
                "conformity_at" => e.conformity_at.map(ts),
                "conformity_accepted" => e.conformity_accepted,
                "conformity_remark" => e.conformity_remark,
            };
            touch(w, &mut f);
            w.update(Entity::ProviderEscalation, id.uuid(), f)?;
            if let Some(next) = e.re_escalation(w.now()) {
                insert(w, ProviderEscalationId::new(), &next)?;
            }
            Ok(())
        })?;
        self.provider_escalation_get(id)
    }
}
