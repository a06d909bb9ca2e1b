//! The register: alta, descriptive edits, the event write path that keeps the derived custody
//! columns equal to the fold of the history, lists with filters and search, the asset page.
//!
//! Over 600 lines on purpose: the event write path and the derived custody columns must be
//! read next to each other (a change in one is a change in the other).

use chaski_core::asset::{
    Asset, AssetCondition, AssetEvent, AssetEventKind, AssetInput, AssetKind, AssetSnapshot,
    AssetState, AssetStatus, DocRef, Operability, PatrimonialCode, ValidAsset, fold,
    last_operability,
};
use chaski_core::attention::{Attention, Page};
use chaski_core::error::{Error as DomainError, ErrorCode};
use chaski_core::ids::{AssetEventId, AssetId, AttentionId, PersonId};
use chaski_core::person::full_name;
use chaski_core::text::fold as fold_text;
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use ts_rs::TS;

use crate::codec::{parse_id, parse_ts, ts};
use crate::error::{Result, StoreError};
use crate::write::{Entity, Writer};
use crate::{Store, fields};

pub(crate) const ASSET_SELECT: &str = "SELECT a.id, a.unit_code, a.code, a.denomination, a.kind, a.brand, a.model, a.serial, a.color, \
a.condition, a.operability, a.warranty_end, a.site, a.office, a.custodian_id, p.last_names, p.first_names, a.status, \
a.remarks, a.created_at, a.updated_at FROM asset a LEFT JOIN person p ON p.id = a.custodian_id";

/// The expression the `attention_by_asset_code` index (migration 0010) is built on.
pub(crate) const ATTENTION_ASSET_CODE_EXPR: &str =
    "replace(replace(replace(asset_code, ' ', ''), '-', ''), '.', '')";

fn bad(what: &str) -> StoreError {
    StoreError::BadData(format!("bien: {what}"))
}

pub(crate) fn read_asset(r: &Row<'_>) -> Result<Asset> {
    let code: String = r.get(2)?;
    let kind: String = r.get(4)?;
    let condition: String = r.get(9)?;
    let operability: String = r.get(10)?;
    let warranty: Option<String> = r.get(11)?;
    let custodian: Option<String> = r.get(14)?;
    let last: Option<String> = r.get(15)?;
    let first: Option<String> = r.get(16)?;
    let status: String = r.get(17)?;
    let status = AssetStatus::parse(&status).ok_or_else(|| bad("estado"))?;
    Ok(Asset {
        id: parse_id(&r.get::<_, String>(0)?)?,
        unit_code: r.get(1)?,
        code: PatrimonialCode::parse(&code).map_err(|_| bad("código"))?,
        denomination: r.get(3)?,
        kind: AssetKind::parse(&kind).ok_or_else(|| bad("tipo"))?,
        brand: r.get(5)?,
        model: r.get(6)?,
        serial: r.get(7)?,
        color: r.get(8)?,
        condition: AssetCondition::parse(&condition).ok_or_else(|| bad("estado del bien"))?,
        operability: Operability::parse(&operability).ok_or_else(|| bad("operatividad"))?,
        warranty_end: warranty
            .map(|w| NaiveDate::parse_from_str(&w, "%Y-%m-%d").map_err(|_| bad("garantía")))
            .transpose()?,
        site: r.get(12)?,
        office: r.get(13)?,
        custodian_id: custodian.as_deref().map(parse_id).transpose()?,
        custodian_name: match (last, first) {
            (Some(l), Some(f)) => Some(full_name(&l, &f)),
            _ => None,
        },
        status,
        in_warehouse: status == AssetStatus::EnAlmacen,
        remarks: r.get(18)?,
        created_at: parse_ts(&r.get::<_, String>(19)?)?,
        updated_at: parse_ts(&r.get::<_, String>(20)?)?,
    })
}

pub(crate) fn asset(c: &Connection, id: AssetId) -> Result<Asset> {
    let mut st = c.prepare_cached(&format!("{ASSET_SELECT} WHERE a.id = ?1"))?;
    let mut rows = st.query([id.to_string()])?;
    match rows.next()? {
        Some(r) => read_asset(r),
        None => Err(DomainError::not_found("el bien").into()),
    }
}

pub(crate) fn asset_id_by_code(
    c: &Connection,
    unit: &str,
    code: &PatrimonialCode,
) -> Result<Option<AssetId>> {
    let id: Option<String> = c
        .prepare_cached(
            "SELECT id FROM asset WHERE code = ?1 AND unit_code = ?2 ORDER BY created_at LIMIT 1",
        )?
        .query_row([code.as_str(), unit], |r| r.get(0))
        .optional()?;
    id.as_deref().map(parse_id).transpose()
}

/// The snapshot the document rules need.
pub(crate) fn snapshot(c: &Connection, id: AssetId) -> Result<Option<AssetSnapshot>> {
    match asset(c, id) {
        Ok(a) => Ok(Some(AssetSnapshot {
            code: a.code,
            state: AssetState {
                custodian_id: a.custodian_id,
                site: a.site,
                office: a.office,
                status: a.status,
            },
            custodian_name: a.custodian_name,
        })),
        Err(StoreError::Domain(e)) if e.code == ErrorCode::NoEncontrado => Ok(None),
        Err(e) => Err(e),
    }
}

fn state_of(c: &Connection, id: AssetId) -> Result<AssetState> {
    snapshot(c, id)?
        .map(|s| s.state)
        .ok_or_else(|| DomainError::not_found("el bien").into())
}

/// Every event of an asset, oldest first (time, then id: UUIDv7 follows creation order).
pub(crate) fn events(c: &Connection, id: AssetId) -> Result<Vec<AssetEvent>> {
    let mut st = c.prepare_cached(
        "SELECT id, asset_id, kind, at, custodian_id, site, office, doc_kind, doc_id, doc_number, remarks, technician_id \
         FROM asset_event WHERE asset_id = ?1 ORDER BY at, id",
    )?;
    let mut rows = st.query([id.to_string()])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let kind: String = r.get(2)?;
        let custodian: Option<String> = r.get(4)?;
        let doc_kind: Option<String> = r.get(7)?;
        let doc_id: Option<String> = r.get(8)?;
        out.push(AssetEvent {
            id: parse_id(&r.get::<_, String>(0)?)?,
            asset_id: parse_id(&r.get::<_, String>(1)?)?,
            kind: AssetEventKind::parse(&kind).ok_or_else(|| bad("tipo de evento"))?,
            at: parse_ts(&r.get::<_, String>(3)?)?,
            custodian_id: custodian.as_deref().map(parse_id).transpose()?,
            site: r.get(5)?,
            office: r.get(6)?,
            document: match (doc_kind, doc_id) {
                (Some(kind), Some(id)) => Some(DocRef {
                    kind,
                    id: parse_id(&id)?,
                    number: r.get(9)?,
                }),
                _ => None,
            },
            remarks: r.get(10)?,
            technician_id: parse_id(&r.get::<_, String>(11)?)?,
        });
    }
    Ok(out)
}

fn event_fields(e: &AssetEvent) -> Map<String, Value> {
    fields! {
        "asset_id" => e.asset_id.to_string(),
        "kind" => e.kind.code(),
        "at" => ts(e.at),
        "custodian_id" => e.custodian_id.map(|p| p.to_string()),
        "site" => e.site,
        "office" => e.office,
        "doc_kind" => e.document.as_ref().map(|d| d.kind.clone()),
        "doc_id" => e.document.as_ref().map(|d| d.id.hyphenated().to_string()),
        "doc_number" => e.document.as_ref().and_then(|d| d.number.clone()),
        "remarks" => e.remarks,
        "technician_id" => e.technician_id.to_string(),
    }
}

fn state_fields(s: &AssetState) -> Map<String, Value> {
    fields! {
        "site" => s.site,
        "office" => s.office,
        "custodian_id" => s.custodian_id.map(|p| p.to_string()),
        "status" => s.status.code(),
    }
}

fn touch(w: &Writer<'_>, f: &mut Map<String, Value>) {
    f.insert("updated_at".into(), Value::from(ts(w.now())));
    f.insert(
        "updated_by".into(),
        Value::from(w.technician_id().to_string()),
    );
}

/// Appends `e` to its asset's history and brings the asset's derived columns to the fold of
/// the history including `e`, in the same transaction.
pub(crate) fn append_event(w: &mut Writer<'_>, e: &AssetEvent) -> Result<()> {
    let before = state_of(w.conn(), e.asset_id)?;
    w.insert(Entity::AssetEvent, e.id.uuid(), event_fields(e))?;
    let mut after = before.clone();
    after.apply(e);
    let old = state_fields(&before);
    let mut f: Map<String, Value> = state_fields(&after)
        .into_iter()
        .filter(|(k, v)| old.get(k) != Some(v))
        .collect();
    // A diagnostic's event also sets the asset's operability.
    if let Some(o) = e.kind.operability()
        && asset(w.conn(), e.asset_id)?.operability != o
    {
        f.insert("operability".into(), Value::from(o.code()));
    }
    if !f.is_empty() {
        touch(w, &mut f);
        w.update(Entity::Asset, e.asset_id.uuid(), f)?;
    }
    Ok(())
}

fn descriptive_fields(v: &ValidAsset) -> Map<String, Value> {
    fields! {
        "code" => v.code.as_str(),
        "denomination" => v.denomination,
        "kind" => v.kind.code(),
        "brand" => v.brand,
        "model" => v.model,
        "serial" => v.serial,
        "color" => v.color,
        "condition" => v.condition.code(),
        "operability" => v.operability.code(),
        "warranty_end" => v.warranty_end.map(|d| d.format("%Y-%m-%d").to_string()),
        "remarks" => v.remarks,
    }
}

/// Inserts a new asset and its first event (`alta` or `inventario`) that sets its custody.
pub(crate) fn insert_asset(
    w: &mut Writer<'_>,
    v: &ValidAsset,
    kind: AssetEventKind,
    remarks: Option<String>,
) -> Result<AssetId> {
    if asset_id_by_code(w.conn(), w.unit_code(), &v.code)?.is_some() {
        return Err(DomainError::field(
            ErrorCode::ValorInvalido,
            "code",
            format!(
                "Ya existe un bien con el código patrimonial {}: búsquelo en la lista en lugar de registrarlo otra vez.",
                v.code
            ),
        )
        .into());
    }
    let id = AssetId::new();
    let event = AssetEvent {
        id: AssetEventId::new(),
        asset_id: id,
        kind,
        at: w.now(),
        custodian_id: v.custodian_id,
        site: v.site.clone(),
        office: v.office.clone(),
        document: None,
        remarks,
        technician_id: w.technician_id(),
    };
    let state = fold([&event]);
    let mut f = descriptive_fields(v);
    f.extend(state_fields(&state));
    let now = ts(w.now());
    let by = w.technician_id().to_string();
    f.insert("unit_code".into(), Value::from(w.unit_code()));
    for k in ["created_at", "updated_at"] {
        f.insert(k.into(), Value::from(now.clone()));
    }
    for k in ["created_by", "updated_by"] {
        f.insert(k.into(), Value::from(by.clone()));
    }
    w.insert(Entity::Asset, id.uuid(), f)?;
    w.insert(Entity::AssetEvent, event.id.uuid(), event_fields(&event))?;
    Ok(id)
}

/// Sets the descriptive fields that differ (custody is never set here).
pub(crate) fn update_descriptive(w: &mut Writer<'_>, id: AssetId, v: &ValidAsset) -> Result<bool> {
    let current = asset(w.conn(), id)?;
    if current.code != v.code
        && let Some(other) = asset_id_by_code(w.conn(), w.unit_code(), &v.code)?
        && other != id
    {
        return Err(DomainError::field(
            ErrorCode::ValorInvalido,
            "code",
            format!("El código patrimonial {} ya pertenece a otro bien.", v.code),
        )
        .into());
    }
    let cur = descriptive_fields(&ValidAsset {
        code: current.code,
        denomination: current.denomination,
        kind: current.kind,
        brand: current.brand,
        model: current.model,
        serial: current.serial,
        color: current.color,
        condition: current.condition,
        operability: current.operability,
        warranty_end: current.warranty_end,
        remarks: current.remarks,
        site: None,
        office: None,
        custodian_id: None,
    });
    let mut f: Map<String, Value> = descriptive_fields(v)
        .into_iter()
        .filter(|(k, val)| cur.get(k) != Some(val))
        .collect();
    if f.is_empty() {
        return Ok(false);
    }
    // Once a diagnostic set it, operability follows the diagnostics, not the form.
    if f.contains_key("operability") && last_operability(&events(w.conn(), id)?).is_some() {
        return Err(DomainError::field(
            ErrorCode::ValorInvalido,
            "operability",
            "La operatividad de este bien la fija su último diagnóstico: registre un nuevo diagnóstico para cambiarla.",
        )
        .into());
    }
    touch(w, &mut f);
    w.update(Entity::Asset, id.uuid(), f)?;
    Ok(true)
}

/// Filters of the asset list. Every field is optional; they combine with AND.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct AssetFilter {
    pub kind: Option<AssetKind>,
    /// Sede, exact (as listed by [`Store::asset_sites`]).
    pub site: Option<String>,
    pub custodian_id: Option<PersonId>,
    pub condition: Option<AssetCondition>,
    pub operability: Option<Operability>,
    pub status: Option<AssetStatus>,
    /// `true`: only in the warehouse; `false`: only outside it.
    pub in_warehouse: Option<bool>,
    /// Search: código (prefix), serie, marca, modelo, denominación (substring, accents
    /// ignored) or the custodian's name or DNI.
    pub q: Option<String>,
}

/// One page of the asset list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AssetPage {
    pub items: Vec<Asset>,
    pub page: Page,
    /// How many match, exact up to 10,000 (1,000 for a search); see `total_exact`.
    #[ts(type = "number")]
    pub total: u64,
    /// `false` when more than `total` match (show "más de …").
    pub total_exact: bool,
}

const COUNT_CAP: u64 = 10_000;
const SEARCH_COUNT_CAP: u64 = 1_000;

fn fts_phrase(words: &[String]) -> Option<String> {
    let w: Vec<String> = words
        .iter()
        .filter(|w| w.chars().count() >= 3)
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect();
    (!w.is_empty() && w.len() == words.len()).then(|| w.join(" "))
}

/// Builds the WHERE clause and its parameters.
fn where_clause(f: &AssetFilter) -> (String, Vec<rusqlite::types::Value>) {
    use rusqlite::types::Value as V;
    let mut conds: Vec<String> = Vec::new();
    let mut params: Vec<V> = Vec::new();
    let mut push = |sql: &str, v: V, params: &mut Vec<V>| {
        params.push(v);
        conds.push(sql.replace('?', &format!("?{}", params.len())));
    };
    if let Some(k) = f.kind {
        push("a.kind = ?", V::Text(k.code().into()), &mut params);
    }
    if let Some(s) = f.site.as_deref().filter(|s| !s.trim().is_empty()) {
        push("a.site = ?", V::Text(s.trim().into()), &mut params);
    }
    if let Some(p) = f.custodian_id {
        push("a.custodian_id = ?", V::Text(p.to_string()), &mut params);
    }
    if let Some(c) = f.condition {
        push("a.condition = ?", V::Text(c.code().into()), &mut params);
    }
    if let Some(o) = f.operability {
        push("a.operability = ?", V::Text(o.code().into()), &mut params);
    }
    if let Some(s) = f.status {
        push("a.status = ?", V::Text(s.code().into()), &mut params);
    }
    match f.in_warehouse {
        Some(true) => push("a.status = ?", V::Text("en_almacen".into()), &mut params),
        Some(false) => push("a.status <> ?", V::Text("en_almacen".into()), &mut params),
        None => {}
    }
    if let Some(q) = f.q.as_deref().map(fold_text).filter(|q| !q.is_empty()) {
        // The candidates are the UNION of what each index finds (code range, trigram FTS,
        // brand/serial prefix, the custodian's assets); SQLite then orders them by code. One
        // OR over the asset table would force a scan of every asset.
        let compact: String = q
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '.'))
            .collect();
        let mut alts: Vec<String> = Vec::new();
        let words: Vec<String> = q
            .split(' ')
            .filter(|w| !w.is_empty())
            .take(6)
            .map(String::from)
            .collect();
        if !compact.is_empty() && compact.bytes().all(|b| b.is_ascii_digit()) && compact.len() <= 12
        {
            // Digits: a code, a DNI or a serial, by prefix through their indexes. Not through
            // the trigram index: every code is made of digits, so digit trigrams match most of
            // the register and intersecting them cost 20+ ms for a single result.
            params.push(V::Text(compact.clone()));
            let lo = params.len();
            params.push(V::Text(format!("{compact}:")));
            let hi = params.len();
            alts.push(format!(
                "SELECT seq FROM asset WHERE code >= ?{lo} AND code < ?{hi}"
            ));
            params.push(V::Text(format!("{compact}%")));
            alts.push(format!(
                "SELECT seq FROM asset WHERE serial LIKE ?{}",
                params.len()
            ));
            alts.push(format!(
                "SELECT seq FROM asset WHERE custodian_id IN \
                 (SELECT id FROM person WHERE dni >= ?{lo} AND dni < ?{hi})"
            ));
        } else {
            if let Some(phrase) = fts_phrase(&words) {
                params.push(V::Text(phrase));
                alts.push(format!(
                    "SELECT rowid FROM asset_fts WHERE asset_fts MATCH ?{}",
                    params.len()
                ));
            } else {
                // Short words (HP, LG): prefix of brand or serial.
                params.push(V::Text(format!("{q}%")));
                let n = params.len();
                alts.push(format!("SELECT seq FROM asset WHERE brand LIKE ?{n}"));
                alts.push(format!("SELECT seq FROM asset WHERE serial LIKE ?{n}"));
            }
            // The custodian: every word in the person's folded name / DNI / email.
            let mut pc = Vec::new();
            for w in &words {
                params.push(V::Text(format!("%{w}%")));
                pc.push(format!("search_text LIKE ?{}", params.len()));
            }
            alts.push(format!(
                "SELECT seq FROM asset WHERE custodian_id IN (SELECT id FROM person WHERE {})",
                pc.join(" AND ")
            ));
        }
        conds.push(format!("a.seq IN ({})", alts.join(" UNION ")));
    }
    let sql = if conds.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conds.join(" AND "))
    };
    (sql, params)
}

pub(crate) fn list(c: &Connection, f: &AssetFilter, page: Page) -> Result<AssetPage> {
    let page = page.clamped();
    let (wh, params) = where_clause(f);
    let offset = u64::from(page.number - 1) * u64::from(page.size);
    let searching = f.q.as_deref().is_some_and(|q| !fold_text(q).is_empty());
    // Two steps: the page's assets are chosen from the asset table alone (its indexes, the
    // search candidates, code order), and only those rows are then read whole and joined with
    // their custodian. A one-step query sorted every candidate's whole row, joined with its
    // person, to keep 50: for a dense search (a brand, a code prefix: thousands of
    // candidates) that was most of its 100–250 ms.
    let sql = format!(
        "{ASSET_SELECT} WHERE a.seq IN (SELECT a.seq FROM asset a{wh} \
         ORDER BY a.code, a.id LIMIT {} OFFSET {offset}) ORDER BY a.code, a.id",
        page.size
    );
    let mut st = c.prepare_cached(&sql)?;
    let mut rows = st.query(rusqlite::params_from_iter(params.iter()))?;
    let mut items = Vec::new();
    while let Some(r) = rows.next()? {
        items.push(read_asset(r)?);
    }
    // A search counts up to 1,000 (materializing every candidate costs more than the page).
    let cap = if searching {
        SEARCH_COUNT_CAP
    } else {
        COUNT_CAP
    };
    let count_sql = format!(
        "SELECT count(*) FROM (SELECT 1 FROM asset a{wh} LIMIT {})",
        cap + 1
    );
    let n: i64 = c
        .prepare_cached(&count_sql)?
        .query_row(rusqlite::params_from_iter(params.iter()), |r| r.get(0))?;
    let n = u64::try_from(n).unwrap_or(0);
    Ok(AssetPage {
        items,
        page,
        total: n.min(cap),
        total_exact: n <= cap,
    })
}

/// The attentions whose asset field holds `code` (spaces, dashes and dots ignored), newest
/// first.
pub(crate) fn attentions_of(c: &Connection, code: &PatrimonialCode) -> Result<Vec<Attention>> {
    let ids: Vec<String> = c
        .prepare_cached(&format!(
            "SELECT id FROM attention WHERE asset_code IS NOT NULL AND {ATTENTION_ASSET_CODE_EXPR} = ?1 ORDER BY received_at DESC LIMIT 200"
        ))?
        .query_map([code.as_str()], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    ids.iter()
        .map(|id| crate::attentions::attention(c, parse_id::<AttentionId>(id)?))
        .collect()
}

impl Store {
    /// Registers a new asset (*alta*). Its custody (site, office, custodian) is the alta's;
    /// none: it enters the warehouse.
    pub fn asset_create(&self, input: &AssetInput) -> Result<Asset> {
        let v = input.validate()?;
        if let Some(p) = v.custodian_id {
            self.read(|c| crate::persons::person(c, p).map(|_| ()))?;
        }
        let id = self.write(|w| insert_asset(w, &v, AssetEventKind::Alta, None))?;
        self.asset_get(id)
    }

    /// Edits the descriptive fields of an asset. Site, office and custodian in `input` are
    /// ignored: they change only through signed cargos and traslados.
    pub fn asset_update(&self, id: AssetId, input: &AssetInput) -> Result<Asset> {
        let v = input.validate()?;
        self.write(|w| update_descriptive(w, id, &v))?;
        self.asset_get(id)
    }

    /// One asset.
    pub fn asset_get(&self, id: AssetId) -> Result<Asset> {
        self.read(|c| asset(c, id))
    }

    /// The asset with this código patrimonial (of this unit).
    pub fn asset_by_code(&self, code: &str) -> Result<Asset> {
        let code = PatrimonialCode::parse(code)?;
        self.read(|c| {
            let unit: String =
                c.query_row("SELECT unit_code FROM local_device WHERE id = 1", [], |r| {
                    r.get(0)
                })?;
            match asset_id_by_code(c, &unit, &code)? {
                Some(id) => asset(c, id),
                None => Err(DomainError::general(
                    ErrorCode::NoEncontrado,
                    format!("No hay ningún bien con el código patrimonial {code} en el registro."),
                )
                .into()),
            }
        })
    }

    /// The asset list: filters, search, ordered by código patrimonial.
    pub fn assets_list(&self, filter: &AssetFilter, page: Page) -> Result<AssetPage> {
        self.read(|c| list(c, filter, page))
    }

    /// The sites (sedes) that appear in the register, for the filter.
    pub fn asset_sites(&self) -> Result<Vec<String>> {
        self.read(|c| {
            Ok(c.prepare_cached(
                "SELECT DISTINCT site FROM asset WHERE site IS NOT NULL ORDER BY site",
            )?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?)
        })
    }

    /// An asset's history, oldest first.
    pub fn asset_events(&self, id: AssetId) -> Result<Vec<AssetEvent>> {
        self.read(|c| events(c, id))
    }

    /// The attentions that mention an asset by its código patrimonial (the attention's asset
    /// field is free text: spaces, dashes and dots are ignored).
    pub fn asset_attentions(&self, code: &str) -> Result<Vec<Attention>> {
        let code = PatrimonialCode::parse(code)?;
        self.read(|c| attentions_of(c, &code))
    }

    /// Records a baja without a document. Interim until the informe técnico de baja exists
    /// (its signing will append the same event); refuses an asset already in baja.
    pub fn asset_register_baja(&self, id: AssetId, remarks: &str) -> Result<Asset> {
        let remarks =
            chaski_core::error::required_text(remarks, "remarks", "Motivo de la baja", 500)?;
        self.write(|w| {
            let s = state_of(w.conn(), id)?;
            if s.status == AssetStatus::DeBaja {
                return Err(DomainError::field(
                    chaski_core::asset::CODE_ASSET_UNAVAILABLE,
                    "status",
                    "El bien ya está dado de baja.",
                )
                .into());
            }
            let e = AssetEvent {
                id: AssetEventId::new(),
                asset_id: id,
                kind: AssetEventKind::Baja,
                at: w.now(),
                custodian_id: None,
                site: None,
                office: None,
                document: None,
                remarks: Some(remarks.clone()),
                technician_id: w.technician_id(),
            };
            append_event(w, &e)
        })?;
        self.asset_get(id)
    }
}
