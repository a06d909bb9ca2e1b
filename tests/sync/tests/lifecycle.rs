//! Two device life-cycle paths against a real server and real store files:
//!
//! - a restored old backup: the server refuses it (`device_restored`), the store is reset
//!   under a new device id, re-enrolled, and syncs without losing or doubling anything;
//! - a cloned disk that has written as many changes as the server holds, or more: refused as
//!   a fork (never marked sent without being sent), then reset, re-enrolled and synced;
//! - a conflict resolved by a person through `SyncClient::resolve_conflict`: the chosen
//!   value is written as a new change and every replica converges on it.

use chaski_server::{Storage, devices};
use chaski_store::Store;
use chaski_store::write::Entity;
use chaski_sync::client::{SyncClient, SyncOptions};
use chaski_sync::transport::{HttpOptions, HttpTransport};
use chaski_sync::wire::ResolutionChoice;
use chaski_sync::{Replica, SyncError};
use chaski_sync_tests::harness::{Device, UNIT, device, start};
use chaski_sync_tests::scenario::compare_with_server;
use serde_json::json;
use uuid::Uuid;

fn new_office(store: &Store, name: &str) -> Uuid {
    let id = Uuid::now_v7();
    store
        .write(|w| {
            w.insert(
                Entity::Office,
                id,
                chaski_store::fields! {"unit_code" => UNIT, "name" => name,
                "created_at" => "2026-11-23T15:00:00.000Z"},
            )
        })
        .expect("insert office");
    id
}

fn rename(store: &Store, id: Uuid, name: &str) {
    store
        .write(|w| w.update(Entity::Office, id, chaski_store::fields! {"name" => name}))
        .expect("rename");
}

/// The change ids the server accepted (applied), from the stored bodies.
async fn accepted_change_ids(storage: &Storage) -> Vec<String> {
    storage
        .run(|tx| {
            tx.query("SELECT body FROM changes WHERE status = 'accepted'", &[])?
                .iter()
                .map(|r| {
                    let body: serde_json::Value =
                        serde_json::from_str(&r.text(0)?).unwrap_or_default();
                    Ok(body["change_id"].as_str().unwrap_or_default().to_string())
                })
                .collect::<Result<Vec<_>, chaski_server::storage::StoreError>>()
        })
        .await
        .expect("accepted")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restored_backup_is_refused_then_reset_reenrolled_and_synced_without_loss_or_doubles() {
    let (tmp, storage, server) = start().await;
    let base = server.base_url();
    let mut a = device(tmp.path(), "equipo-a", "41000001", &storage, &base).await;
    let mut b = device(tmp.path(), "equipo-b", "41000002", &storage, &base).await;
    let o1 = new_office(&a.store(), "Logística");
    let o2 = new_office(&a.store(), "Tesorería");
    a.sync().await.expect("a sync");
    b.sync().await.expect("b sync");
    // Written but not yet sent when the backup is taken.
    let o3 = new_office(&a.store(), "Abastecimiento");
    let old_id = a.replica().device_id();
    a.close();
    let backup = tmp.path().join("equipo-a.backup.db");
    std::fs::copy(&a.path, &backup).expect("backup");
    a.open();

    // Life goes on after the backup: o3 reaches the server, more edits on both devices.
    a.sync().await.expect("a sync");
    let o4 = new_office(&a.store(), "Recursos Humanos");
    rename(&a.store(), o1, "Logística y Almacén");
    a.sync().await.expect("a sync");
    rename(&b.store(), o2, "Tesorería General");
    b.sync().await.expect("b sync");

    // The disk fails; the old backup is restored. The person keeps working before syncing.
    a.close();
    for side in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{side}", a.path.display()));
    }
    std::fs::copy(&backup, &a.path).expect("restore");
    a.open();
    assert_eq!(a.replica().device_id(), old_id);
    let o5 = new_office(&a.store(), "Imagen Institucional");

    // The server knows more from this device than it has: refused, with the resync path.
    let err = a.sync().await.expect_err("restored copy");
    assert!(matches!(err, SyncError::DeviceRestored), "{err:?}");
    assert_eq!(err.code(), "device_restored");
    assert!(err.to_string().contains("inscripción"), "{err}");

    // The administrator revokes the old id and gives a new code; the device resets and
    // re-enrols under a new id, keeping its data.
    storage
        .run(move |tx| devices::revoke(tx, old_id))
        .await
        .expect("revoke");
    let enrolled = a.reenroll(&storage, "equipo-a (restaurado)").await;
    assert_ne!(enrolled.device_id, old_id);
    assert_eq!(a.replica().device_id(), enrolled.device_id);
    assert!(a.store().sync_is_enrolled().expect("enrolled"));
    // o3 (sent after the backup) and o5 (written after the restore) wait under the new id.
    let pending: Vec<Uuid> = a
        .store()
        .outbox_after(0, 1000)
        .expect("outbox")
        .iter()
        .map(|c| c.entity_id)
        .collect();
    assert_eq!(pending, vec![o3, o5]);

    let report = a.sync().await.expect("sync after re-enrolment");
    assert_eq!(
        report.duplicates, 1,
        "o3 was already on the server: {report:?}"
    );
    assert_eq!(report.pushed, 1, "only o5 is new: {report:?}");
    b.sync().await.expect("b sync");
    a.sync().await.expect("a settles");

    // Nothing lost: every replica equals the server, which has o1..o5 with the latest names.
    let stores = [("equipo-a", &*a.store()), ("equipo-b", &*b.store())];
    let offices = compare_with_server(&storage, UNIT, &stores, Entity::Office)
        .await
        .expect("replicas equal the server");
    compare_with_server(&storage, UNIT, &stores, Entity::Technician)
        .await
        .expect("technicians equal");
    let name = |id: Uuid| offices[&(id.to_string(), "name".to_string())].clone();
    assert_eq!(name(o1), json!("Logística y Almacén"));
    assert_eq!(name(o2), json!("Tesorería General"));
    assert_eq!(name(o3), json!("Abastecimiento"));
    assert_eq!(name(o4), json!("Recursos Humanos"));
    assert_eq!(name(o5), json!("Imagen Institucional"));
    // Nothing doubled: every change applied once; the unit sequence is dense.
    let ids = accepted_change_ids(&storage).await;
    let unique: std::collections::BTreeSet<_> = ids.iter().collect();
    assert_eq!(ids.len(), unique.len(), "a change was applied twice");
    let seqs: Vec<i64> = storage
        .run(|tx| {
            tx.query(
                "SELECT server_seq FROM changes WHERE server_seq IS NOT NULL ORDER BY server_seq",
                &[],
            )?
            .iter()
            .map(|r| r.i64(0))
            .collect::<Result<Vec<_>, _>>()
        })
        .await
        .expect("seqs");
    assert_eq!(seqs, (1..=seqs.len() as i64).collect::<Vec<_>>());
    // The reset device is fully acknowledged under its new id.
    let stats = a.store().outbox_stats().expect("stats");
    assert_eq!(
        a.store().sync_acked_seq().expect("acked"),
        stats.last_device_seq
    );
    assert!(a.store().sync_rejections().expect("rejections").is_empty());
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clone_with_more_changes_than_the_server_holds_is_refused_then_resynced_without_loss() {
    let (tmp, storage, server) = start().await;
    let base = server.base_url();
    let mut a = device(tmp.path(), "equipo-a", "41000011", &storage, &base).await;
    let o1 = new_office(&a.store(), "Logística");
    a.sync().await.expect("a sync");
    let old_id = a.replica().device_id();
    let acked_at_copy = a.store().sync_acked_seq().expect("acked");

    // The disk is cloned while the app is closed; both copies go on working.
    a.close();
    let clone_path = tmp.path().join("equipo-a.clon.db");
    std::fs::copy(&a.path, &clone_path).expect("clone");
    a.open();
    let o2 = new_office(&a.store(), "Tesorería");
    let o3 = new_office(&a.store(), "Abastecimiento");
    a.sync().await.expect("original syncs");
    let server_last = a.store().sync_acked_seq().expect("acked");
    assert!(server_last > acked_at_copy);

    let mut c = Device {
        path: clone_path,
        replica: None,
        // The clone presents the original's token, as a cloned disk would.
        client: SyncClient::new(
            HttpTransport::new(&base, &HttpOptions::default()).expect("transport"),
            a.client.token().map(str::to_string),
            SyncOptions::default(),
        ),
        wants: vec![],
    };
    c.open();
    assert_eq!(c.replica().device_id(), old_id);
    // More changes than the original sent since the copy: the clone's outbox is now LONGER
    // than what the server acknowledged, so the hello alone cannot tell.
    let clone_offices = [
        new_office(&c.store(), "Imagen Institucional"),
        new_office(&c.store(), "Asesoría Legal"),
        new_office(&c.store(), "Control Interno"),
    ];
    assert!(c.store().outbox_stats().expect("stats").last_device_seq > server_last);
    let err = c.sync().await.expect_err("a clone is a fork");
    assert!(matches!(err, SyncError::DeviceRestored), "{err:?}");
    // Nothing of the clone's own work was taken as sent.
    assert_eq!(
        c.store().sync_acked_seq().expect("acked"),
        acked_at_copy,
        "the clone's different entries were marked acknowledged without being sent"
    );

    // Resync path: revoke the shared id, reset the clone under a new id, re-enrol, sync.
    storage
        .run(move |tx| devices::revoke(tx, old_id))
        .await
        .expect("revoke");
    c.reenroll(&storage, "equipo-a (clon)").await;
    let report = c.sync().await.expect("clone syncs under its new id");
    assert_eq!(report.pushed, 3, "the clone's three offices: {report:?}");

    // The original was revoked with the old id: it re-enrols too and catches up.
    a.reenroll(&storage, "equipo-a").await;
    a.sync().await.expect("a sync");
    c.sync().await.expect("c settles");

    let stores = [("equipo-a", &*a.store()), ("clon", &*c.store())];
    let offices = compare_with_server(&storage, UNIT, &stores, Entity::Office)
        .await
        .expect("replicas equal the server");
    for id in [o1, o2, o3].into_iter().chain(clone_offices) {
        assert!(
            offices.contains_key(&(id.to_string(), "name".to_string())),
            "office {id} missing on the server"
        );
    }
    let ids = accepted_change_ids(&storage).await;
    let unique: std::collections::BTreeSet<_> = ids.iter().collect();
    assert_eq!(ids.len(), unique.len(), "a change was applied twice");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_conflict_resolved_by_a_person_converges_on_the_chosen_value() {
    let (tmp, storage, server) = start().await;
    let base = server.base_url();
    let mut a = device(tmp.path(), "equipo-a", "41000001", &storage, &base).await;
    let mut b = device(tmp.path(), "equipo-b", "41000002", &storage, &base).await;
    let office = new_office(&a.store(), "Logística");
    a.sync().await.expect("a sync");
    b.sync().await.expect("b sync");
    // Both rename offline; B syncs last, so its later clock wins and A's name is the loser.
    rename(&a.store(), office, "Logística (A)");
    std::thread::sleep(std::time::Duration::from_millis(5));
    rename(&b.store(), office, "Logística (B)");
    a.sync().await.expect("a sync");
    let report = b.sync().await.expect("b sync");
    assert_eq!(report.merged, 1, "{report:?}");
    a.sync().await.expect("a sync");

    let list = b.client.conflicts(UNIT).await.expect("conflicts");
    assert_eq!(list.conflicts.len(), 1);
    let conflict = list.conflicts[0].clone();
    assert_eq!(conflict.winner_value, json!("Logística (B)"));
    assert_eq!(conflict.loser_value, json!("Logística (A)"));

    // On B, a person keeps A's name.
    let Device {
        replica, client, ..
    } = &mut b;
    let replica = replica.as_mut().expect("open");
    let resolved = client
        .resolve_conflict(
            replica,
            &conflict,
            ResolutionChoice::Loser,
            None,
            Some("Rosa Huamán".into()),
        )
        .await
        .expect("resolve");
    assert_eq!(resolved.resolution, Some(ResolutionChoice::Loser));
    assert_eq!(resolved.resolved_by, Some(b.replica().device_id()));
    // Retried (the answer was lost): same resolution, no second local write.
    let before = b.store().outbox_stats().expect("stats").last_device_seq;
    let Device {
        replica, client, ..
    } = &mut b;
    let replica = replica.as_mut().expect("open");
    client
        .resolve_conflict(
            replica,
            &conflict,
            ResolutionChoice::Loser,
            None,
            Some("Rosa Huamán".into()),
        )
        .await
        .expect("retry");
    assert_eq!(
        b.store().outbox_stats().expect("stats").last_device_seq,
        before
    );

    b.sync().await.expect("b sync");
    a.sync().await.expect("a sync");
    let stores = [("equipo-a", &*a.store()), ("equipo-b", &*b.store())];
    let offices = compare_with_server(&storage, UNIT, &stores, Entity::Office)
        .await
        .expect("replicas equal the server");
    assert_eq!(
        offices[&(office.to_string(), "name".to_string())],
        json!("Logística (A)")
    );
    assert!(
        b.client
            .conflicts(UNIT)
            .await
            .expect("conflicts")
            .conflicts
            .is_empty(),
        "resolved conflicts are no longer listed"
    );
    server.stop().await;
}
