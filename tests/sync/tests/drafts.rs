//! Unnumbered drafts against a real server and real store files: a device uses up
//! its number block offline, keeps registering attentions as drafts ("Borrador sin número"),
//! survives a restart, and at the next sync the drafts get numbers from a new block, in
//! creation order, which the server checks against the block and accepts; the other device
//! receives them; no number appears twice. A numbering change outside the device's block is
//! refused by the server.

use std::collections::BTreeSet;

use chaski_core::numbering::DRAFT_TEXT;
use chaski_store::write::Entity;
use chaski_sync_tests::harness::{
    UNIT, attention_wants, device_with, new_attention, new_requester, start,
};
use chaski_sync_tests::scenario::compare_with_server;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drafts_made_offline_get_block_numbers_in_creation_order_at_the_next_sync() {
    let (tmp, storage, server) = start().await;
    let base = format!("http://{}", server.addr());
    // Blocks of 3: the fourth attention offline is already a draft.
    let wants = attention_wants(1, 3);
    let mut a = device_with(
        tmp.path(),
        "equipo-a",
        "41000021",
        &storage,
        &base,
        wants.clone(),
    )
    .await;
    let mut b = device_with(tmp.path(), "equipo-b", "41000022", &storage, &base, wants).await;
    let requester = new_requester(&a.store(), "Huamán");
    // Just enrolled, no block yet: the very first attention is a draft already.
    let first = new_attention(&a.store(), requester, "antes del primer bloque");
    assert_eq!(first.number, None);
    let r = a.sync().await.expect("a syncs");
    assert_eq!(r.drafts_numbered, 1);
    assert!(r.rejected.is_empty(), "{r:?}");
    b.sync().await.expect("b syncs");

    // Offline: a registers five attentions; its block (3, one used) runs out after two.
    let made: Vec<_> = (0..5)
        .map(|i| new_attention(&a.store(), requester, &format!("sin red {i}")))
        .collect();
    let numbered: Vec<_> = made.iter().filter(|m| m.number.is_some()).collect();
    let drafts: Vec<_> = made.iter().filter(|m| m.number.is_none()).collect();
    assert_eq!((numbered.len(), drafts.len()), (2, 3), "{made:?}");
    assert!(drafts.iter().all(|d| d.number_text == DRAFT_TEXT));
    assert_eq!(
        a.store().sync_drafts_by_year().expect("drafts"),
        vec![(chaski_core::time::lima_year(first.received_at), 3)]
    );
    // b is offline too, numbering from its own block.
    let breq = new_requester(&b.store(), "Condori");
    let from_b: Vec<_> = (0..2)
        .map(|i| new_attention(&b.store(), breq, &format!("b sin red {i}")))
        .collect();
    assert!(from_b.iter().all(|x| x.number.is_some()));

    // The app is closed and opened again before the link comes back: drafts are kept, and
    // the Sync screen's figures come from the file (last round, pending, drafts waiting).
    let before_restart = a.store().sync_local_status().expect("status");
    let last_round = before_restart.last_sync_at.expect("a round completed");
    a.close();
    a.open();
    let status = a.store().sync_local_status().expect("status");
    assert_eq!(status, before_restart);
    assert_eq!(status.last_sync_at, Some(last_round));
    assert_eq!(status.drafts_waiting, 3);
    assert!(status.enrolled);
    assert!(status.pending_changes >= 5, "{status:?}");
    assert_eq!(
        a.store().sync_drafts_by_year().expect("drafts").len(),
        1,
        "drafts survive a restart"
    );

    let r = a.sync().await.expect("a syncs again");
    assert_eq!(r.drafts_numbered, 3, "{r:?}");
    let status = a.store().sync_local_status().expect("status");
    assert_eq!((status.drafts_waiting, status.pending_changes), (0, 0));
    assert!(status.last_sync_at.expect("round") > last_round);
    assert!(
        r.rejected.is_empty(),
        "the server accepts every number: {r:?}"
    );
    assert!(a.store().sync_drafts_by_year().expect("drafts").is_empty());
    let seqs: Vec<u32> = drafts
        .iter()
        .map(|d| {
            let now = a.store().attention_get(d.id).expect("get").attention;
            assert_ne!(now.number_text, DRAFT_TEXT);
            now.number.expect("numbered").seq
        })
        .collect();
    assert!(
        seqs.windows(2).all(|w| w[0] < w[1]),
        "numbers follow creation order: {seqs:?}"
    );
    let before: Vec<u32> = numbered
        .iter()
        .map(|n| n.number.as_ref().expect("n").seq)
        .collect();
    assert!(
        before.iter().all(|n| *n < seqs[0]),
        "drafts come after the numbered ones: {before:?} then {seqs:?}"
    );
    b.sync().await.expect("b syncs");
    a.sync().await.expect("a pulls b");

    // Every replica equals the server; every attention numbered; no number twice.
    let (sa, sb) = (a.store(), b.store());
    let state = compare_with_server(
        &storage,
        UNIT,
        &[("a", sa.as_ref()), ("b", sb.as_ref())],
        Entity::Attention,
    )
    .await
    .expect("replicas equal the server");
    let mut seen = BTreeSet::new();
    let mut count = 0;
    for ((id, field), v) in &state {
        if field == "number" {
            count += 1;
            let n = v
                .as_i64()
                .unwrap_or_else(|| panic!("{id} unnumbered on the server: {v}"));
            assert!(seen.insert(n), "number {n} used twice");
        }
    }
    assert_eq!(count, 1 + 5 + 2);
    for s in [&sa, &sb] {
        assert!(s.sync_rejections().expect("rejections").is_empty());
        assert_eq!(s.sync_apply_error_count().expect("errors"), 0);
    }
    // Seen from b, a's former drafts carry their numbers.
    let on_b = sb.attention_get(drafts[2].id).expect("on b").attention;
    assert_eq!(on_b.number.map(|n| n.seq), Some(seqs[2]));

    // A numbering change outside the device's block is refused by the server.
    let forged = made[0].id;
    sa.write(|w| {
        w.update(
            Entity::Attention,
            forged.uuid(),
            chaski_store::fields! {"number" => 999_999},
        )
    })
    .expect("forge");
    let r = a.sync().await.expect("round");
    assert_eq!(r.rejected.get("number_outside_block"), Some(&1), "{r:?}");
    server.stop().await;
}
