//! Store tests on real SQLite files in temporary directories.

use chaski_core::attention::{AttentionFilter, AttentionInput, Page};
use chaski_core::catalog::{AttentionKind, Channel};
use chaski_core::person::NewPerson;
use chaski_core::status::Transition;

use super::*;

pub(crate) fn setup() -> SetupInput {
    SetupInput {
        unit_code: "UT-CUSCO".into(),
        technician_last_names: "Huamán Ccori".into(),
        technician_first_names: "Rosa".into(),
        technician_dni: "41234567".into(),
    }
}

#[test]
fn smoke_create_person_attention_list_search() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::create(dir.path().join("chaski.db"), &setup()).expect("create");
    let p = store
        .person_create(&NewPerson {
            last_names: "Peña Núñez".into(),
            first_names: "Luz".into(),
            dni: Some("45678912".into()),
            phones: vec!["987654321".into()],
            email: Some("lpena@qw.gob.pe".into()),
            office: Some("Área de Logística".into()),
        })
        .expect("person");
    assert_eq!(
        store
            .persons_search("pena nunez", 10)
            .expect("search")
            .len(),
        1
    );
    let a = store
        .attention_create(&AttentionInput {
            received_at: None,
            requester_id: p.id,
            office: None,
            channel: Channel::Telefono,
            kind: AttentionKind::Incidencia,
            service_code: "averia_hardware.impresoras".into(),
            priority: 3,
            problem: "La impresión sale en blanco".into(),
            solution: None,
            asset_code: None,
            technician_id: None,
        })
        .expect("attention");
    assert_eq!(a.attention.number.seq, 1);
    assert_eq!(
        a.attention.office_name.as_deref(),
        Some("Área de Logística")
    );
    let page = store
        .attentions_list(
            &AttentionFilter {
                text: Some("impresion".into()),
                ..Default::default()
            },
            Page::default(),
        )
        .expect("list");
    assert_eq!(page.total, 1);
    let done = store
        .attention_transition(
            a.attention.id,
            &Transition::Resolve {
                solution: Some("Se cambió el tóner".into()),
            },
        )
        .expect("resolve");
    assert_eq!(
        done.attention.status,
        chaski_core::status::AttentionStatus::Atendido
    );
    let stats = store.outbox_stats().expect("stats");
    assert_eq!(stats.pending, stats.last_device_seq);
    let changes = store.outbox_after(0, 1000).expect("outbox");
    let seqs: Vec<u64> = changes.iter().map(|c| c.device_seq).collect();
    assert_eq!(seqs, (1..=stats.last_device_seq).collect::<Vec<_>>());
    drop(store);
    let store = Store::open(dir.path().join("chaski.db")).expect("reopen");
    assert_eq!(store.profile().expect("profile").unit.code, "UT-CUSCO");
    let demo = store.load_demo_data_sized(7, 300).expect("demo");
    assert_eq!(demo.attentions, 300);
}
