//! The certificate-password keyring module against a REAL Secret Service.
//!
//! Run inside `scripts/keyring-test-env.sh` (a private D-Bus session with an unlocked
//! gnome-keyring and its own HOME), e.g.
//! `scripts/keyring-test-env.sh cargo test -p chaski-app --test use_cases secrets::`.
//! Without a reachable Secret Service these tests FAIL, on purpose, unless
//! `CHASKI_KEYRING_TESTS=0` is set (then the keyring tests return early and say so).

use chaski_app::secrets::{CertificatePasswords, SERVICE, SecretsError, normalize_fingerprint};

/// `true` when the keyring tests must run (the default).
fn keyring_required() -> bool {
    if std::env::var("CHASKI_KEYRING_TESTS").as_deref() == Ok("0") {
        eprintln!("CHASKI_KEYRING_TESTS=0: pruebas del llavero omitidas a pedido");
        return false;
    }
    if let Err(e) = CertificatePasswords::available() {
        panic!(
            "No hay Secret Service alcanzable ({}: {e}). Ejecute las pruebas con \
             scripts/keyring-test-env.sh, o ponga CHASKI_KEYRING_TESTS=0 para omitirlas.",
            e.code()
        );
    }
    true
}

/// A fresh fingerprint per test, so tests running in parallel never share an entry.
fn fingerprint() -> String {
    let a = uuid::Uuid::now_v7().simple().to_string();
    let b = uuid::Uuid::now_v7().simple().to_string();
    format!("{a}{b}")
}

#[test]
fn remember_get_forget_round_trip() {
    if !keyring_required() {
        return;
    }
    let fp = fingerprint();
    assert_eq!(CertificatePasswords::get(&fp).expect("get"), None);
    CertificatePasswords::remember(&fp, "clave-de-prueba-ñ €").expect("remember");
    assert_eq!(
        CertificatePasswords::get(&fp).expect("get").as_deref(),
        Some("clave-de-prueba-ñ €")
    );
    // Replacing keeps one entry with the new value.
    CertificatePasswords::remember(&fp, "otra").expect("replace");
    assert_eq!(
        CertificatePasswords::get(&fp).expect("get").as_deref(),
        Some("otra")
    );
    assert!(CertificatePasswords::forget(&fp).expect("forget"));
    assert_eq!(CertificatePasswords::get(&fp).expect("get"), None);
    // Forgetting twice is not an error.
    assert!(!CertificatePasswords::forget(&fp).expect("forget again"));
}

#[test]
fn passwords_are_per_certificate_and_spelling_insensitive() {
    if !keyring_required() {
        return;
    }
    let a = fingerprint();
    let b = fingerprint();
    CertificatePasswords::remember(&a, "clave-a").expect("a");
    CertificatePasswords::remember(&b, "clave-b").expect("b");
    // The same fingerprint as a certificate viewer prints it: uppercase pairs with colons.
    let viewer: String = a
        .to_uppercase()
        .as_bytes()
        .chunks(2)
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .collect::<Vec<_>>()
        .join(":");
    assert_eq!(
        CertificatePasswords::get(&viewer).expect("get").as_deref(),
        Some("clave-a")
    );
    assert_eq!(
        CertificatePasswords::get(&b).expect("get").as_deref(),
        Some("clave-b")
    );
    assert!(CertificatePasswords::forget(&viewer).expect("forget a"));
    assert_eq!(
        CertificatePasswords::get(&b).expect("get").as_deref(),
        Some("clave-b"),
        "olvidar uno no toca el otro"
    );
    assert!(CertificatePasswords::forget(&b).expect("forget b"));
}

#[test]
fn the_secret_is_in_the_secret_service_under_our_service_name() {
    if !keyring_required() {
        return;
    }
    let fp = fingerprint();
    CertificatePasswords::remember(&fp, "visible-para-secret-tool").expect("remember");
    // Read it back with another client of the same Secret Service when one is installed
    // (libsecret-tools); the keyring crate stores `service` and `username` attributes.
    match std::process::Command::new("secret-tool")
        .args(["lookup", "service", SERVICE, "username", &fp])
        .output()
    {
        Ok(out) => {
            assert!(out.status.success(), "secret-tool: {out:?}");
            assert_eq!(
                String::from_utf8_lossy(&out.stdout),
                "visible-para-secret-tool"
            );
        }
        Err(e) => eprintln!("secret-tool no disponible ({e}); solo se comprueba con keyring"),
    }
    assert!(CertificatePasswords::forget(&fp).expect("forget"));
}

#[test]
fn bad_input_is_refused_before_touching_the_keyring() {
    let err = CertificatePasswords::remember("abc", "x").expect_err("huella corta");
    assert_eq!(err.code(), "huella_certificado_invalida");
    assert_eq!(err.field(), Some("fingerprint"));
    assert!(err.to_string().contains("64 caracteres"), "{err}");
    let err = CertificatePasswords::get(&"g".repeat(64)).expect_err("no hex");
    assert_eq!(err.code(), "huella_certificado_invalida");
    let err = CertificatePasswords::remember(&fingerprint(), "").expect_err("vacía");
    assert!(matches!(err, SecretsError::EmptyPassword));
    assert_eq!(err.code(), "contrasena_vacia");
    assert_eq!(err.field(), Some("password"));
    let fp = "AB:".repeat(31) + "AB";
    assert_eq!(normalize_fingerprint(&fp).expect("ok"), "ab".repeat(32));
}
