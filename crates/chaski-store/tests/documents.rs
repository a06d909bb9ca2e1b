//! Generated documents on real SQLite files: versions, immutability, outbox, hashes.

use chaski_core::ErrorCode;
use chaski_store::documents::{NewGeneratedDocument, sha256_hex};
use chaski_store::{SetupInput, Store};
use uuid::Uuid;

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = Store::create(
        dir.path().join("chaski.db"),
        &SetupInput {
            unit_code: "UT-CUSCO".into(),
            technician_last_names: "Huamán Ccori".into(),
            technician_first_names: "Rosa".into(),
            technician_dni: "41234567".into(),
        },
    )
    .expect("create");
    (dir, s)
}

/// A small PDF-like file (the store only checks the header; chaski-docs makes the real ones).
fn pdf(body: &str) -> Vec<u8> {
    format!("%PDF-1.7\n% {body}\n%%EOF\n").into_bytes()
}

fn new_doc(source: Uuid) -> NewGeneratedDocument {
    NewGeneratedDocument {
        kind: "assignment".into(),
        number: Some("N° 007-2026".into()),
        source_id: Some(source),
        content_sha256: "AB".repeat(32),
        signature_count: 0,
    }
}

fn code(err: &chaski_store::StoreError) -> ErrorCode {
    err.code()
}

#[test]
fn save_sign_twice_and_list_versions_with_outbox_entries() {
    let (dir, s) = store();
    let source = Uuid::now_v7();
    let before = s.outbox_stats().expect("stats").pending;
    let v1_bytes = pdf("cargo sin firmar");
    let v1 = s.document_save(&new_doc(source), &v1_bytes).expect("save");
    assert_eq!(v1.version, 1);
    assert_eq!(v1.previous_id, None);
    assert_eq!(v1.content_sha256, "ab".repeat(32), "stored in lowercase");
    assert_eq!(v1.file_sha256, sha256_hex(&v1_bytes));
    assert_eq!(v1.file_size, v1_bytes.len() as u64);
    assert_eq!(v1.unit_code, "UT-CUSCO");
    assert_eq!(v1.number.as_deref(), Some("N° 007-2026"));

    // A signature is an incremental update: the old bytes plus an appended revision.
    let mut v2_bytes = v1_bytes.clone();
    v2_bytes.extend_from_slice(b"% firma del autor\n%%EOF\n");
    let v2 = s
        .document_add_version(v1.id, &v2_bytes, 1)
        .expect("firma 1");
    let mut v3_bytes = v2_bytes.clone();
    v3_bytes.extend_from_slice(b"% V B\n%%EOF\n");
    let v3 = s
        .document_add_version(v2.id, &v3_bytes, 2)
        .expect("firma 2");
    assert_eq!((v2.version, v2.previous_id), (2, Some(v1.id)));
    assert_eq!((v3.version, v3.previous_id), (3, Some(v2.id)));
    assert_eq!(v3.content_sha256, v1.content_sha256);
    assert_eq!(v3.signature_count, 2);

    // Every version keeps its own bytes, unchanged.
    assert_eq!(s.document_pdf(v1.id).expect("v1"), v1_bytes);
    assert_eq!(s.document_pdf(v2.id).expect("v2"), v2_bytes);
    assert_eq!(s.document_pdf(v3.id).expect("v3"), v3_bytes);
    assert_eq!(s.document_get(v2.id).expect("get"), v2);
    assert_eq!(s.document_latest(v1.id).expect("latest"), v3);
    let listed = s.documents_of(source).expect("list");
    assert_eq!(listed, vec![v1.clone(), v2.clone(), v3.clone()]);
    assert!(s.documents_of(Uuid::now_v7()).expect("none").is_empty());

    // One outbox change per version, carrying hashes but never the bytes.
    let changes = s.outbox_after(0, 1000).expect("outbox");
    assert_eq!(s.outbox_stats().expect("stats").pending, before + 3);
    let docs: Vec<_> = changes
        .iter()
        .filter(|c| c.entity == "generated_document")
        .collect();
    assert_eq!(docs.len(), 3);
    assert_eq!(docs[2].entity_id, v3.id);
    assert_eq!(
        docs[2].fields["file_sha256"],
        serde_json::json!(v3.file_sha256)
    );
    assert_eq!(
        docs[2].fields["previous_id"],
        serde_json::json!(v2.id.to_string())
    );
    assert!(docs.iter().all(|c| !c.fields.contains_key("bytes")));

    // Survives reopening the file.
    let path = s.path().to_path_buf();
    drop(s);
    let s = Store::open(&path).expect("reopen");
    assert_eq!(s.document_pdf(v3.id).expect("v3"), v3_bytes);
    drop(dir);
}

#[test]
fn a_signed_version_is_never_rewritten_nor_branched() {
    let (_dir, s) = store();
    let v1_bytes = pdf("registro");
    let v1 = s
        .document_save(&new_doc(Uuid::now_v7()), &v1_bytes)
        .expect("save");
    let mut signed = v1_bytes.clone();
    signed.extend_from_slice(b"% firma\n");
    let v2 = s.document_add_version(v1.id, &signed, 1).expect("firma");

    // Signing v1 again would fork the history.
    let mut other = v1_bytes.clone();
    other.extend_from_slice(b"% otra firma\n");
    let err = s
        .document_add_version(v1.id, &other, 1)
        .expect_err("bifurcación");
    assert_eq!(code(&err), ErrorCode::DocumentoInmutable, "{err}");
    assert!(err.to_string().contains("última versión"), "{err}");

    // A file that changes signed bytes instead of appending is refused.
    let mut rewritten = signed.clone();
    rewritten[12] ^= 1; // inside the signed bytes, after the %PDF- header
    rewritten.extend_from_slice(b"% firma 2\n");
    let err = s
        .document_add_version(v2.id, &rewritten, 2)
        .expect_err("reescrito");
    assert_eq!(code(&err), ErrorCode::DocumentoInmutable, "{err}");
    // The same bytes again is not a new version either.
    let err = s
        .document_add_version(v2.id, &signed, 2)
        .expect_err("sin cambios");
    assert_eq!(code(&err), ErrorCode::DocumentoInmutable);

    let err = s
        .document_add_version(Uuid::now_v7(), &signed, 1)
        .expect_err("no existe");
    assert_eq!(code(&err), ErrorCode::NoEncontrado);
    assert_eq!(s.document_latest(v1.id).expect("latest"), v2);
}

#[test]
fn the_database_itself_refuses_updates_and_deletes() {
    let (dir, s) = store();
    let bytes = pdf("cargo");
    let v1 = s
        .document_save(&new_doc(Uuid::now_v7()), &bytes)
        .expect("save");
    let path = s.path().to_path_buf();
    drop(s);
    // Another writer (a hand edit, a bug elsewhere) hits the triggers.
    let conn = rusqlite::Connection::open(&path).expect("open");
    for sql in [
        "UPDATE generated_document_file SET bytes = x'00'",
        "DELETE FROM generated_document_file",
        "UPDATE generated_document SET file_sha256 = lower(hex(randomblob(32)))",
        "UPDATE generated_document SET signature_count = 5",
        "DELETE FROM generated_document",
    ] {
        let err = conn.execute(sql, []).expect_err(sql);
        assert!(
            err.to_string().contains("documento_inmutable"),
            "{sql}: {err}"
        );
    }
    // Rewriting a row with the same values (an idempotent sync apply) is allowed.
    conn.execute("UPDATE generated_document SET kind = kind", [])
        .expect("same values");
    drop(conn);
    let s = Store::open(&path).expect("reopen");
    assert_eq!(s.document_pdf(v1.id).expect("bytes"), bytes);
    drop(dir);
}

#[test]
fn bad_input_is_refused_with_its_field_and_nothing_is_written() {
    let (_dir, s) = store();
    let before = s.outbox_stats().expect("stats");
    let err = s
        .document_save(&new_doc(Uuid::now_v7()), b"no soy un pdf")
        .expect_err("no pdf");
    assert_eq!(code(&err), ErrorCode::ValorInvalido);
    assert_eq!(err.field(), Some("pdf"));
    let mut bad_hash = new_doc(Uuid::now_v7());
    bad_hash.content_sha256 = "xyz".into();
    let err = s.document_save(&bad_hash, &pdf("x")).expect_err("hash");
    assert_eq!(err.field(), Some("content_sha256"));
    let mut no_kind = new_doc(Uuid::now_v7());
    no_kind.kind = "  ".into();
    let err = s.document_save(&no_kind, &pdf("x")).expect_err("kind");
    assert_eq!(err.field(), Some("kind"));
    assert_eq!(s.outbox_stats().expect("stats"), before, "nada escrito");

    // Identical bytes in two documents are stored once and read back by both.
    let a = s
        .document_save(&new_doc(Uuid::now_v7()), &pdf("igual"))
        .expect("a");
    let b = s
        .document_save(&new_doc(Uuid::now_v7()), &pdf("igual"))
        .expect("b");
    assert_eq!(a.file_sha256, b.file_sha256);
    assert_eq!(s.document_pdf(b.id).expect("b"), pdf("igual"));
}
