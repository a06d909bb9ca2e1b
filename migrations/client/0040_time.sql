-- Time and numbers: the pauses of the attention clock, the SLA targets, the decreed
-- non-working days and the oficios. Rules in chaski_core::{sla, calendar, official_letter}.

-- A pause of an attention's clock (reprogramación, en espera del usuario / del proveedor).
-- Replicated. Which kinds stop the clock is decided in the core (SlaPolicy).
CREATE TABLE attention_pause (
    id TEXT PRIMARY KEY,
    attention_id TEXT NOT NULL REFERENCES attention (id),
    kind TEXT NOT NULL CHECK (kind IN ('reprogramacion', 'espera_usuario', 'espera_proveedor')),
    reason TEXT NOT NULL CHECK (trim(reason) <> ''),
    starts_at TEXT NOT NULL,
    until_at TEXT,
    ended_at TEXT,
    technician_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    CHECK (kind <> 'reprogramacion' OR until_at IS NOT NULL)
);
CREATE INDEX attention_pause_by_attention ON attention_pause (attention_id, starts_at);

-- SLA targets per priority, optionally per service ('' = every service). Reference data:
-- the central office may replace them; these are the defaults of chaski_core::sla.
CREATE TABLE sla_target (
    priority INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 4),
    service_code TEXT NOT NULL DEFAULT '',
    minutes INTEGER NOT NULL CHECK (minutes > 0),
    PRIMARY KEY (priority, service_code)
) WITHOUT ROWID;
INSERT INTO sla_target (priority, service_code, minutes) VALUES
    (1, '', 240), (2, '', 480), (3, '', 1440), (4, '', 4320);

CREATE TABLE sla_setting (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    provider_wait_pauses INTEGER NOT NULL DEFAULT 0 CHECK (provider_wait_pauses IN (0, 1))
);
INSERT INTO sla_setting (id, provider_wait_pauses) VALUES (1, 0);

-- Decreed non-working days and regional holidays (national holidays are computed in the core).
-- Reference data from the central office.
CREATE TABLE non_working_day (
    date TEXT PRIMARY KEY CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    description TEXT NOT NULL
) WITHOUT ROWID;

-- An oficio (seed 000 §3.5). Dates are Lima days (YYYY-MM-DD); attention_ids a JSON array.
CREATE TABLE official_letter (
    id TEXT PRIMARY KEY,
    unit_code TEXT NOT NULL REFERENCES unit (code),
    number TEXT NOT NULL,
    sender TEXT NOT NULL,
    sgd_reference TEXT,
    received_on TEXT NOT NULL,
    escalated_on TEXT NOT NULL,
    has_location_data INTEGER NOT NULL CHECK (has_location_data IN (0, 1)),
    located_on TEXT,
    attention_ids TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(attention_ids)),
    outcome TEXT CHECK (outcome IN ('procede', 'no_procede', 'sin_datos_ubicacion')),
    outcome_reason TEXT,
    archived_on TEXT,
    closed_on TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE INDEX official_letter_by_escalated ON official_letter (unit_code, escalated_on);

-- Statistics: attentions resolved in a period, and the backlog at an instant
-- (received before it minus resolved before it), read from this index.
CREATE INDEX attention_by_resolved ON attention (resolved_at);
