//! The document commands, called by name as the UI calls them, on real SQLite
//! files, with certificates made by `openssl` at run time and the PDFs checked by qpdf,
//! pdftotext and pdfsig: render the register, a cargo and a traslado, sign (author, then V° B°),
//! verify, save; and the bad inputs, each refused with its code, field and Spanish message and
//! without writing a version.

use crate::tools;

use crate::pki;

use std::path::Path;

use crate::support::Harness;
use base64::Engine;
use chaski_core::asset::{
    AssetCondition, AssetInput, AssetKind, AssignmentInput, DocItemInput, Operability,
    TransferInput,
};
use chaski_core::attention::AttentionInput;
use chaski_core::catalog::{AttentionKind, Channel};
use chaski_core::ids::{AssetId, PersonId};
use chaski_core::person::NewPerson;
use chaski_store::{SetupInput, Store};
use chrono::NaiveDate;
use serde_json::{Value, json};

fn start(data_dir: &Path) -> Harness {
    crate::support::start(data_dir, false)
}

/// Asserts a refusal: code, field, and a Spanish message containing `words`.
fn assert_refused(e: &Value, code: &str, field: Option<&str>, words: &str) {
    assert_eq!(e["code"], code, "{e}");
    match field {
        Some(f) => assert_eq!(e["field"], f, "{e}"),
        None => assert!(e["field"].is_null(), "{e}"),
    }
    let message = e["message"].as_str().unwrap_or_default();
    assert!(
        message.contains(words),
        "the message should contain {words:?}: {message}"
    );
}

struct Records {
    issued_cargo: String,
    draft_cargo: String,
    issued_transfer: String,
}

fn asset(
    store: &Store,
    code: &str,
    kind: AssetKind,
    brand: &str,
    custodian: Option<PersonId>,
) -> AssetId {
    store
        .asset_create(&AssetInput {
            code: code.into(),
            denomination: format!("{} {brand}", kind.label().to_uppercase()),
            kind,
            brand: Some(brand.into()),
            model: Some("M-100".into()),
            serial: Some(format!("S-{code}")),
            color: None,
            condition: AssetCondition::Bueno,
            operability: Operability::Operativo,
            warranty_end: None,
            remarks: None,
            site: Some("Sede Cusco".into()),
            office: None,
            custodian_id: custodian,
        })
        .expect("asset")
        .id
}

fn item(id: AssetId) -> DocItemInput {
    DocItemInput {
        asset_id: id,
        remarks: Some("Operativo, con cable de poder.".into()),
    }
}

/// A unit with three attentions in November 2026, an issued cargo, a draft cargo and an issued
/// traslado, written with the store before the app opens the file (the store holds an
/// exclusive lock while open).
fn seed(dir: &Path) -> Records {
    let store = Store::create(
        dir.join("chaski.sqlite3"),
        &SetupInput {
            unit_code: "UT-CUSCO".into(),
            technician_last_names: "Ccori Mamani".into(),
            technician_first_names: "Edwin".into(),
            technician_dni: "41236587".into(),
        },
    )
    .expect("create the store");
    let person = |last: &str, first: &str, dni: &str| {
        store
            .person_create(&NewPerson {
                last_names: last.into(),
                first_names: first.into(),
                dni: Some(dni.into()),
                phones: vec![],
                email: None,
                office: Some("Área de Supervisión y Monitoreo".into()),
            })
            .expect("person")
            .id
    };
    let maria = person("Quispe Huamán", "María", "45871236");
    let teofilo = person("Cárdenas Ñaupa", "Teófilo", "23987451");
    let service = store.reference_data().expect("reference").services[0]
        .code
        .clone();
    for (day, problem) in [
        (3, "La impresora del área de Abastecimiento no imprime"),
        (10, "Solicita instalación de software de firma digital"),
        (
            20,
            "Sin acceso a la red inalámbrica en la sala de reuniones",
        ),
    ] {
        let received = NaiveDate::from_ymd_opt(2026, 11, day)
            .and_then(|d| d.and_hms_opt(15, 0, 0))
            .expect("date")
            .and_utc();
        store
            .attention_create(&AttentionInput {
                received_at: Some(received),
                requester_id: maria,
                office: None,
                channel: Channel::Telefono,
                kind: AttentionKind::Incidencia,
                service_code: service.clone(),
                priority: 2,
                problem: problem.into(),
                solution: None,
                asset_code: None,
                technician_id: None,
            })
            .expect("attention");
    }
    let cpu = asset(&store, "740899500001", AssetKind::Cpu, "Lenovo", None);
    let monitor = asset(&store, "740880370002", AssetKind::Monitor, "LG", None);
    let laptop = asset(&store, "740899500003", AssetKind::Cpu, "HP", None);
    let cargo = |assigned: Vec<AssetId>| AssignmentInput {
        date: NaiveDate::from_ymd_opt(2026, 11, 23).expect("date"),
        person_id: maria,
        office: None,
        withdrawn: vec![],
        assigned: assigned.into_iter().map(item).collect(),
        corrects: None,
        attention_id: None,
    };
    let issued = store
        .assignment_create(&cargo(vec![cpu, monitor]))
        .expect("cargo");
    store.assignment_issue(issued.id).expect("issue the cargo");
    let draft = store
        .assignment_create(&cargo(vec![laptop]))
        .expect("draft");
    let transfer = store
        .transfer_create(&TransferInput {
            date: NaiveDate::from_ymd_opt(2026, 11, 24).expect("date"),
            origin_site: "Sede Cusco".into(),
            destination_site: "Oficina de enlace Quillabamba".into(),
            items: vec![item(laptop)],
            reason: "Reposición de equipos de la zona selva".into(),
            handed_by: None,
            received_by: Some(teofilo),
            corrects: None,
        })
        .expect("traslado");
    store
        .transfer_issue(transfer.id)
        .expect("issue the traslado");
    Records {
        issued_cargo: issued.id.to_string(),
        draft_cargo: draft.id.to_string(),
        issued_transfer: transfer.id.to_string(),
    }
}

fn png_b64(variant: u32) -> String {
    base64::engine::general_purpose::STANDARD
        .encode(chaski_docs::samples::hand_signature_png(variant))
}

fn register_source() -> Value {
    json!({ "kind": "register", "source_id": null, "from": "2026-11-01", "to": "2026-11-30" })
}

fn versions(h: &Harness, source: Value) -> Vec<Value> {
    h.ok("generated_documents_of", json!({ "source": source }))
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn save(h: &Harness, id: &Value, path: &Path) -> Vec<u8> {
    h.ok(
        "document_save_as",
        json!({ "id": id, "path": path.display().to_string() }),
    );
    std::fs::read(path).expect("the saved PDF")
}

fn sign(
    h: &Harness,
    id: &Value,
    pfx: &Path,
    password: Option<&str>,
    reason: &str,
) -> Result<Value, Value> {
    h.call(
        "document_sign",
        json!({ "input": { "id": id, "pfx_path": pfx.display().to_string(), "password": password,
                            "remember": false, "reason": reason } }),
    )
}

#[test]
fn register_rendered_signed_twice_verified_and_saved() {
    let pki = pki::Pki::new();
    let dir = tempfile::tempdir().expect("tempdir");
    seed(dir.path());
    let h = start(dir.path());
    let out = tempfile::tempdir().expect("out dir");

    // Generar PDF: the register of November with both V° B° signed by hand.
    let v1 = h.ok(
        "document_render",
        json!({ "input": { "source": register_source(),
            "hand_signatures": [ { "role": "technician", "png_base64": png_b64(1) },
                                 { "role": "approver", "png_base64": png_b64(2) } ],
            "approver": { "name": "Rosa Elvira Huamaní Quispe", "dni": "29874512" } } }),
    );
    assert_eq!(v1["version"], 1, "{v1}");
    assert_eq!(v1["signature_count"], 0);
    assert_eq!(v1["kind"], "registro-atenciones");
    assert!(v1["number"].is_null(), "a register has no number: {v1}");
    let listed = versions(&h, register_source());
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["id"], v1["id"]);
    // Another period lists nothing.
    assert!(
        versions(
            &h,
            json!({ "kind": "register", "from": "2026-10-01", "to": "2026-10-31" })
        )
        .is_empty()
    );

    let v1_file = out.path().join("registro-v1.pdf");
    let v1_bytes = save(&h, &v1["id"], &v1_file);
    tools::qpdf_check(&v1_file);
    let text = tools::pdftotext(&v1_file);
    for needle in [
        "FORMATO DE REGISTRO DE ATENCIÓN DE MESA DE AYUDA",
        // Cells wrap: one line of each.
        "La impresora del área de",
        "Abastecimiento no imprime",
        "QUISPE HUAMÁN,",
        "Rosa Elvira Huamaní Quispe",
        "Documento sin número",
    ] {
        assert!(text.contains(needle), "pdftotext lacks {needle:?}:\n{text}");
    }

    // Wrong password: a Spanish message next to the password, and no version written.
    let signer = pki.path("signer.pfx");
    let e =
        sign(&h, &v1["id"], &signer, Some("no-es-la-clave"), "author").expect_err("wrong password");
    assert_refused(
        &e,
        "docs.pfx_wrong_password",
        Some("password"),
        "contraseña",
    );
    // No password typed and none remembered (no keyring in this test): asked for.
    let e = sign(&h, &v1["id"], &signer, None, "author").expect_err("no password");
    assert_refused(&e, "campo_requerido", Some("password"), "contraseña");
    assert_eq!(
        versions(&h, register_source()).len(),
        1,
        "nothing half-written"
    );

    // Author's signature → version 2.
    let outcome = sign(&h, &v1["id"], &signer, Some(pki::PASSWORD), "author").expect("sign");
    let v2 = outcome["document"].clone();
    assert_eq!(v2["version"], 2, "{outcome}");
    assert_eq!(v2["signature_count"], 1);
    assert_eq!(v2["previous_id"], v1["id"]);
    assert_eq!(outcome["password_remembered"], false);
    assert_eq!(v2["content_sha256"], v1["content_sha256"]);

    // Not trusted until the unit adds its root; then trusted.
    let reports = h.ok("document_signatures", json!({ "id": v2["id"] }));
    assert_eq!(reports.as_array().map(Vec::len), Some(1), "{reports}");
    assert_eq!(reports[0]["digest_valid"], true);
    assert_eq!(reports[0]["signature_valid"], true);
    assert_eq!(reports[0]["certificate_trusted"], false);
    assert_eq!(reports[0]["reason"], "Soy el autor del documento");
    let roots = h.ok(
        "trusted_root_add",
        json!({ "path": pki.path("ca.crt").display().to_string() }),
    );
    assert_eq!(roots[0]["subject"], "Chaski Test CA", "{roots}");
    assert_eq!(h.ok("trusted_roots_list", json!({})), roots);
    let reports = h.ok("document_signatures", json!({ "id": v2["id"] }));
    assert_eq!(reports[0]["certificate_trusted"], true, "{reports}");
    assert!(
        reports[0]["signer"]
            .as_str()
            .is_some_and(|s| s.starts_with("QUISPE HUAMAN Edwin"))
    );

    // Version 1 can no longer be signed (the history is a line).
    let e = sign(&h, &v1["id"], &signer, Some(pki::PASSWORD), "approval").expect_err("old version");
    assert_eq!(e["code"], "documento_inmutable", "{e}");
    assert_eq!(versions(&h, register_source()).len(), 2);

    // V° B° by a second person → version 3; the earlier versions' bytes never change.
    let v2_file = out.path().join("registro-v2.pdf");
    let v2_bytes = save(&h, &v2["id"], &v2_file);
    assert!(v2_bytes.starts_with(&v1_bytes), "a signature only appends");
    let v3 = sign(
        &h,
        &v2["id"],
        &pki.path("signer2.pfx"),
        Some(pki::PASSWORD),
        "approval",
    )
    .expect("V° B°")["document"]
        .clone();
    assert_eq!(v3["signature_count"], 2);
    let v3_file = out.path().join("registro-v3.pdf");
    let v3_bytes = save(&h, &v3["id"], &v3_file);
    assert!(v3_bytes.starts_with(&v2_bytes));
    assert_eq!(
        save(&h, &v1["id"], &out.path().join("again-v1.pdf")),
        v1_bytes
    );
    assert_eq!(
        save(&h, &v2["id"], &out.path().join("again-v2.pdf")),
        v2_bytes
    );

    // Independent validators: qpdf, pdftotext (the stamps), pdfsig with an NSS db trusting the CA.
    tools::qpdf_check(&v3_file);
    let text = tools::pdftotext(&v3_file);
    assert!(text.contains("Firmado digitalmente por:"), "{text}");
    assert!(text.contains("Doy V° B°"), "{text}");
    let sig = tools::pdfsig(&v3_file, &pki.nss_db());
    assert_eq!(sig.matches("Signature is Valid").count(), 2, "{sig}");
    assert!(!sig.contains("Digest Mismatch"), "{sig}");

    // "Verificar PDF" on the saved file: both signatures, in order.
    let reports = h.ok(
        "document_verify",
        json!({ "path": v3_file.display().to_string() }),
    );
    let reports = reports.as_array().cloned().unwrap_or_default();
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[0]["reason"], "Soy el autor del documento");
    assert_eq!(reports[0]["modified_after_signing"], true);
    assert_eq!(reports[1]["reason"], "Doy V° B°");
    assert!(reports.iter().all(|r| r["digest_valid"] == true
        && r["signature_valid"] == true
        && r["certificate_trusted"] == true));

    // "Imprimir": a copy under the data folder (no viewer on a test machine is fine).
    let opened = h.ok("document_open", json!({ "id": v3["id"] }));
    let copy = Path::new(opened["path"].as_str().expect("path")).to_path_buf();
    assert!(copy.starts_with(dir.path().join("documentos")), "{opened}");
    assert_eq!(std::fs::read(&copy).expect("copy"), v3_bytes);
    if opened["opened"] == false {
        assert!(
            opened["problem"]
                .as_str()
                .is_some_and(|p| p.contains("visor")),
            "{opened}"
        );
    }

    // Removing the root makes the same file untrusted again.
    let sha = roots[0]["sha256"].as_str().expect("sha").to_string();
    assert_eq!(
        h.ok("trusted_root_remove", json!({ "sha256": sha })),
        json!([])
    );
    let reports = h.ok(
        "document_verify",
        json!({ "path": v3_file.display().to_string() }),
    );
    assert_eq!(reports[0]["certificate_trusted"], false);
}

#[test]
fn cargo_and_traslado_render_with_their_people_and_numbers() {
    let pki = pki::Pki::new();
    let dir = tempfile::tempdir().expect("tempdir");
    let records = seed(dir.path());
    let h = start(dir.path());
    let out = tempfile::tempdir().expect("out dir");

    let cargo_source = json!({ "kind": "assignment", "source_id": records.issued_cargo });
    let cargo = h.ok(
        "document_render",
        json!({ "input": { "source": cargo_source,
            "hand_signatures": [ { "role": "employee", "png_base64": png_b64(1) },
                                 { "role": "technician", "png_base64": png_b64(2) } ] } }),
    );
    assert_eq!(cargo["kind"], "cargo-asignacion");
    assert_eq!(cargo["number"], "N° 001-2026", "{cargo}");
    assert_eq!(cargo["source_id"], records.issued_cargo.as_str());
    let file = out.path().join("cargo.pdf");
    save(&h, &cargo["id"], &file);
    tools::qpdf_check(&file);
    let text = tools::pdftotext(&file);
    for needle in [
        "CARGO DE ASIGNACIÓN DE EQUIPOS DE CÓMPUTO N° 001-2026",
        "QUISPE HUAMÁN, María",
        "740899500001",
        "Firma del Servidor/a de la UAST",
    ] {
        assert!(text.contains(needle), "pdftotext lacks {needle:?}:\n{text}");
    }
    // Rendering the same issued cargo again gives a second document with the same data hash.
    let again = h.ok(
        "document_render",
        json!({ "input": { "source": cargo_source, "hand_signatures": [] } }),
    );
    assert_eq!(again["content_sha256"], cargo["content_sha256"]);
    assert_eq!(versions(&h, cargo_source.clone()).len(), 2);
    // Signed by the specialist (a cargo signed once is ≤ 80 KB).
    let signed = sign(
        &h,
        &cargo["id"],
        &pki.path("signer.pfx"),
        Some(pki::PASSWORD),
        "author",
    )
    .expect("sign the cargo")["document"]
        .clone();
    assert!(
        signed["file_size"].as_u64().is_some_and(|n| n < 80 * 1024),
        "{signed}"
    );

    let transfer_source = json!({ "kind": "transfer", "source_id": records.issued_transfer });
    let transfer = h.ok(
        "document_render",
        json!({ "input": { "source": transfer_source,
            "hand_signatures": [ { "role": "technician", "png_base64": png_b64(3) } ] } }),
    );
    assert_eq!(transfer["kind"], "traslado");
    let file = out.path().join("traslado.pdf");
    save(&h, &transfer["id"], &file);
    tools::qpdf_check(&file);
    let text = tools::pdftotext(&file);
    for needle in [
        "FORMATO DE TRASLADO DE EQUIPOS N° 001-2026",
        "Oficina de enlace Quillabamba",
        "CÁRDENAS ÑAUPA, Teófilo",
    ] {
        assert!(text.contains(needle), "pdftotext lacks {needle:?}:\n{text}");
    }

    // A draft is not printed; an unknown id is not found.
    let e = h.err(
        "document_render",
        json!({ "input": { "source": { "kind": "assignment", "source_id": records.draft_cargo } } }),
    );
    assert_refused(&e, "documento_no_emitido", None, "borrador");
    let e = h.err(
        "document_render",
        json!({ "input": { "source": { "kind": "transfer", "source_id": records.issued_cargo } } }),
    );
    assert_eq!(e["code"], "no_encontrado", "{e}");
}

#[test]
fn bad_inputs_are_refused_in_spanish_without_writing() {
    let pki = pki::Pki::new();
    let dir = tempfile::tempdir().expect("tempdir");
    let records = seed(dir.path());
    let h = start(dir.path());
    let out = tempfile::tempdir().expect("out dir");

    // Periods.
    let e = h.err(
        "document_render",
        json!({ "input": { "source": { "kind": "register", "from": "2026-11-30", "to": "2026-11-01" } } }),
    );
    assert_refused(&e, "rango_fechas_invalido", Some("to"), "anterior");
    let e = h.err(
        "document_render",
        json!({ "input": { "source": { "kind": "register", "to": "2026-11-01" } } }),
    );
    assert_refused(&e, "campo_requerido", Some("from"), "desde");
    let e = h.err(
        "document_render",
        json!({ "input": { "source": { "kind": "assignment" } } }),
    );
    assert_refused(&e, "campo_requerido", Some("source_id"), "cargo");

    // Handwritten signatures: not base64 / not a PNG / a line the form does not have.
    let e = h.err(
        "document_render",
        json!({ "input": { "source": register_source(),
            "hand_signatures": [ { "role": "technician", "png_base64": "%%% no es base64" } ] } }),
    );
    assert_refused(
        &e,
        "docs.hand_signature_image",
        Some("hand_signatures"),
        "firma manuscrita",
    );
    let not_png = base64::engine::general_purpose::STANDARD.encode(b"GIF89a esto no es PNG");
    let e = h.err(
        "document_render",
        json!({ "input": { "source": register_source(),
            "hand_signatures": [ { "role": "technician", "png_base64": not_png } ] } }),
    );
    assert_refused(
        &e,
        "docs.hand_signature_image",
        Some("hand_signatures"),
        "PNG",
    );
    let e = h.err(
        "document_render",
        json!({ "input": { "source": { "kind": "assignment", "source_id": records.issued_cargo },
            "hand_signatures": [ { "role": "approver", "png_base64": png_b64(1) } ] } }),
    );
    assert_refused(
        &e,
        "valor_invalido",
        Some("hand_signatures"),
        "línea de firma",
    );
    assert!(versions(&h, register_source()).is_empty());

    // Certificates: missing file, expired, not yet valid, without key, not a PFX.
    let v1 = h.ok(
        "document_render",
        json!({ "input": { "source": register_source() } }),
    );
    let e = sign(
        &h,
        &v1["id"],
        &out.path().join("no-existe.pfx"),
        Some("x"),
        "author",
    )
    .expect_err("missing");
    assert_refused(&e, "archivo_no_legible", Some("pfx_path"), "no-existe.pfx");
    let e = sign(
        &h,
        &v1["id"],
        &pki.path("expired.pfx"),
        Some(pki::PASSWORD),
        "author",
    )
    .expect_err("expired");
    assert_refused(&e, "docs.certificate_expired", Some("pfx_path"), "venció");
    let e = sign(
        &h,
        &v1["id"],
        &pki.path("future.pfx"),
        Some(pki::PASSWORD),
        "author",
    )
    .expect_err("future");
    assert_refused(
        &e,
        "docs.certificate_not_yet_valid",
        Some("pfx_path"),
        "válido",
    );
    let e = sign(
        &h,
        &v1["id"],
        &pki.path("nokey.pfx"),
        Some(pki::PASSWORD),
        "author",
    )
    .expect_err("no key");
    assert_refused(
        &e,
        "docs.pfx_without_private_key",
        Some("pfx_path"),
        "clave privada",
    );
    let e = sign(
        &h,
        &v1["id"],
        &pki.path("ca.crt"),
        Some(pki::PASSWORD),
        "author",
    )
    .expect_err("not a pfx");
    assert_refused(&e, "docs.pfx_invalid", Some("pfx_path"), "PFX");
    let e = h.err(
        "document_sign",
        json!({ "input": { "id": "0193a000-0000-7000-8000-000000000000", "pfx_path": pki.path("signer.pfx").display().to_string(),
                           "password": pki::PASSWORD, "reason": "author" } }),
    );
    assert_eq!(e["code"], "no_encontrado", "{e}");
    assert_eq!(
        versions(&h, register_source()).len(),
        1,
        "no version was added"
    );

    // Verification and settings with wrong files.
    let not_pdf = out.path().join("nota.pdf");
    std::fs::write(&not_pdf, "esto no es un PDF").expect("write");
    let e = h.err(
        "document_verify",
        json!({ "path": not_pdf.display().to_string() }),
    );
    assert_refused(&e, "docs.pdf_invalid", Some("path"), "PDF");
    let e = h.err("document_verify", json!({ "path": "" }));
    assert_refused(&e, "campo_requerido", Some("path"), "PDF");
    let e = h.err(
        "trusted_root_add",
        json!({ "path": not_pdf.display().to_string() }),
    );
    assert_refused(&e, "docs.certificate_invalid", Some("path"), "certificado");
    let e = h.err("trusted_root_remove", json!({ "sha256": "abc" }));
    assert_eq!(e["code"], "valor_invalido", "{e}");
    let e = h.err(
        "document_save_as",
        json!({ "id": v1["id"], "path": out.path().join("no/existe/x.pdf").display().to_string() }),
    );
    assert_refused(&e, "archivo_no_legible", Some("path"), "Elija otra carpeta");
    let e = h.err(
        "certificate_password_forget",
        json!({ "fingerprint": "zz" }),
    );
    assert_eq!(e["code"], "huella_certificado_invalida", "{e}");
    // An unsigned PDF verifies to an empty list, not an error.
    let plain = out.path().join("sin-firmas.pdf");
    save(&h, &v1["id"], &plain);
    assert_eq!(
        h.ok(
            "document_verify",
            json!({ "path": plain.display().to_string() })
        ),
        json!([])
    );
}

/// "Recordar contraseña" against a REAL Secret Service (run inside
/// `scripts/keyring-test-env.sh`; skipped with `CHASKI_KEYRING_TESTS=0`): the password is kept
/// only after the signature succeeded, the next signature needs no password, forgetting works.
#[test]
fn remembered_password_signs_the_second_time() {
    if std::env::var("CHASKI_KEYRING_TESTS").as_deref() == Ok("0") {
        eprintln!("CHASKI_KEYRING_TESTS=0: prueba del llavero omitida a pedido");
        return;
    }
    let pki = pki::Pki::new();
    let dir = tempfile::tempdir().expect("tempdir");
    seed(dir.path());
    let h = start(dir.path());
    assert_eq!(
        h.ok("keyring_status", json!({})),
        true,
        "no Secret Service: run inside scripts/keyring-test-env.sh or set CHASKI_KEYRING_TESTS=0"
    );
    let pfx = pki.path("signer2.pfx");
    let file = h.ok(
        "certificate_file",
        json!({ "path": pfx.display().to_string() }),
    );
    let fingerprint = file["fingerprint"].clone();
    assert_eq!(file["password_remembered"], false, "{file}");

    let v1 = h.ok(
        "document_render",
        json!({ "input": { "source": register_source() } }),
    );
    // A wrong password is never remembered.
    let e = h.err(
        "document_sign",
        json!({ "input": { "id": v1["id"], "pfx_path": pfx.display().to_string(),
                           "password": "equivocada", "remember": true, "reason": "author" } }),
    );
    assert_eq!(e["code"], "docs.pfx_wrong_password");
    assert_eq!(
        h.ok(
            "certificate_file",
            json!({ "path": pfx.display().to_string() })
        )["password_remembered"],
        false
    );
    let outcome = h.ok(
        "document_sign",
        json!({ "input": { "id": v1["id"], "pfx_path": pfx.display().to_string(),
                           "password": pki::PASSWORD, "remember": true, "reason": "author" } }),
    );
    assert_eq!(outcome["password_remembered"], true, "{outcome}");
    assert_eq!(
        h.ok(
            "certificate_file",
            json!({ "path": pfx.display().to_string() })
        )["password_remembered"],
        true
    );
    // Second signature without typing the password.
    let v3 = sign(&h, &outcome["document"]["id"], &pfx, None, "approval").expect("remembered");
    assert_eq!(v3["document"]["signature_count"], 2);
    assert_eq!(
        h.ok(
            "certificate_password_forget",
            json!({ "fingerprint": fingerprint })
        ),
        true
    );
    assert_eq!(
        h.ok(
            "certificate_password_forget",
            json!({ "fingerprint": fingerprint })
        ),
        false
    );
    let e = sign(&h, &v3["document"]["id"], &pfx, None, "approval").expect_err("forgotten");
    assert_refused(&e, "campo_requerido", Some("password"), "contraseña");
}
