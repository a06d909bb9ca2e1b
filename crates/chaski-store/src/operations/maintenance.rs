//! Maintenance plans (one per asset kind and unit), records, the 48-hour verification, the
//! provider's report file, and the calendar of what is due.

use chaski_core::asset::{AssetKind, AssetStatus, CODE_ASSET_UNAVAILABLE, PatrimonialCode};
use chaski_core::error::{Error as DomainError, ErrorCode, required_text};
use chaski_core::ids::{AssetId, MaintenanceId, MaintenancePlanId, ProviderEscalationId};
use chaski_core::operations::maintenance::{
    DEFAULT_PLANS, MaintenanceDue, MaintenanceInput, MaintenancePerformer, MaintenancePlan,
    MaintenancePlanInput, MaintenanceRecord, MaintenanceStatus, MaintenanceVerification,
    MaintenanceVerificationInput, check_verification, fault_escalation, maintenance_due,
    verification_due,
};
use chaski_core::person::full_name;
use chaski_core::time::lima_date;
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use super::{bad, coded, opt_id};
use crate::assets::asset_by_id;
use crate::assets::documents::touch;
use crate::codec::{parse_id, parse_ts, parse_ts_opt, ts};
use crate::documents::{MAX_FILE_BYTES, sha256_hex};
use crate::error::Result;
use crate::write::Entity;
use crate::{Store, fields};

/// The id of the plan of `kind` in `unit`: derived from both (SHA-256, as a UUID with the
/// custom-version bits), so two devices that edit the same plan offline write one record.
pub fn plan_id(unit: &str, kind: AssetKind) -> MaintenancePlanId {
    let digest = Sha256::digest(format!("maintenance_plan/{unit}/{}", kind.code()).as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    MaintenancePlanId(uuid::Builder::from_custom_bytes(bytes).into_uuid())
}

fn stored_plans(c: &Connection, unit: &str) -> Result<Vec<MaintenancePlan>> {
    let mut st = c.prepare_cached(
        "SELECT id, asset_kind, interval_months, active, updated_at FROM maintenance_plan WHERE unit_code = ?1",
    )?;
    let mut rows = st.query([unit])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(MaintenancePlan {
            id: parse_id(&r.get::<_, String>(0)?)?,
            unit_code: unit.to_string(),
            asset_kind: coded(&r.get::<_, String>(1)?, AssetKind::parse, "tipo de bien")?,
            interval_months: r.get(2)?,
            active: r.get(3)?,
            updated_at: Some(parse_ts(&r.get::<_, String>(4)?)?),
        });
    }
    Ok(out)
}

/// The plans in effect: the stored ones, and the defaults (seed 001) for kinds never edited.
fn plans(c: &Connection, unit: &str) -> Result<Vec<MaintenancePlan>> {
    let stored = stored_plans(c, unit)?;
    let mut out = Vec::new();
    for kind in AssetKind::ALL {
        if let Some(p) = stored.iter().find(|p| p.asset_kind == *kind) {
            out.push(p.clone());
        } else if let Some((_, months)) = DEFAULT_PLANS.iter().find(|(k, _)| k == kind) {
            out.push(MaintenancePlan {
                id: plan_id(unit, *kind),
                unit_code: unit.to_string(),
                asset_kind: *kind,
                interval_months: *months,
                active: true,
                updated_at: None,
            });
        }
    }
    Ok(out)
}

fn device_unit(c: &Connection) -> Result<String> {
    Ok(
        c.query_row("SELECT unit_code FROM local_device WHERE id = 1", [], |r| {
            r.get(0)
        })?,
    )
}

const SELECT: &str = "SELECT m.id, m.unit_code, m.asset_id, a.code, a.denomination, m.performed_at, m.performer, \
m.provider_name, m.technician_id, m.work_done, m.remarks, m.verification_at, m.verification_faults, \
m.verification_remarks, m.report_file_name, m.report_sha256, m.escalation_id, m.created_at \
FROM maintenance m JOIN asset a ON a.id = m.asset_id";

fn read(r: &Row<'_>) -> Result<MaintenanceRecord> {
    let performed_at = parse_ts(&r.get::<_, String>(5)?)?;
    let verification_at = parse_ts_opt(r.get(11)?)?;
    Ok(MaintenanceRecord {
        id: parse_id(&r.get::<_, String>(0)?)?,
        unit_code: r.get(1)?,
        asset_id: parse_id(&r.get::<_, String>(2)?)?,
        asset_code: PatrimonialCode::parse(&r.get::<_, String>(3)?).map_err(|_| bad("código"))?,
        equipment: r.get(4)?,
        performed_at,
        performer: coded(
            &r.get::<_, String>(6)?,
            MaintenancePerformer::parse,
            "ejecutor",
        )?,
        provider_name: r.get(7)?,
        technician_id: parse_id(&r.get::<_, String>(8)?)?,
        work_done: r.get(9)?,
        remarks: r.get(10)?,
        verification_due_at: verification_due(performed_at),
        verification: match verification_at {
            Some(at) => Some(MaintenanceVerification {
                at,
                faults_found: r.get::<_, Option<bool>>(12)?.unwrap_or(false),
                remarks: r.get(13)?,
            }),
            None => None,
        },
        report_file_name: r.get(14)?,
        report_sha256: r.get(15)?,
        escalation_id: opt_id(r, 16)?,
        created_at: parse_ts(&r.get::<_, String>(17)?)?,
    })
}

fn query(c: &Connection, where_sql: &str, param: &str) -> Result<Vec<MaintenanceRecord>> {
    let mut st = c.prepare_cached(&format!("{SELECT} {where_sql}"))?;
    let mut rows = st.query([param])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(read(r)?);
    }
    Ok(out)
}

fn record(c: &Connection, id: MaintenanceId) -> Result<MaintenanceRecord> {
    query(c, "WHERE m.id = ?1", &id.to_string())?
        .pop()
        .ok_or_else(|| DomainError::not_found("el mantenimiento").into())
}

/// Filter of the maintenance calendar.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MaintenanceFilter {
    pub status: Option<MaintenanceStatus>,
    pub kind: Option<AssetKind>,
}

/// One asset on the maintenance calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MaintenanceCalendarEntry {
    pub asset_id: AssetId,
    pub code: PatrimonialCode,
    pub equipment: String,
    pub kind: AssetKind,
    pub site: Option<String>,
    pub office: Option<String>,
    pub custodian_name: Option<String>,
    pub interval_months: u32,
    pub due: MaintenanceDue,
}

fn status_rank(s: MaintenanceStatus) -> u8 {
    match s {
        MaintenanceStatus::Vencido => 0,
        MaintenanceStatus::Proximo => 1,
        MaintenanceStatus::SinRegistro => 2,
        MaintenanceStatus::AlDia => 3,
    }
}

impl Store {
    /// The maintenance plans in effect for this unit (defaults included).
    pub fn maintenance_plans(&self) -> Result<Vec<MaintenancePlan>> {
        self.read(|c| plans(c, &device_unit(c)?))
    }

    /// Sets the plan of an asset kind (interval 1–36 months; active or not).
    pub fn maintenance_plan_set(&self, input: &MaintenancePlanInput) -> Result<MaintenancePlan> {
        input.validate()?;
        self.write(|w| {
            let id = plan_id(w.unit_code(), input.asset_kind);
            let exists = w
                .conn()
                .prepare_cached("SELECT 1 FROM maintenance_plan WHERE id = ?1")?
                .query_row([id.to_string()], |_| Ok(()))
                .optional()?
                .is_some();
            let mut f = fields! {
                "interval_months" => input.interval_months,
                "active" => input.active,
            };
            touch(w, &mut f);
            if exists {
                w.update(Entity::MaintenancePlan, id.uuid(), f)
            } else {
                f.insert("unit_code".into(), w.unit_code().into());
                f.insert("asset_kind".into(), input.asset_kind.code().into());
                w.insert(Entity::MaintenancePlan, id.uuid(), f)
            }
        })?;
        self.maintenance_plans()?
            .into_iter()
            .find(|p| p.asset_kind == input.asset_kind)
            .ok_or_else(|| DomainError::not_found("el plan de mantenimiento").into())
    }

    /// Records a maintenance of an asset (not of one in baja).
    pub fn maintenance_create(&self, input: &MaintenanceInput) -> Result<MaintenanceRecord> {
        let id = MaintenanceId::new();
        self.write(|w| {
            let a = asset_by_id(w.conn(), input.asset_id)?;
            if a.status == AssetStatus::DeBaja {
                return Err(DomainError::field(
                    CODE_ASSET_UNAVAILABLE,
                    "asset_id",
                    format!(
                        "El bien {} está dado de baja: no se le hace mantenimiento.",
                        a.code
                    ),
                )
                .into());
            }
            let v = input.validate(w.now())?;
            let now = ts(w.now());
            let by = w.technician_id().to_string();
            let f = fields! {
                "unit_code" => w.unit_code(),
                "asset_id" => a.id.to_string(),
                "performed_at" => ts(input.performed_at),
                "performer" => input.performer.code(),
                "provider_name" => v.provider_name,
                "technician_id" => by,
                "work_done" => v.work_done,
                "remarks" => v.remarks,
                "created_at" => now,
                "created_by" => by,
                "updated_at" => now,
                "updated_by" => by,
            };
            w.insert(Entity::Maintenance, id.uuid(), f)
        })?;
        self.maintenance_get(id)
    }

    /// One maintenance record.
    pub fn maintenance_get(&self, id: MaintenanceId) -> Result<MaintenanceRecord> {
        self.read(|c| record(c, id))
    }

    /// The maintenances of an asset, newest first.
    pub fn maintenances_of_asset(&self, asset: AssetId) -> Result<Vec<MaintenanceRecord>> {
        self.read(|c| {
            query(
                c,
                "WHERE m.asset_id = ?1 ORDER BY m.performed_at DESC",
                &asset.to_string(),
            )
        })
    }

    /// The unit's maintenances still without their 48-hour verification, oldest first (at
    /// most 500): what the technician has to check with the users, whatever the asset.
    pub fn maintenances_unverified(&self) -> Result<Vec<MaintenanceRecord>> {
        self.read(|c| {
            let unit = device_unit(c)?;
            query(
                c,
                "WHERE m.verification_at IS NULL AND m.unit_code = ?1 \
                 ORDER BY m.performed_at, m.id LIMIT 500",
                &unit,
            )
        })
    }

    /// Records the check 48 hours after the maintenance. Faults after a provider's maintenance
    /// open an escalation back to that provider (same transaction).
    pub fn maintenance_verify(
        &self,
        id: MaintenanceId,
        input: &MaintenanceVerificationInput,
    ) -> Result<MaintenanceRecord> {
        self.write(|w| {
            let r = record(w.conn(), id)?;
            let v = check_verification(&r, input, w.now())?;
            let mut f = fields! {
                "verification_at" => ts(v.at),
                "verification_faults" => v.faults_found,
                "verification_remarks" => v.remarks,
            };
            if let Some(esc) = fault_escalation(&r, &v) {
                let eid = ProviderEscalationId::new();
                super::escalations::insert(w, eid, &esc)?;
                f.insert("escalation_id".into(), eid.to_string().into());
            }
            touch(w, &mut f);
            w.update(Entity::Maintenance, id.uuid(), f)
        })?;
        self.maintenance_get(id)
    }

    /// Attaches the provider's report (act. 25), once. The bytes stay in this file (local
    /// table, like generated PDFs); the record carries their name and SHA-256.
    pub fn maintenance_attach_report(
        &self,
        id: MaintenanceId,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<MaintenanceRecord> {
        let name = required_text(file_name, "file_name", "Nombre del archivo", 200)?;
        if bytes.is_empty() || bytes.len() > MAX_FILE_BYTES {
            return Err(DomainError::field(
                ErrorCode::ValorInvalido,
                "file",
                format!(
                    "El informe del proveedor debe tener entre 1 byte y {} MB: elija otro archivo.",
                    MAX_FILE_BYTES / (1024 * 1024)
                ),
            )
            .into());
        }
        let sha = sha256_hex(bytes);
        self.write(|w| {
            let r = record(w.conn(), id)?;
            if r.report_sha256.is_some() {
                return Err(DomainError::field(
                    ErrorCode::DocumentoInmutable,
                    "file",
                    "Este mantenimiento ya tiene su informe del proveedor; no se reemplaza.",
                )
                .into());
            }
            w.conn()
                .prepare_cached(
                    "INSERT OR IGNORE INTO maintenance_report_file (sha256, bytes) VALUES (?1, ?2)",
                )?
                .execute(rusqlite::params![sha, bytes])?;
            let mut f = fields! {
                "report_file_name" => name,
                "report_sha256" => sha,
            };
            touch(w, &mut f);
            w.update(Entity::Maintenance, id.uuid(), f)
        })?;
        self.maintenance_get(id)
    }

    /// The provider's report file of a maintenance; its SHA-256 is checked.
    pub fn maintenance_report_file(&self, id: MaintenanceId) -> Result<Vec<u8>> {
        self.read(|c| {
            let r = record(c, id)?;
            let Some(sha) = r.report_sha256 else {
                return Err(DomainError::not_found("el informe del proveedor").into());
            };
            let bytes: Option<Vec<u8>> = c
                .prepare_cached("SELECT bytes FROM maintenance_report_file WHERE sha256 = ?1")?
                .query_row([&sha], |r| r.get(0))
                .optional()?;
            match bytes {
                Some(b) if sha256_hex(&b) == sha => Ok(b),
                Some(_) => Err(bad("el informe del proveedor no coincide con su SHA-256")),
                // Pulled from another device: the file itself does not travel (yet).
                None => Err(DomainError::general(
                    ErrorCode::NoEncontrado,
                    "El informe del proveedor se adjuntó en otro equipo y su archivo aún no está aquí.",
                )
                .into()),
            }
        })
    }

    /// The calendar: every asset (not in baja) of a kind with an active plan, with its due
    /// date from its last maintenance, in Lima days relative to `today`. Overdue first, then
    /// upcoming, never maintained, up to date; by due date, then code.
    pub fn maintenance_calendar(
        &self,
        today: NaiveDate,
        filter: &MaintenanceFilter,
    ) -> Result<Vec<MaintenanceCalendarEntry>> {
        self.read(|c| {
            let unit = device_unit(c)?;
            let plans: Vec<MaintenancePlan> = plans(c, &unit)?
                .into_iter()
                .filter(|p| p.active && filter.kind.is_none_or(|k| k == p.asset_kind))
                .collect();
            let mut out = Vec::new();
            let mut st = c.prepare_cached(
                "SELECT a.id, a.code, a.denomination, a.site, a.office, p.last_names, p.first_names, \
                 (SELECT max(m.performed_at) FROM maintenance m WHERE m.asset_id = a.id) \
                 FROM asset a LEFT JOIN person p ON p.id = a.custodian_id \
                 WHERE a.kind = ?1 AND a.status <> 'de_baja' AND a.unit_code = ?2 ORDER BY a.code",
            )?;
            for plan in &plans {
                let mut rows = st.query(rusqlite::params![plan.asset_kind.code(), unit])?;
                while let Some(r) = rows.next()? {
                    let last = parse_ts_opt(r.get(7)?)?.map(lima_date);
                    let due = maintenance_due(plan.interval_months, last, today);
                    if filter.status.is_some_and(|s| s != due.status) {
                        continue;
                    }
                    let last_names: Option<String> = r.get(5)?;
                    let first_names: Option<String> = r.get(6)?;
                    out.push(MaintenanceCalendarEntry {
                        asset_id: parse_id(&r.get::<_, String>(0)?)?,
                        code: PatrimonialCode::parse(&r.get::<_, String>(1)?)
                            .map_err(|_| bad("código"))?,
                        equipment: r.get(2)?,
                        kind: plan.asset_kind,
                        site: r.get(3)?,
                        office: r.get(4)?,
                        custodian_name: last_names.zip(first_names).map(|(l, f)| full_name(&l, &f)),
                        interval_months: plan.interval_months,
                        due,
                    });
                }
            }
            out.sort_by(|a, b| {
                (status_rank(a.due.status), a.due.due, a.code.as_str()).cmp(&(
                    status_rank(b.due.status),
                    b.due.due,
                    b.code.as_str(),
                ))
            });
            Ok(out)
        })
    }
}
