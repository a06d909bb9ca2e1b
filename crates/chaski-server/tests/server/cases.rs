//! The cases of the behavioural suite. Each gets a fresh, migrated database.

use std::collections::BTreeSet;
use std::io::Write;

use chaski_server::{devices, units};
use chaski_wire::{
    EntryStatus, HelloRequest, PullQuery, PushRequest, ReserveRequest, SCHEMA_VERSION, codes,
};
use serde_json::json;
use uuid::Uuid;

use crate::http::{Resp, TransportError};
use crate::support::{Ctx, change_for};

fn hello(last: Option<u64>) -> HelloRequest {
    HelloRequest {
        protocol_min: 1,
        protocol_max: 1,
        schema_version: SCHEMA_VERSION,
        last_device_seq: last,
    }
}

fn api_code<T: std::fmt::Debug>(r: Result<T, TransportError>) -> (u16, String) {
    match r {
        Err(TransportError::Api { status, error }) => {
            assert!(!error.message.is_empty(), "error without message");
            (status, error.code)
        }
        other => panic!("expected an API error, got {other:?}"),
    }
}

pub async fn migrations_are_idempotent(ctx: &Ctx) {
    // Ctx::start already migrated: a second run applies nothing and keeps data.
    ctx.add_unit("UT-CUSCO", false).await;
    let applied = ctx.storage.migrate().await.expect("migrate again");
    assert!(applied.is_empty(), "{}: {applied:?}", ctx.backend);
    ctx.enrolment_code("UT-CUSCO").await;
}

pub async fn enrolment_and_hello(ctx: &Ctx) {
    ctx.add_unit("UT-CUSCO", false).await;
    ctx.add_unit("OC-LIMA", true).await;
    let t = ctx.transport();
    // Without a token: versions only.
    let h = t.hello(None, &hello(None)).await.expect("hello");
    assert_eq!((h.protocol, h.device), (1, None));
    // One-time code.
    let code = ctx.enrolment_code("UT-CUSCO").await;
    let id = Uuid::now_v7();
    let req = chaski_wire::EnrollRequest {
        code: code.clone(),
        device_id: id,
        device_name: "PC-01".into(),
        last_device_seq: None,
        unit: None,
    };
    // A device that says it works for another unit is refused, and the code is NOT used up:
    // the same code then enrols the device of the right unit.
    let elsewhere = chaski_wire::EnrollRequest {
        unit: Some("UT-PUNO".into()),
        ..req.clone()
    };
    let (status, code_text) = api_code(t.enroll(&elsewhere).await);
    assert_eq!(
        (status, code_text.as_str()),
        (409, codes::ENROLMENT_UNIT_MISMATCH)
    );
    let right_unit = chaski_wire::EnrollRequest {
        unit: Some("UT-CUSCO".into()),
        ..req.clone()
    };
    let resp = t.enroll(&right_unit).await.expect("enroll");
    assert_eq!((resp.unit.as_str(), resp.central), ("UT-CUSCO", false));
    // The same device re-presenting its code (the answer was lost) gets a new token and
    // the old one stops working; another device cannot use the code.
    let again = t.enroll(&req).await.expect("re-enrol after a lost answer");
    assert_ne!(again.token, resp.token);
    assert_eq!(
        api_code(t.hello(Some(&resp.token), &hello(None)).await).0,
        401
    );
    let resp = again;
    let other = chaski_wire::EnrollRequest {
        device_id: Uuid::now_v7(),
        ..req.clone()
    };
    assert_eq!(
        api_code(t.enroll(&other).await),
        (403, codes::ENROLMENT_INVALID.into())
    );
    // Lower-case or spaced code is the same code; a used one is still refused.
    let wrong = chaski_wire::EnrollRequest {
        code: "ZZZZ-ZZZZ-ZZZZ".into(),
        ..req.clone()
    };
    assert_eq!(api_code(t.enroll(&wrong).await).0, 403);
    // The server stores only the hash of the token.
    let token = resp.token.clone();
    let stored = ctx
        .storage
        .run(move |tx| {
            tx.query(
                "SELECT token_hash FROM devices WHERE token_hash = $1",
                &[chaski_server::storage::Val::text(token)],
            )
        })
        .await
        .expect("query");
    assert!(stored.is_empty(), "the raw token must not be stored");
    let h = t
        .hello(Some(&resp.token), &hello(Some(0)))
        .await
        .expect("hello");
    let d = h.device.expect("device");
    assert_eq!(d.device_id, id);
    assert_eq!(
        d.readable_units,
        vec!["UT-CUSCO".to_string(), "OC-LIMA".to_string()]
    );
    assert_eq!(
        api_code(t.hello(Some("chk_nope"), &hello(None)).await),
        (401, codes::TOKEN_INVALID.into())
    );
    // A device id enrols once.
    let code2 = ctx.enrolment_code("UT-CUSCO").await;
    let again = chaski_wire::EnrollRequest { code: code2, ..req };
    assert_eq!(
        api_code(t.enroll(&again).await),
        (409, codes::DEVICE_EXISTS.into())
    );
}

pub async fn version_negotiation(ctx: &Ctx) {
    let t = ctx.transport();
    let ok = t
        .hello(
            None,
            &HelloRequest {
                protocol_min: 1,
                protocol_max: 7,
                schema_version: 1,
                last_device_seq: None,
            },
        )
        .await
        .expect("a newer client that still speaks v1 agrees on v1");
    assert_eq!(ok.protocol, 1);
    let future = HelloRequest {
        protocol_min: 2,
        protocol_max: 3,
        schema_version: 1,
        last_device_seq: None,
    };
    assert_eq!(
        api_code(t.hello(None, &future).await),
        (426, codes::PROTOCOL_UNSUPPORTED.into())
    );
    let newer_schema = HelloRequest {
        schema_version: SCHEMA_VERSION + 1,
        ..hello(None)
    };
    assert_eq!(
        api_code(t.hello(None, &newer_schema).await),
        (409, codes::SERVER_OUTDATED.into())
    );
    // One schema version behind is still served (while the data allows: see
    // `data_of_a_newer_schema_refuses_older_clients`); two behind is not.
    let older = HelloRequest {
        schema_version: SCHEMA_VERSION - 1,
        ..hello(None)
    };
    assert!(t.hello(None, &older).await.is_ok());
    let much_older = HelloRequest {
        schema_version: SCHEMA_VERSION - 2,
        ..hello(None)
    };
    assert_eq!(
        api_code(t.hello(None, &much_older).await),
        (426, codes::CLIENT_OUTDATED.into())
    );
}

pub async fn push_is_idempotent_and_refuses_gaps_and_forks(ctx: &Ctx) {
    ctx.add_unit("UT-CUSCO", false).await;
    let d = ctx.device("UT-CUSCO").await;
    let e = Uuid::now_v7();
    let batch: Vec<_> = (1..=3)
        .map(|i| d.change(i, e, json!({"status": format!("s{i}")}), 1_000 + i))
        .collect();
    let r = d.push(batch.clone()).await;
    assert_eq!(r.last_acked_seq, 3);
    assert!(r.results.iter().all(|x| x.status == EntryStatus::Applied));
    let seqs: Vec<_> = r.results.iter().map(|x| x.server_seq).collect();
    assert_eq!(seqs, vec![Some(1), Some(2), Some(3)]);
    // The answer was lost; the client re-sends with one more.
    let mut again = batch.clone();
    again.push(d.change(4, e, json!({"status": "s4"}), 1_004));
    let r = d.push(again).await;
    assert_eq!(r.last_acked_seq, 4);
    let st: Vec<_> = r.results.iter().map(|x| x.status).collect();
    assert_eq!(
        st,
        vec![
            EntryStatus::Duplicate,
            EntryStatus::Duplicate,
            EntryStatus::Duplicate,
            EntryStatus::Applied
        ]
    );
    // Gap.
    let (s, c) = d
        .push_err(vec![d.change(6, e, json!({"x": 1}), 2_000)])
        .await;
    assert_eq!((s, c.as_str()), (409, codes::SEQUENCE_GAP));
    // Fork: seq 2 again with other content; nothing of the batch is applied.
    let (s, c) = d
        .push_err(vec![
            d.change(5, e, json!({"x": 1}), 2_000),
            d.change(2, e, json!({"status": "other"}), 1_002),
        ])
        .await;
    assert_eq!((s, c.as_str()), (409, codes::FORK));
    let page =
        d.t.pull(
            &d.token,
            &PullQuery {
                unit: "UT-CUSCO".into(),
                after: 0,
                limit: None,
            },
        )
        .await
        .expect("pull");
    assert_eq!(page.changes.len(), 4, "the forked batch was rolled back");
    assert_eq!(page.cursor, 4);
    assert_eq!(
        page.changes[2].change, batch[2],
        "the stored change is the pushed one"
    );
    // Empty push is fine.
    assert_eq!(d.push(vec![]).await.last_acked_seq, 4);
}

pub async fn pull_page_boundaries(ctx: &Ctx) {
    const PAGE: u32 = 4;
    for (i, n) in [0u64, 1, 3, 4, 5, 8, 9, 12].into_iter().enumerate() {
        let unit = format!("UT-B{i}");
        ctx.add_unit(&unit, false).await;
        let d = ctx.device(&unit).await;
        let changes: Vec<_> = (1..=n)
            .map(|s| d.change(s, Uuid::now_v7(), json!({"n": s}), 1_000 + s))
            .collect();
        if n > 0 {
            assert_eq!(d.push(changes).await.last_acked_seq, n);
        }
        let mut cursor = 0;
        let mut seen = Vec::new();
        let mut pages = 0;
        loop {
            let page =
                d.t.pull(
                    &d.token,
                    &PullQuery {
                        unit: unit.clone(),
                        after: cursor,
                        limit: Some(PAGE),
                    },
                )
                .await
                .expect("pull");
            assert_eq!(page.unit_seq, n);
            if page.changes.is_empty() {
                assert_eq!(page.cursor, cursor);
                break;
            }
            pages += 1;
            assert!(page.changes.len() <= PAGE as usize);
            seen.extend(page.changes.iter().map(|c| c.server_seq));
            cursor = page.cursor;
        }
        assert_eq!(seen, (1..=n).collect::<Vec<_>>(), "{}: n={n}", ctx.backend);
        assert_eq!(pages, n.div_ceil(u64::from(PAGE)), "n={n}");
    }
}

pub async fn concurrent_field_edits_are_decided_and_listed(ctx: &Ctx) {
    ctx.add_unit("UT-CUSCO", false).await;
    let a = ctx.device("UT-CUSCO").await;
    let b = ctx.device("UT-CUSCO").await;
    let e = Uuid::now_v7();
    a.push(vec![a.change(
        1,
        e,
        json!({"status": "abierta", "notes": "x"}),
        1_000,
    )])
    .await;
    // B edits without having pulled A's change (pulled_through 0): concurrent. B's clock
    // is EARLIER, so A's value stays and B's goes to the conflict list.
    let r = b
        .push(vec![b.change(1, e, json!({"status": "cerrada"}), 900)])
        .await;
    assert_eq!(r.results[0].status, EntryStatus::Merged);
    let conflict_id = r.results[0].conflict_id.expect("conflict id");
    // A later, concurrent edit of another field merges without conflict.
    let r = b
        .push(vec![b.change(2, e, json!({"priority": "alta"}), 950)])
        .await;
    assert_eq!(r.results[0].status, EntryStatus::Applied);
    // B edits "notes" after having pulled A's change: not a conflict, B wins by clock.
    let r =
        b.t.push(
            &b.token,
            &PushRequest {
                pulled_through: [("UT-CUSCO".to_string(), 3)].into(),
                changes: vec![b.change(3, e, json!({"notes": "y"}), 2_000)],
            },
        )
        .await
        .expect("push");
    assert_eq!(r.results[0].status, EntryStatus::Applied);
    let state = ctx
        .storage
        .run(|tx| units::unit_state(tx, "UT-CUSCO"))
        .await
        .expect("state");
    let get = |f: &str| state[&("note".to_string(), e.to_string(), f.to_string())].clone();
    assert_eq!(get("status"), "\"abierta\"");
    assert_eq!(get("notes"), "\"y\"");
    assert_eq!(get("priority"), "\"alta\"");
    let list =
        a.t.conflicts(&a.token, "UT-CUSCO")
            .await
            .expect("conflicts");
    assert_eq!(list.conflicts.len(), 1);
    let c = &list.conflicts[0];
    assert_eq!(c.conflict_id, conflict_id);
    assert_eq!(
        (c.winner_value.clone(), c.loser_value.clone()),
        (json!("abierta"), json!("cerrada"))
    );
    assert_eq!((c.winner_device, c.loser_device), (a.id, b.id));
    // Equal wall clock and counter: the device id breaks the tie, the same way everywhere.
    let e2 = Uuid::now_v7();
    a.push(vec![a.change(2, e2, json!({"status": "A"}), 5_000)])
        .await;
    b.push(vec![b.change(4, e2, json!({"status": "B"}), 5_000)])
        .await;
    let state = ctx
        .storage
        .run(|tx| units::unit_state(tx, "UT-CUSCO"))
        .await
        .expect("state");
    let winner = if b.id > a.id { "\"B\"" } else { "\"A\"" };
    assert_eq!(
        state[&("note".to_string(), e2.to_string(), "status".to_string())],
        winner
    );
}

pub async fn number_blocks_are_enforced(ctx: &Ctx) {
    ctx.add_unit("UT-CUSCO", false).await;
    let a = ctx.device("UT-CUSCO").await;
    let b = ctx.device("UT-CUSCO").await;
    let req = ReserveRequest {
        kind: "cargo".into(),
        year: 2026,
        count: 10,
    };
    let ba = a.t.reserve(&a.token, &req).await.expect("reserve a");
    let bb = b.t.reserve(&b.token, &req).await.expect("reserve b");
    assert_eq!((ba.first, ba.last, bb.first, bb.last), (1, 10, 11, 20));
    assert_eq!(ba.unit, "UT-CUSCO");
    let num = |n: u64| json!({"doc_kind": "cargo", "doc_year": 2026, "doc_number": n});
    let (x, y) = (Uuid::now_v7(), Uuid::now_v7());
    let r = a
        .push(vec![
            a.change(1, x, num(5), 1_000),
            a.change(2, y, num(5), 1_001),
            a.change(3, y, num(11), 1_002),
            a.change(4, y, json!({"doc_kind": "cargo", "doc_number": 6}), 1_003),
            a.change(5, y, num(6), 1_004),
            a.change(6, x, num(5), 1_005),
        ])
        .await;
    let got: Vec<_> = r
        .results
        .iter()
        .map(|x| (x.status, x.code.clone().unwrap_or_default()))
        .collect();
    assert_eq!(
        got,
        vec![
            (EntryStatus::Applied, String::new()),
            (EntryStatus::Rejected, codes::NUMBER_USED.into()),
            (EntryStatus::Rejected, codes::NUMBER_OUTSIDE_BLOCK.into()),
            (EntryStatus::Rejected, codes::NUMBER_INCOMPLETE.into()),
            (EntryStatus::Applied, String::new()),
            (EntryStatus::Applied, String::new()),
        ]
    );
    assert_eq!(
        r.last_acked_seq, 6,
        "rejected entries still consume their sequence"
    );
    // B may not use A's block.
    let r = b
        .push(vec![b.change(1, Uuid::now_v7(), num(7), 1_000)])
        .await;
    assert_eq!(
        r.results[0].code.as_deref(),
        Some(codes::NUMBER_OUTSIDE_BLOCK)
    );
    for bad in [
        ReserveRequest {
            kind: "cargo".into(),
            year: 2026,
            count: 0,
        },
        ReserveRequest {
            kind: "cargo".into(),
            year: 2026,
            count: 100_000,
        },
        ReserveRequest {
            kind: "Robert'); DROP TABLE units;--".into(),
            year: 2026,
            count: 1,
        },
        ReserveRequest {
            kind: "cargo".into(),
            year: 1,
            count: 1,
        },
    ] {
        assert_eq!(api_code(a.t.reserve(&a.token, &bad).await).0, 400);
    }
}

pub async fn signed_documents_never_change(ctx: &Ctx) {
    ctx.add_unit("UT-CUSCO", false).await;
    let a = ctx.device("UT-CUSCO").await;
    let b = ctx.device("UT-CUSCO").await;
    let doc = Uuid::now_v7();
    let r = a
        .push(vec![
            a.change(1, doc, json!({"body": "v1"}), 1_000),
            a.change(2, doc, json!({"signed_at": "2026-11-23T15:00:00Z"}), 1_001),
            a.change(3, doc, json!({"body": "v2"}), 1_002),
        ])
        .await;
    assert_eq!(r.results[2].code.as_deref(), Some(codes::DOCUMENT_SIGNED));
    // Also from another device, even with a later clock.
    let r = b
        .push(vec![b.change(1, doc, json!({"body": "v3"}), 9_000)])
        .await;
    assert_eq!(r.results[0].status, EntryStatus::Rejected);
    assert_eq!(r.results[0].code.as_deref(), Some(codes::DOCUMENT_SIGNED));
    let state = ctx
        .storage
        .run(|tx| units::unit_state(tx, "UT-CUSCO"))
        .await
        .expect("state");
    assert_eq!(
        state[&("note".to_string(), doc.to_string(), "body".to_string())],
        "\"v1\""
    );
    // Rejected changes are not replicated.
    let page =
        a.t.pull(
            &a.token,
            &PullQuery {
                unit: "UT-CUSCO".into(),
                after: 0,
                limit: None,
            },
        )
        .await
        .expect("pull");
    assert_eq!(page.changes.len(), 2);
}

pub async fn revoked_devices_are_refused_at_once(ctx: &Ctx) {
    ctx.add_unit("UT-CUSCO", false).await;
    let d = ctx.device("UT-CUSCO").await;
    d.push(vec![d.change(1, Uuid::now_v7(), json!({"a": 1}), 1)])
        .await;
    let id = d.id;
    ctx.storage
        .run(move |tx| devices::revoke(tx, id))
        .await
        .expect("revoke");
    let (s, c) = d
        .push_err(vec![d.change(2, Uuid::now_v7(), json!({"a": 2}), 2)])
        .await;
    assert_eq!((s, c.as_str()), (401, codes::DEVICE_REVOKED));
    let q = PullQuery {
        unit: "UT-CUSCO".into(),
        after: 0,
        limit: None,
    };
    assert_eq!(
        api_code(d.t.pull(&d.token, &q).await),
        (401, codes::DEVICE_REVOKED.into())
    );
    assert_eq!(
        api_code(d.t.hello(Some(&d.token), &hello(None)).await).0,
        401
    );
    let req = ReserveRequest {
        kind: "cargo".into(),
        year: 2026,
        count: 1,
    };
    assert_eq!(api_code(d.t.reserve(&d.token, &req).await).0, 401);
    assert_eq!(api_code(d.t.conflicts(&d.token, "UT-CUSCO").await).0, 401);
}

pub async fn restored_or_cloned_device_is_detected(ctx: &Ctx) {
    ctx.add_unit("UT-CUSCO", false).await;
    let d = ctx.device("UT-CUSCO").await;
    let e = Uuid::now_v7();
    let changes: Vec<_> = (1..=5)
        .map(|i| d.change(i, e, json!({"n": i}), i))
        .collect();
    d.push(changes).await;
    // The device comes back from a backup that knew only 3 changes.
    assert_eq!(
        api_code(d.t.hello(Some(&d.token), &hello(Some(3))).await),
        (409, codes::DEVICE_RESTORED.into())
    );
    // If it pushes anyway, its new change 4 differs from the server's 4: a fork.
    let (s, c) = d
        .push_err(vec![d.change(4, e, json!({"n": "otro"}), 99)])
        .await;
    assert_eq!((s, c.as_str()), (409, codes::FORK));
    // Its real state is fine.
    assert!(d.t.hello(Some(&d.token), &hello(Some(5))).await.is_ok());
}

pub async fn cross_unit_access_is_refused(ctx: &Ctx) {
    ctx.add_unit("UT-A", false).await;
    ctx.add_unit("UT-B", false).await;
    ctx.add_unit("OC-LIMA", true).await;
    let a = ctx.device("UT-A").await;
    let b = ctx.device("UT-B").await;
    let central = ctx.device("OC-LIMA").await;
    let eb = Uuid::now_v7();
    b.push(vec![b.change(1, eb, json!({"secret": "de B"}), 1)])
        .await;
    // pull
    for unit in ["UT-B", "UT-NOEXISTE"] {
        let q = PullQuery {
            unit: unit.into(),
            after: 0,
            limit: None,
        };
        assert_eq!(
            api_code(a.t.pull(&a.token, &q).await),
            (403, codes::UNIT_FORBIDDEN.into())
        );
    }
    // conflicts
    assert_eq!(
        api_code(a.t.conflicts(&a.token, "UT-B").await),
        (403, codes::UNIT_FORBIDDEN.into())
    );
    assert_eq!(
        api_code(
            a.t.resolve_conflict(
                &a.token,
                Uuid::now_v7(),
                &chaski_wire::ResolveRequest {
                    choice: chaski_wire::ResolutionChoice::Winner,
                    value: None,
                    resolved_by_name: None,
                },
            )
            .await
        ),
        (404, codes::CONFLICT_UNKNOWN.into())
    );
    // push: a change claiming unit B is rejected, and writes nothing into B.
    let forged = change_for(a.id, "UT-B", 1, eb, json!({"secret": "pisado"}), 50);
    let r = a.push(vec![forged]).await;
    assert_eq!(r.results[0].code.as_deref(), Some(codes::UNIT_MISMATCH));
    // push: a change claiming to be from device B is refused outright.
    let spoofed = change_for(b.id, "UT-A", 2, eb, json!({"secret": "pisado"}), 50);
    let (s, c) = a.push_err(vec![spoofed]).await;
    assert_eq!((s, c.as_str()), (400, codes::DEVICE_MISMATCH));
    // numbers: the block is always in the device's own unit.
    let blk =
        a.t.reserve(
            &a.token,
            &ReserveRequest {
                kind: "cargo".into(),
                year: 2026,
                count: 3,
            },
        )
        .await
        .expect("reserve");
    assert_eq!(blk.unit, "UT-A");
    // hello lists only its own unit and the central office.
    let h =
        a.t.hello(Some(&a.token), &hello(None))
            .await
            .expect("hello");
    assert_eq!(
        h.device.expect("device").readable_units,
        vec!["UT-A", "OC-LIMA"]
    );
    // B's data is intact.
    let state = ctx
        .storage
        .run(|tx| units::unit_state(tx, "UT-B"))
        .await
        .expect("state");
    assert_eq!(
        state[&("note".to_string(), eb.to_string(), "secret".to_string())],
        "\"de B\""
    );
    // A may read the central office's reference data; the central office reads everyone.
    let q = PullQuery {
        unit: "OC-LIMA".into(),
        after: 0,
        limit: None,
    };
    assert!(a.t.pull(&a.token, &q).await.is_ok());
    let q = PullQuery {
        unit: "UT-B".into(),
        after: 0,
        limit: None,
    };
    assert_eq!(
        central
            .t
            .pull(&central.token, &q)
            .await
            .expect("central pull")
            .changes
            .len(),
        1
    );
    assert!(central.t.conflicts(&central.token, "UT-B").await.is_ok());
    let q = PullQuery {
        unit: "UT-NOEXISTE".into(),
        after: 0,
        limit: None,
    };
    assert_eq!(api_code(central.t.pull(&central.token, &q).await).0, 404);
}

async fn assert_json_error(resp: Resp, status: u16) -> String {
    assert_eq!(resp.status().as_u16(), status, "status");
    assert_eq!(
        resp.headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
    let headers = format!("{:?}", resp.headers());
    let bytes = resp.bytes().await.expect("body");
    let body: serde_json::Value = serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("JSON error body ({status}, {headers}): {e}: {bytes:?}"));
    let code = body["code"].as_str().expect("code").to_string();
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
    code
}

pub async fn hostile_requests_get_json_4xx(ctx: &Ctx) {
    ctx.add_unit("UT-CUSCO", false).await;
    let d = ctx.device("UT-CUSCO").await;
    let http = &ctx.http;
    let auth = format!("Bearer {}", d.token);
    let post = |path: &str| {
        http.post(ctx.url(path))
            .header("authorization", auth.clone())
    };
    // Malformed JSON.
    let r = post("/v1/push")
        .header("content-type", "application/json")
        .body("{\"changes\": [")
        .send()
        .await
        .expect("send");
    assert_eq!(assert_json_error(r, 400).await, codes::BAD_REQUEST);
    // Wrong shape.
    let r = post("/v1/push")
        .json(&json!({"changes": [{"device_seq": -1}]}))
        .send()
        .await
        .expect("send");
    assert_eq!(assert_json_error(r, 400).await, codes::BAD_REQUEST);
    // No content type.
    let r = post("/v1/push").body("{}").send().await.expect("send");
    assert_eq!(r.status().as_u16() / 100, 4);
    assert_json_error(r, 415).await;
    // Oversized body.
    let big = vec![b' '; chaski_server::api::MAX_BODY_BYTES + 10];
    let r = post("/v1/push")
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .expect("send");
    assert_json_error(r, 413).await;
    // Gzip bomb: small on the wire, huge once inflated.
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..40 {
        enc.write_all(&chunk).expect("gzip");
    }
    let bomb = enc.finish().expect("gzip");
    assert!(bomb.len() < 200_000);
    let r = post("/v1/push")
        .header("content-type", "application/json")
        .header("content-encoding", "gzip")
        .body(bomb)
        .send()
        .await
        .expect("send");
    assert_json_error(r, 413).await;
    // Broken gzip.
    let r = post("/v1/push")
        .header("content-type", "application/json")
        .header("content-encoding", "gzip")
        .body(&b"not gzip at all"[..])
        .send()
        .await
        .expect("send");
    assert_eq!(r.status().as_u16() / 100, 4);
    assert_json_error(r, 400).await;
    // Unknown encoding.
    let r = post("/v1/push")
        .header("content-type", "application/json")
        .header("content-encoding", "br")
        .body("{}")
        .send()
        .await
        .expect("send");
    assert_json_error(r, 415).await;
    // Too many changes.
    let e = Uuid::now_v7();
    let many: Vec<_> = (1..=1001)
        .map(|i| d.change(i, e, json!({"n": i}), i))
        .collect();
    let (s, c) = d.push_err(many).await;
    assert_eq!((s, c.as_str()), (413, codes::TOO_LARGE));
    // Hostile entity and field names are rejected, not executed.
    let mut evil = d.change(1, e, json!({"n": 1}), 1);
    evil.entity = "attention; DROP TABLE changes".into();
    let mut evil2 = d.change(2, e, json!({"a\"b": 1}), 2);
    evil2.entity = "attention".into();
    let mut evil3 = d.change(3, e, json!({"n": 1}), 3);
    evil3.hlc.device = Uuid::nil();
    let r = d.push(vec![evil, evil2, evil3]).await;
    assert!(
        r.results
            .iter()
            .all(|x| x.code.as_deref() == Some(codes::INVALID_CHANGE)),
        "{r:?}"
    );
    // Bad query strings.
    for q in [
        "unit=UT-CUSCO&after=-1",
        "after=1",
        "unit=UT-CUSCO&after=99999999999999999999999",
        "unit=UT-CUSCO&limit=abc",
    ] {
        let r = http
            .get(format!("{}?{q}", ctx.url("/v1/pull")))
            .header("authorization", auth.clone())
            .send()
            .await
            .expect("send");
        assert_json_error(r, 400).await;
    }
    // Absurd limits are clamped, not errors.
    let r = http
        .get(format!(
            "{}?unit=UT-CUSCO&after=0&limit=4000000000",
            ctx.url("/v1/pull")
        ))
        .header("authorization", auth.clone())
        .send()
        .await
        .expect("send");
    assert_eq!(r.status().as_u16(), 200);
    // Auth header garbage.
    for h in ["Basic abc", "Bearer ", "Bearer \u{7f}"] {
        let r = http
            .get(format!("{}?unit=UT-CUSCO", ctx.url("/v1/pull")))
            .header("authorization", h)
            .send()
            .await;
        if let Ok(r) = r {
            assert_json_error(r, 401).await;
        }
    }
    let r = http
        .get(format!("{}?unit=UT-CUSCO", ctx.url("/v1/pull")))
        .send()
        .await
        .expect("send");
    assert_eq!(assert_json_error(r, 401).await, codes::TOKEN_MISSING);
    // Unknown route, wrong method.
    let r = http.get(ctx.url("/v1/nothing")).send().await.expect("send");
    assert_eq!(assert_json_error(r, 404).await, codes::NOT_FOUND);
    let r = http.get(ctx.url("/v1/push")).send().await.expect("send");
    assert_json_error(r, 405).await;
    let r = http.get(ctx.url("/")).send().await.expect("send");
    assert_json_error(r, 404).await;
    // Enrolment with absurd fields.
    let r = http
        .post(ctx.url("/v1/enroll"))
        .json(&json!({"code": "x".repeat(10_000), "device_id": Uuid::now_v7(), "device_name": "a"}))
        .send()
        .await
        .expect("send");
    assert_json_error(r, 403).await;
    let code = ctx.enrolment_code("UT-CUSCO").await;
    let r = http
        .post(ctx.url("/v1/enroll"))
        .json(&json!({"code": code, "device_id": Uuid::now_v7(), "device_name": ""}))
        .send()
        .await
        .expect("send");
    assert_json_error(r, 400).await;
    // The server is still healthy.
    let r = d.push(vec![d.change(4, e, json!({"ok": true}), 4)]).await;
    assert_eq!(r.last_acked_seq, 4);
}

pub async fn openapi_matches_routes(ctx: &Ctx) {
    let r = ctx
        .http
        .get(ctx.url("/v1/openapi.json"))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status().as_u16(), 200);
    let doc: serde_json::Value = r.json().await.expect("json");
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("item").keys() {
            documented.insert((method.clone(), path.clone()));
        }
    }
    let routes: BTreeSet<_> = chaski_server::api::ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(documented, routes);
    // Every documented route really exists: anything but the JSON 404 of an unknown route.
    for (method, path) in &documented {
        let req = match method.as_str() {
            "get" => ctx.http.get(ctx.url(path)),
            _ => ctx.http.post(ctx.url(path)).json(&json!({})),
        };
        let r = req.send().await.expect("send");
        if r.status().as_u16() == 404 {
            let body: serde_json::Value = r.json().await.expect("json");
            assert_ne!(
                body["code"],
                codes::NOT_FOUND,
                "{method} {path} is documented but not routed"
            );
        }
    }
    // Examples a third-party client can copy.
    let schemas = &doc["components"]["schemas"];
    for s in [
        "PushRequest",
        "PushResponse",
        "HelloRequest",
        "PullPage",
        "ReserveRequest",
        "ApiError",
        "ResolveRequest",
        "Conflict",
    ] {
        assert!(schemas[s]["example"].is_object(), "{s} has no example");
    }
    assert!(doc["components"]["securitySchemes"]["device_token"].is_object());
}

pub async fn concurrent_pushes_get_dense_unit_sequences(ctx: &Ctx) {
    ctx.add_unit("UT-CUSCO", false).await;
    let mut devices = Vec::new();
    for _ in 0..8 {
        devices.push(ctx.device("UT-CUSCO").await);
    }
    let mut tasks = Vec::new();
    for d in devices {
        tasks.push(tokio::spawn(async move {
            for round in 0..5u64 {
                let changes: Vec<_> = (1..=10)
                    .map(|i| {
                        d.change(
                            round * 10 + i,
                            Uuid::now_v7(),
                            json!({"n": i}),
                            1_000 + round * 10 + i,
                        )
                    })
                    .collect();
                let r = d.push(changes).await;
                assert_eq!(r.last_acked_seq, round * 10 + 10);
            }
            d
        }));
    }
    let mut devs = Vec::new();
    for t in tasks {
        devs.push(t.await.expect("task"));
    }
    let d = &devs[0];
    let mut all = Vec::new();
    let mut cursor = 0;
    loop {
        let page =
            d.t.pull(
                &d.token,
                &PullQuery {
                    unit: "UT-CUSCO".into(),
                    after: cursor,
                    limit: Some(77),
                },
            )
            .await
            .expect("pull");
        if page.changes.is_empty() {
            break;
        }
        all.extend(page.changes.iter().map(|c| c.server_seq));
        cursor = page.cursor;
    }
    assert_eq!(all, (1..=400).collect::<Vec<_>>(), "{}", ctx.backend);
}

pub async fn attention_numbers_and_pre_enrolment_numbers(ctx: &Ctx) {
    ctx.add_unit("UT-CUSCO", false).await;
    let t = ctx.transport();
    let mut devs = Vec::new();
    for last in [2u64, 1] {
        let id = Uuid::now_v7();
        let r = t
            .enroll(&chaski_wire::EnrollRequest {
                code: ctx.enrolment_code("UT-CUSCO").await,
                device_id: id,
                device_name: "PC".into(),
                last_device_seq: Some(last),
                unit: None,
            })
            .await
            .expect("enroll");
        devs.push((id, r.token));
    }
    let push = |i: usize, changes: Vec<chaski_core::change::Change>| {
        let (t, token) = (ctx.transport(), devs[i].1.clone());
        async move {
            t.push(
                &token,
                &PushRequest {
                    pulled_through: Default::default(),
                    changes,
                },
            )
            .await
            .expect("push")
        }
    };
    let att = |dev: Uuid, seq: u64, e: Uuid, fields: serde_json::Value| {
        let mut c = change_for(dev, "UT-CUSCO", seq, e, fields, 1_000 + seq);
        c.entity = "attention".into();
        c
    };
    let (a, b) = (devs[0].0, devs[1].0);
    let (e1, e2, e3, e4, e5) = (
        Uuid::now_v7(),
        Uuid::now_v7(),
        Uuid::now_v7(),
        Uuid::now_v7(),
        Uuid::now_v7(),
    );
    // Numbered from the devices' own local series before enrolment: registered, no block.
    let r = push(
        0,
        vec![
            att(a, 1, e1, json!({"year": 2026, "number": 7, "problem": "x"})),
            att(a, 2, e2, json!({"year": 2026, "number": 8})),
        ],
    )
    .await;
    assert!(
        r.results.iter().all(|x| x.status == EntryStatus::Applied),
        "{r:?}"
    );
    // Another standalone device used 7 too: kept, and raised for review.
    let r = push(1, vec![att(b, 1, e3, json!({"year": 2026, "number": 7}))]).await;
    assert_eq!(r.results[0].status, EntryStatus::Applied);
    let list = t
        .conflicts(&devs[0].1, "UT-CUSCO")
        .await
        .expect("conflicts");
    assert!(
        list.conflicts
            .iter()
            .any(|c| c.field == "number" && c.entity_id == e3),
        "{list:?}"
    );
    // Blocks start after every registered number.
    let blk = t
        .reserve(
            &devs[0].1,
            &ReserveRequest {
                kind: "attention".into(),
                year: 2026,
                count: 5,
            },
        )
        .await
        .expect("reserve");
    assert!(blk.first >= 9, "{blk:?}");
    let r = push(
        0,
        vec![
            att(a, 3, e4, json!({"year": 2026, "number": blk.first})),
            att(a, 4, e5, json!({"year": 2026, "number": 3})),
            att(a, 5, e4, json!({"status": "en_progreso"})),
            att(a, 6, e4, json!({"number": blk.first})),
            att(a, 7, e5, json!({"number": "siete"})),
        ],
    )
    .await;
    let codes_got: Vec<_> = r.results.iter().map(|x| x.code.clone()).collect();
    assert_eq!(
        codes_got,
        vec![
            None,
            Some(codes::NUMBER_OUTSIDE_BLOCK.into()),
            None,
            None,
            Some(codes::NUMBER_INCOMPLETE.into())
        ]
    );
}

pub async fn conflicts_are_resolved_on_the_server(ctx: &Ctx) {
    use chaski_wire::{ResolutionChoice, ResolveRequest};
    ctx.add_unit("UT-A", false).await;
    ctx.add_unit("UT-B", false).await;
    ctx.add_unit("OC-LIMA", true).await;
    let a1 = ctx.device("UT-A").await;
    let a2 = ctx.device("UT-A").await;
    let b = ctx.device("UT-B").await;
    let central = ctx.device("OC-LIMA").await;
    let e = Uuid::now_v7();
    a1.push(vec![a1.change(
        1,
        e,
        json!({"status": "abierta", "notes": "uno"}),
        1_000,
    )])
    .await;
    // Concurrent edits of two fields on a2: two conflicts.
    let r = a2
        .push(vec![a2.change(
            1,
            e,
            json!({"status": "cerrada", "notes": "dos"}),
            900,
        )])
        .await;
    assert_eq!(r.results[0].status, EntryStatus::Merged);
    let list = a2.t.conflicts(&a2.token, "UT-A").await.expect("list");
    assert_eq!(list.conflicts.len(), 2);
    let by_field = |f: &str| {
        list.conflicts
            .iter()
            .find(|c| c.field == f)
            .expect("conflict")
            .clone()
    };
    let (status, notes) = (by_field("status"), by_field("notes"));
    assert!(status.resolved_at.is_none() && status.resolution.is_none());
    let req = |choice, value: Option<serde_json::Value>| ResolveRequest {
        choice,
        value,
        resolved_by_name: Some("Rosa Huamán".into()),
    };

    // Another unit: the same answer as for an id that does not exist.
    let other = api_code(
        b.t.resolve_conflict(
            &b.token,
            status.conflict_id,
            &req(ResolutionChoice::Winner, None),
        )
        .await,
    );
    let missing = api_code(
        b.t.resolve_conflict(
            &b.token,
            Uuid::now_v7(),
            &req(ResolutionChoice::Winner, None),
        )
        .await,
    );
    assert_eq!(other, (404, codes::CONFLICT_UNKNOWN.into()));
    assert_eq!(missing, other);
    assert_eq!(
        api_code(b.t.conflicts(&b.token, "UT-A").await),
        (403, codes::UNIT_FORBIDDEN.into())
    );
    // Bad requests.
    assert_eq!(
        api_code(
            a2.t.resolve_conflict(
                &a2.token,
                status.conflict_id,
                &req(ResolutionChoice::Value, None)
            )
            .await
        ),
        (400, codes::BAD_REQUEST.into())
    );
    assert_eq!(
        api_code(
            a2.t.resolve_conflict(
                &a2.token,
                status.conflict_id,
                &req(ResolutionChoice::Loser, Some(json!("x")))
            )
            .await
        ),
        (400, codes::BAD_REQUEST.into())
    );
    let long_name = ResolveRequest {
        choice: ResolutionChoice::Winner,
        value: None,
        resolved_by_name: Some("x".repeat(201)),
    };
    assert_eq!(
        api_code(
            a2.t.resolve_conflict(&a2.token, status.conflict_id, &long_name)
                .await
        )
        .0,
        400
    );
    let r = ctx
        .http
        .post(ctx.url("/v1/conflicts/no-es-un-id/resolve"))
        .bearer_auth(&a2.token)
        .json(&json!({"choice": "winner"}))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status().as_u16(), 400);
    let body: serde_json::Value = r.json().await.expect("json");
    assert_eq!(body["code"], codes::BAD_REQUEST);
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("conflict_id"))
    );
    let r = ctx
        .http
        .post(ctx.url(&format!("/v1/conflicts/{}/resolve", status.conflict_id)))
        .bearer_auth(&a2.token)
        .json(&json!({"choice": "ninguno"}))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status().as_u16(), 400);
    // Nothing above resolved anything.
    assert_eq!(
        a1.t.conflicts(&a1.token, "UT-A")
            .await
            .expect("list")
            .conflicts
            .len(),
        2
    );

    // The unit resolves: who, when, what.
    let before = chrono::Utc::now() - chrono::Duration::seconds(5);
    let done =
        a2.t.resolve_conflict(
            &a2.token,
            status.conflict_id,
            &req(ResolutionChoice::Loser, None),
        )
        .await
        .expect("resolve");
    assert_eq!(done.conflict_id, status.conflict_id);
    assert_eq!(done.resolution, Some(ResolutionChoice::Loser));
    assert_eq!(done.resolved_value, Some(json!("cerrada")));
    assert_eq!(done.resolved_by, Some(a2.id));
    assert_eq!(done.resolved_by_name.as_deref(), Some("Rosa Huamán"));
    assert!(done.resolved_at.is_some_and(|t| t > before));
    // A retry (lost answer) gets the same resolution.
    let again =
        a2.t.resolve_conflict(
            &a2.token,
            status.conflict_id,
            &req(ResolutionChoice::Loser, None),
        )
        .await
        .expect("retry");
    assert_eq!(again, done);
    // Another choice afterwards is refused, saying who resolved it.
    let err =
        a1.t.resolve_conflict(
            &a1.token,
            status.conflict_id,
            &req(ResolutionChoice::Winner, None),
        )
        .await
        .expect_err("already resolved");
    match err {
        TransportError::Api { status, error } => {
            assert_eq!(
                (status, error.code.as_str()),
                (409, codes::CONFLICT_RESOLVED)
            );
            assert!(error.message.contains("Rosa Huamán"), "{}", error.message);
        }
        other => panic!("{other:?}"),
    }
    // Resolved conflicts are hidden by default, listed on request.
    let open = a1.t.conflicts(&a1.token, "UT-A").await.expect("list");
    assert_eq!(
        open.conflicts
            .iter()
            .map(|c| c.conflict_id)
            .collect::<Vec<_>>(),
        vec![notes.conflict_id]
    );
    let all: chaski_wire::ConflictList = ctx
        .http
        .get(ctx.url("/v1/conflicts?unit=UT-A&include_resolved=true"))
        .bearer_auth(&a1.token)
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_eq!(all.conflicts.len(), 2);
    assert!(all.conflicts.contains(&done));

    // The central office may resolve any unit's conflict, with a value of its own.
    let mixed = central
        .t
        .resolve_conflict(
            &central.token,
            notes.conflict_id,
            &ResolveRequest {
                choice: ResolutionChoice::Value,
                value: Some(json!("uno y dos")),
                resolved_by_name: None,
            },
        )
        .await
        .expect("central resolves");
    assert_eq!(mixed.resolved_value, Some(json!("uno y dos")));
    assert_eq!(mixed.resolved_by, Some(central.id));
    assert_eq!(mixed.resolved_by_name, None);
    assert!(
        a1.t.conflicts(&a1.token, "UT-A")
            .await
            .expect("list")
            .conflicts
            .is_empty()
    );
    // Resolving records the decision only: the merged state is untouched until the device
    // writes the chosen value as a new change.
    let state = ctx
        .storage
        .run(|tx| units::unit_state(tx, "UT-A"))
        .await
        .expect("state");
    assert_eq!(
        state[&("note".to_string(), e.to_string(), "status".to_string())],
        "\"abierta\""
    );
}

pub async fn restamped_changes_of_a_reset_device_are_not_applied_twice(ctx: &Ctx) {
    ctx.add_unit("UT-A", false).await;
    ctx.add_unit("UT-B", false).await;
    let old = ctx.device("UT-A").await;
    let new = ctx.device("UT-A").await;
    let other_unit = ctx.device("UT-B").await;
    let e = Uuid::now_v7();
    let original = old.change(1, e, json!({"status": "abierta"}), 1_000);
    let r = old.push(vec![original.clone()]).await;
    let first_seq = r.results[0].server_seq;
    // The same change re-stamped by the reset device (new id, new sequence, same change id,
    // clock time and content): answered duplicate, its sequence consumed, nothing applied.
    let restamp = |seq: u64, device: Uuid, unit: &str| {
        let mut c = original.clone();
        c.device_id = device;
        c.device_seq = seq;
        c.hlc.device = device;
        c.unit = unit.to_string();
        c
    };
    let fresh = new.change(2, Uuid::now_v7(), json!({"status": "nueva"}), 2_000);
    let r = new
        .push(vec![restamp(1, new.id, "UT-A"), fresh.clone()])
        .await;
    assert_eq!(r.results[0].status, EntryStatus::Duplicate);
    assert_eq!(r.results[0].server_seq, first_seq);
    assert_eq!(r.results[1].status, EntryStatus::Applied);
    assert_eq!(r.last_acked_seq, 2);
    // A retry of the whole batch is recognised.
    let r = new.push(vec![restamp(1, new.id, "UT-A"), fresh]).await;
    assert_eq!(
        r.results.iter().map(|x| x.status).collect::<Vec<_>>(),
        vec![EntryStatus::Duplicate, EntryStatus::Duplicate]
    );
    let page = new
        .t
        .pull(
            &new.token,
            &PullQuery {
                unit: "UT-A".into(),
                after: 0,
                limit: None,
            },
        )
        .await
        .expect("pull");
    assert_eq!(
        page.changes.len(),
        2,
        "the re-stamped change was not applied again"
    );
    // The same change id with other content, or from another unit: refused.
    let mut forged = restamp(3, new.id, "UT-A");
    forged.fields.insert("status".into(), json!("cerrada"));
    let (s, c) = new.push_err(vec![forged]).await;
    assert_eq!((s, c.as_str()), (400, codes::BAD_REQUEST));
    let (s, c) = other_unit
        .push_err(vec![restamp(1, other_unit.id, "UT-B")])
        .await;
    assert_eq!((s, c.as_str()), (400, codes::BAD_REQUEST));
}

pub async fn a_full_batch_is_written_completely(ctx: &Ctx) {
    // 1000 changes × 6 fields: the field versions take more than one multi-row statement.
    ctx.add_unit("UT-CUSCO", false).await;
    let d = ctx.device("UT-CUSCO").await;
    let changes: Vec<_> = (1..=1000u64)
        .map(|i| {
            d.change(
                i,
                Uuid::now_v7(),
                json!({"a": i, "b": "texto", "c": true, "d": null, "e": [i], "f": {"g": i}}),
                i,
            )
        })
        .collect();
    let r = d.push(changes).await;
    assert_eq!(r.last_acked_seq, 1000);
    assert!(r.results.iter().all(|x| x.status == EntryStatus::Applied));
    let state = ctx
        .storage
        .run(|tx| units::unit_state(tx, "UT-CUSCO"))
        .await
        .expect("state");
    assert_eq!(state.len(), 6000);
    let page =
        d.t.pull(
            &d.token,
            &PullQuery {
                unit: "UT-CUSCO".into(),
                after: 0,
                limit: Some(5000),
            },
        )
        .await
        .expect("pull");
    assert_eq!(page.changes.len(), 1000);
    assert_eq!(page.cursor, 1000);
}

/// Attentions, cargos, traslados and informes de baja carry their number in their own
/// `year`/`number` fields: a draft (no number) is accepted; numbering it later is checked
/// against the device's block; a lifecycle change that repeats the stored number (a cargo
/// signed on another device of the unit) is not a numbering and is accepted.
pub async fn own_field_numbers_drafts_and_lifecycle_changes(ctx: &Ctx) {
    ctx.add_unit("UT-CUSCO", false).await;
    let a = ctx.device("UT-CUSCO").await;
    let b = ctx.device("UT-CUSCO").await;
    let reserve = |kind: &str| ReserveRequest {
        kind: kind.into(),
        year: 2026,
        count: 5,
    };
    let att_block =
        a.t.reserve(&a.token, &reserve("attention"))
            .await
            .expect("att");
    let cargo_block =
        a.t.reserve(&a.token, &reserve("assignment"))
            .await
            .expect("cargo");
    let of = |entity: &str, mut c: chaski_core::change::Change| {
        c.entity = entity.into();
        c
    };
    let (draft, cargo, forged) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let r = a
        .push(vec![
            of(
                "attention",
                a.change(
                    1,
                    draft,
                    json!({"year": 2026, "number": null, "problem": "sin red"}),
                    1_000,
                ),
            ),
            of(
                "attention",
                a.change(
                    2,
                    draft,
                    json!({"year": 2026, "number": att_block.first}),
                    1_001,
                ),
            ),
            of(
                "assignment",
                a.change(
                    3,
                    cargo,
                    json!({"status": "emitido", "year": 2026, "number": cargo_block.first}),
                    1_002,
                ),
            ),
            of(
                "assignment",
                a.change(
                    4,
                    forged,
                    json!({"status": "emitido", "year": 2026, "number": 999}),
                    1_003,
                ),
            ),
            of(
                "transfer",
                a.change(
                    5,
                    Uuid::now_v7(),
                    json!({"status": "emitido", "year": 2026, "number": 1}),
                    1_004,
                ),
            ),
        ])
        .await;
    let got: Vec<_> = r
        .results
        .iter()
        .map(|x| (x.status, x.code.clone().unwrap_or_default()))
        .collect();
    assert_eq!(
        got,
        vec![
            (EntryStatus::Applied, String::new()),
            (EntryStatus::Applied, String::new()),
            (EntryStatus::Applied, String::new()),
            (EntryStatus::Rejected, codes::NUMBER_OUTSIDE_BLOCK.into()),
            (EntryStatus::Rejected, codes::NUMBER_OUTSIDE_BLOCK.into()),
        ]
    );
    // B signs A's cargo: its lifecycle fields repeat A's number — accepted.
    let r = b
        .push(vec![of(
            "assignment",
            b.change(
                1,
                cargo,
                json!({"status": "firmado", "year": 2026, "number": cargo_block.first,
                       "signed_at": "2026-11-23T15:00:00Z"}),
                2_000,
            ),
        )])
        .await;
    // (Merged: B had not pulled A's status, so the status field is also raised for review.)
    assert!(
        matches!(
            r.results[0].status,
            EntryStatus::Applied | EntryStatus::Merged
        ),
        "{r:?}"
    );
    // B may not number its own cargo from A's block.
    let r = b
        .push(vec![of(
            "assignment",
            b.change(
                2,
                Uuid::now_v7(),
                json!({"year": 2026, "number": cargo_block.first + 1}),
                2_001,
            ),
        )])
        .await;
    assert_eq!(
        r.results[0].code.as_deref(),
        Some(codes::NUMBER_OUTSIDE_BLOCK)
    );
}

/// An older client (schema one behind) is served until a unit it reads holds data pushed by
/// a newer one (e.g. the hardware-operations record kinds, which it could not apply): then its hello is
/// refused with 426 `client_outdated` and a Spanish message that says to update; updated, it
/// is served again. Other units' old clients are not affected; a central-office client reads
/// every unit, so it is.
pub async fn data_of_a_newer_schema_refuses_older_clients(ctx: &Ctx) {
    ctx.add_unit("UT-CUSCO", false).await;
    ctx.add_unit("UT-PUNO", false).await;
    ctx.add_unit("OC-LIMA", true).await;
    let new = ctx.device("UT-CUSCO").await;
    let old = ctx.device("UT-CUSCO").await;
    let puno = ctx.device("UT-PUNO").await;
    let central = ctx.device("OC-LIMA").await;
    let at = |schema_version| HelloRequest {
        schema_version,
        ..hello(None)
    };
    let older = SCHEMA_VERSION - 1;
    for d in [&new, &old, &puno, &central] {
        d.t.hello(Some(&d.token), &at(older))
            .await
            .expect("an older client is served while the data allows");
    }
    // The updated device says hello with the current schema and pushes.
    new.t
        .hello(Some(&new.token), &at(SCHEMA_VERSION))
        .await
        .expect("hello");
    let mut c = new.change(
        1,
        Uuid::now_v7(),
        json!({"asset_id": "x", "result": "operativo"}),
        1_000,
    );
    c.entity = "diagnostic".into();
    let r = new.push(vec![c]).await;
    assert_eq!(r.results[0].status, EntryStatus::Applied);
    for d in [&old, &central] {
        match d.t.hello(Some(&d.token), &at(older)).await {
            Err(TransportError::Api { status, error }) => {
                assert_eq!((status, error.code.as_str()), (426, codes::CLIENT_OUTDATED));
                assert!(
                    error.message.contains("UT-CUSCO")
                        && error.message.contains("actualice Chaski"),
                    "{}",
                    error.message
                );
            }
            other => panic!("expected client_outdated, got {other:?}"),
        }
    }
    puno.t
        .hello(Some(&puno.token), &at(older))
        .await
        .expect("another unit's data does not need the newer schema");
    old.t
        .hello(Some(&old.token), &at(SCHEMA_VERSION))
        .await
        .expect("updated, it is served again");
    // A push from a device that said the older schema does not raise its unit's need.
    let mut c = puno.change(1, Uuid::now_v7(), json!({"name": "x"}), 1_000);
    c.entity = "office".into();
    assert_eq!(
        puno.push(vec![c]).await.results[0].status,
        EntryStatus::Applied
    );
    puno.t
        .hello(Some(&puno.token), &at(older))
        .await
        .expect("still served");
    central
        .t
        .hello(Some(&central.token), &at(SCHEMA_VERSION))
        .await
        .expect("updated central");
}

/// The authorisation matrix over payload fields: a record belongs to the unit of its first
/// accepted change; no other unit's device — a central-office one included — may upsert,
/// delete, sign or lose a conflict against it, claim another unit in `unit_code` or another
/// unit's technician in `created_by`; the answer reveals nothing of the record.
pub async fn records_belong_to_their_unit(ctx: &Ctx) {
    use chaski_core::change::ChangeOp;

    ctx.add_unit("UT-A", false).await;
    ctx.add_unit("UT-B", false).await;
    ctx.add_unit("OC-LIMA", true).await;
    let a = ctx.device("UT-A").await;
    let a2 = ctx.device("UT-A").await;
    let b = ctx.device("UT-B").await;
    let central = ctx.device("OC-LIMA").await;
    let entity = |mut c: chaski_core::change::Change, name: &str| {
        c.entity = name.into();
        c
    };
    // B's person, B's technician, the central office's office, A's person.
    let (eb, tb, ec, ea) = (
        Uuid::now_v7(),
        Uuid::now_v7(),
        Uuid::now_v7(),
        Uuid::now_v7(),
    );
    let r = b
        .push(vec![
            entity(
                b.change(
                    1,
                    eb,
                    json!({"unit_code": "UT-B", "last_names": "Quispe"}),
                    100,
                ),
                "person",
            ),
            entity(
                b.change(
                    2,
                    tb,
                    json!({"unit_code": "UT-B", "last_names": "Mamani"}),
                    100,
                ),
                "technician",
            ),
        ])
        .await;
    assert!(r.results.iter().all(|x| x.status == EntryStatus::Applied));
    let r = central
        .push(vec![entity(
            central.change(
                1,
                ec,
                json!({"unit_code": "OC-LIMA", "name": "Sede central"}),
                100,
            ),
            "office",
        )])
        .await;
    assert_eq!(r.results[0].status, EntryStatus::Applied);
    let r = a
        .push(vec![entity(
            a.change(
                1,
                ea,
                json!({"unit_code": "UT-A", "last_names": "Huamán"}),
                100,
            ),
            "person",
        )])
        .await;
    assert_eq!(r.results[0].status, EntryStatus::Applied);

    // A's attempts, each in its own push.
    let mut delete = entity(a.change(0, eb, json!({}), 5_000), "person");
    delete.op = ChangeOp::Delete;
    let attempts: Vec<(&str, chaski_core::change::Change, &str)> = vec![
        (
            "upsert of B's record",
            entity(
                a.change(0, eb, json!({"last_names": "pisado"}), 5_000),
                "person",
            ),
            codes::RECORD_FOREIGN,
        ),
        ("delete of B's record", delete, codes::RECORD_FOREIGN),
        (
            "signing B's record (would freeze it)",
            entity(
                a.change(0, eb, json!({"signed_at": "2026-12-01T10:00:00Z"}), 5_000),
                "person",
            ),
            codes::RECORD_FOREIGN,
        ),
        (
            "a losing change (would list B's value as a conflict)",
            entity(a.change(0, eb, json!({"last_names": "viejo"}), 1), "person"),
            codes::RECORD_FOREIGN,
        ),
        (
            "the central office's reference data",
            entity(a.change(0, ec, json!({"name": "Otra"}), 5_000), "office"),
            codes::RECORD_FOREIGN,
        ),
        (
            "a new record claiming unit B",
            entity(
                a.change(
                    0,
                    Uuid::now_v7(),
                    json!({"unit_code": "UT-B", "name": "x"}),
                    5_000,
                ),
                "office",
            ),
            codes::UNIT_MISMATCH,
        ),
        (
            "a new record authored by B's technician",
            entity(
                a.change(
                    0,
                    Uuid::now_v7(),
                    json!({"unit_code": "UT-A", "created_by": tb}),
                    5_000,
                ),
                "person",
            ),
            codes::RECORD_FOREIGN,
        ),
        (
            "a new record done by B's technician",
            entity(
                a.change(
                    0,
                    Uuid::now_v7(),
                    json!({"technician_id": tb.to_string()}),
                    5_000,
                ),
                "asset_event",
            ),
            codes::RECORD_FOREIGN,
        ),
    ];
    for (seq, (what, mut change, code)) in (2..).zip(attempts) {
        change.device_seq = seq;
        let r = a.push(vec![change]).await;
        let e = &r.results[0];
        assert_eq!(
            (e.status, e.code.as_deref()),
            (EntryStatus::Rejected, Some(code)),
            "{}: {what}",
            ctx.backend
        );
        // Nothing about the record travels back.
        assert_eq!((e.server_seq, e.conflict_id), (None, None), "{what}");
        assert_eq!(r.last_acked_seq, seq, "{what}: the sequence is consumed");
    }
    // No conflict anywhere: A's list is empty, and so is B's.
    assert!(
        a.t.conflicts(&a.token, "UT-A")
            .await
            .expect("list")
            .conflicts
            .is_empty()
    );
    assert!(
        b.t.conflicts(&b.token, "UT-B")
            .await
            .expect("list")
            .conflicts
            .is_empty()
    );
    // B's record is intact and still B's to edit (it was not frozen).
    let r = b
        .push(vec![entity(
            b.change(3, eb, json!({"last_names": "Quispe Mamani"}), 6_000),
            "person",
        )])
        .await;
    assert_eq!(r.results[0].status, EntryStatus::Applied);
    let state = ctx
        .storage
        .run(|tx| units::unit_state(tx, "UT-B"))
        .await
        .expect("state");
    assert_eq!(
        state[&(
            "person".to_string(),
            eb.to_string(),
            "last_names".to_string()
        )],
        "\"Quispe Mamani\""
    );
    assert!(!state.contains_key(&(
        "person".to_string(),
        eb.to_string(),
        "signed_at".to_string()
    )));
    let state_a = ctx
        .storage
        .run(|tx| units::unit_state(tx, "UT-A"))
        .await
        .expect("state");
    assert!(state_a.keys().all(|(_, id, _)| *id != eb.to_string()));

    // The central office reads every unit but writes only its own records.
    let r = central
        .push(vec![
            entity(
                central.change(2, ea, json!({"last_names": "central"}), 7_000),
                "person",
            ),
            entity(
                central.change(3, eb, json!({"last_names": "central"}), 7_000),
                "person",
            ),
            entity(
                central.change(4, ec, json!({"name": "Sede central de Lima"}), 7_000),
                "office",
            ),
        ])
        .await;
    let codes_of: Vec<_> = r.results.iter().map(|x| x.code.as_deref()).collect();
    assert_eq!(
        codes_of,
        vec![
            Some(codes::RECORD_FOREIGN),
            Some(codes::RECORD_FOREIGN),
            None
        ]
    );
    // Any device of the owning unit writes the unit's records.
    let r = a2
        .push(vec![entity(
            a2.change(1, ea, json!({"last_names": "Huamán Ríos"}), 8_000),
            "person",
        )])
        .await;
    // Accepted (merged: a2 had not pulled a's version, so the edit is concurrent).
    assert_eq!(
        (r.results[0].status, r.results[0].code.as_deref()),
        (EntryStatus::Merged, None)
    );

    // Enrolment retried by another device with a used code: refused, the first device kept.
    let code = ctx.enrolment_code("UT-A").await;
    let first = chaski_wire::EnrollRequest {
        code: code.clone(),
        device_id: Uuid::now_v7(),
        device_name: "PC-A".into(),
        last_device_seq: None,
        unit: None,
    };
    let t = ctx.transport();
    t.enroll(&first).await.expect("enroll");
    let other = chaski_wire::EnrollRequest {
        device_id: Uuid::now_v7(),
        ..first.clone()
    };
    assert_eq!(
        api_code(t.enroll(&other).await),
        (403, codes::ENROLMENT_INVALID.into())
    );
}

/// Insert-only records (diagnostics, asset events, reviews, …) are never edited or deleted,
/// and signed documents never change, on either backend.
pub async fn insert_only_and_signed_records_never_change(ctx: &Ctx) {
    use chaski_core::change::ChangeOp;

    ctx.add_unit("UT-A", false).await;
    let a = ctx.device("UT-A").await;
    let a2 = ctx.device("UT-A").await;
    let mut seq = 0;
    let mut next = |c: &crate::support::Dev, id, fields, name: &str, op| {
        seq += 1;
        let mut ch = c.change(seq, id, fields, 1_000 + seq);
        ch.entity = name.into();
        ch.op = op;
        ch
    };
    for entity in [
        "diagnostic",
        "asset_event",
        "warehouse_review",
        "attention_status_change",
        "attention_escalation",
        "generated_document",
    ] {
        let id = Uuid::now_v7();
        let create = next(
            &a,
            id,
            json!({"remarks": "original"}),
            entity,
            ChangeOp::Upsert,
        );
        let edit = next(
            &a,
            id,
            json!({"remarks": "cambiado"}),
            entity,
            ChangeOp::Upsert,
        );
        let delete = next(&a, id, json!({}), entity, ChangeOp::Delete);
        let never = next(&a, Uuid::now_v7(), json!({}), entity, ChangeOp::Delete);
        let r = a.push(vec![create, edit, delete, never]).await;
        let got: Vec<_> = r
            .results
            .iter()
            .map(|x| (x.status, x.code.clone()))
            .collect();
        let refused = (
            EntryStatus::Rejected,
            Some(codes::RECORD_INSERT_ONLY.to_string()),
        );
        assert_eq!(
            got,
            vec![
                (EntryStatus::Applied, None),
                refused.clone(),
                refused.clone(),
                refused
            ],
            "{}: {entity}",
            ctx.backend
        );
    }
    // A signed cargo: no later edit or delete, from any device of the unit.
    let cargo = Uuid::now_v7();
    let r = a
        .push(vec![
            next(
                &a,
                cargo,
                json!({"status": "emitido"}),
                "assignment",
                ChangeOp::Upsert,
            ),
            next(
                &a,
                cargo,
                json!({"status": "firmado", "signed_at": "2026-12-01T10:00:00Z"}),
                "assignment",
                ChangeOp::Upsert,
            ),
            next(
                &a,
                cargo,
                json!({"status": "anulado"}),
                "assignment",
                ChangeOp::Upsert,
            ),
            next(&a, cargo, json!({}), "assignment", ChangeOp::Delete),
        ])
        .await;
    let got: Vec<_> = r.results.iter().map(|x| x.code.as_deref()).collect();
    assert_eq!(
        got,
        vec![
            None,
            None,
            Some(codes::DOCUMENT_SIGNED),
            Some(codes::DOCUMENT_SIGNED)
        ]
    );
    let mut c = a2.change(1, cargo, json!({"status": "borrador"}), 99_000);
    c.entity = "assignment".into();
    let r = a2.push(vec![c]).await;
    assert_eq!(r.results[0].code.as_deref(), Some(codes::DOCUMENT_SIGNED));
}

/// A stamp more than five minutes ahead of the server's clock is refused, saying both times;
/// the hello gives the server's clock so the app can warn.
pub async fn stamps_ahead_of_the_server_clock_are_refused(ctx: &Ctx) {
    ctx.add_unit("UT-A", false).await;
    let a = ctx.device("UT-A").await;
    let now = u64::try_from(chrono::Utc::now().timestamp_millis()).expect("after 1970");
    let h =
        a.t.hello(Some(&a.token), &hello(None))
            .await
            .expect("hello");
    let server = u64::try_from(h.server_time_ms.expect("server time")).expect("positive");
    assert!(server.abs_diff(now) < 60_000, "{server} vs {now}");
    let e = Uuid::now_v7();
    let r = a
        .push(vec![
            a.change(1, e, json!({"n": 1}), now + 60_000),
            a.change(2, e, json!({"n": 2}), now + 10 * 60_000),
            a.change(3, e, json!({"n": 3}), now + 366 * 86_400_000),
        ])
        .await;
    let codes_of: Vec<_> = r.results.iter().map(|x| x.code.as_deref()).collect();
    assert_eq!(
        codes_of,
        vec![None, Some(codes::CLOCK_AHEAD), Some(codes::CLOCK_AHEAD)],
        "{}",
        ctx.backend
    );
    let message = r.results[1].message.as_deref().expect("message");
    assert!(
        message.contains("adelantado") && message.matches('/').count() >= 4,
        "{message}"
    );
    let state = ctx
        .storage
        .run(|tx| units::unit_state(tx, "UT-A"))
        .await
        .expect("state");
    assert_eq!(
        state[&("note".to_string(), e.to_string(), "n".to_string())],
        "1"
    );
}

/// A body is never read without a well-formed token: a large or broken body without one is
/// answered 401 at once.
pub async fn the_token_is_checked_before_the_body(ctx: &Ctx) {
    ctx.add_unit("UT-A", false).await;
    for path in ["/v1/push", "/v1/numbers/reserve"] {
        let big = vec![b'{'; chaski_server::api::MAX_BODY_BYTES + 10];
        // Answered 401 before the body is read: the client either reads that answer or sees
        // the connection closed while it was still sending the body.
        match ctx
            .http
            .post(ctx.url(path))
            .header("content-type", "application/json")
            .body(big)
            .send()
            .await
        {
            Ok(r) => assert_eq!(assert_json_error(r, 401).await, codes::TOKEN_MISSING),
            Err(e) => assert!(e.contains("body"), "{path}: {e}"),
        }
        let r = ctx
            .http
            .post(ctx.url(path))
            .header("content-type", "application/json")
            .header("authorization", "Basic abc")
            .body("{ not json")
            .send()
            .await
            .expect("send");
        assert_eq!(
            assert_json_error(r, 401).await,
            codes::TOKEN_MISSING,
            "{path}"
        );
    }
}

/// A pull page stops before it passes `MAX_PULL_PAGE_BYTES`; the next pages bring the rest.
pub async fn pull_pages_are_bounded_in_bytes(ctx: &Ctx) {
    ctx.add_unit("UT-A", false).await;
    let a = ctx.device("UT-A").await;
    let big = "x".repeat(200 * 1024);
    let changes: Vec<_> = (1..=30)
        .map(|i| a.change(i, Uuid::now_v7(), json!({"texto": big}), i))
        .collect();
    let r = a.push(changes).await;
    assert_eq!(r.last_acked_seq, 30);
    let (mut after, mut pages, mut got) = (0, 0, 0);
    loop {
        let q = PullQuery {
            unit: "UT-A".into(),
            after,
            limit: None,
        };
        let page = a.t.pull(&a.token, &q).await.expect("pull");
        if page.changes.is_empty() {
            break;
        }
        let bytes: usize = page
            .changes
            .iter()
            .map(|c| serde_json::to_string(&c.change).expect("json").len())
            .sum();
        assert!(
            bytes <= chaski_server::pull::MAX_PULL_PAGE_BYTES,
            "{}: page of {bytes} bytes",
            ctx.backend
        );
        got += page.changes.len();
        after = page.cursor;
        pages += 1;
    }
    assert_eq!(got, 30);
    assert!(pages >= 2, "{pages} pages");
}
