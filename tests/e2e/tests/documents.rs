//! Issue 4 through the real app: print the Anexo 01 register of a period, sign it by hand on the
//! two pads (WebDriver pointer actions), sign it digitally with a PFX made here by openssl
//! ("Recordar contraseña" ticked), then a second time (V° B°) with the password from the system
//! keyring; check the saved files with qpdf, pdftotext and pdfsig (NSS db trusting the test CA)
//! and with "Verificar PDF".
//!
//! The system's save dialog cannot be driven by WebDriver, so the test takes the file from
//! "Imprimir", which writes the version under `<data dir>/documentos/` and shows its path on
//! screen (`#doc-file-path`); "Guardar como…" writes the same bytes through the same store read
//! (`document_save_as`, covered by the shell's command tests). Runs inside
//! `scripts/keyring-test-env.sh` (scripts/e2e.sh does it), so a real Secret Service answers.

#[path = "../../../crates/chaski-docs/tests/docs/tools.rs"]
#[allow(dead_code)]
mod tools;

#[path = "../../../crates/chaski-docs/tests/docs/pki.rs"]
#[allow(dead_code)]
mod pki;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chaski_e2e::draw_signature as draw;
use chaski_e2e::{Env, first_run_setup, run_scenario, screenshot, type_into, wait_for, wait_text};
use fantoccini::error::CmdError;
use fantoccini::key::Key;
use fantoccini::{Client, Locator};

/// Waits until a version with `signatures` digital signatures is listed; returns its element's
/// data-version.
async fn wait_version(c: &Client, version: u32, signatures: u32) {
    wait_for(
        c,
        &format!(
            "[data-testid='document-version'][data-version='{version}'][data-signatures='{signatures}']"
        ),
    )
    .await;
}

/// Clicks "Imprimir" on `version` and returns the path shown on screen, once it is that
/// version's file.
async fn print(c: &Client, version: u32) -> Result<PathBuf, CmdError> {
    let css = format!("[data-testid='document-version'][data-version='{version}'] .doc-print");
    wait_for(c, &css).await.click().await?;
    let needle = format!("-v{version}-");
    let text = wait_text(c, "#doc-file-path", &needle).await;
    Ok(PathBuf::from(text.trim()))
}

async fn open_sign_dialog(c: &Client, version: u32) -> Result<(), CmdError> {
    let css = format!("[data-testid='document-version'][data-version='{version}'] .doc-sign");
    wait_for(c, &css).await.click().await?;
    wait_for(c, "[data-testid='sign-dialog']").await;
    Ok(())
}

async fn scenario(c: &Client, env: &Env) -> Result<(), CmdError> {
    let pki = pki::Pki::new();
    first_run_setup(c).await?;
    // `--demo`: the app loads the demo data set right after the setup.
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let banner = c.find(Locator::Css(".banner")).await;
        if let Ok(b) = banner
            && let Ok(Some(text)) = b.prop("textContent").await
            && text.contains("Datos de demostración cargados")
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the demo data did not load within 90 s"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }

    // Ajustes: the unit trusts the test CA.
    wait_for(c, "#nav-settings").await.click().await?;
    type_into(c, "#root-path", &pki.path("ca.crt").display().to_string()).await?;
    wait_for(c, "#root-add").await.click().await?;
    wait_text(c, "#roots-list", "Chaski Test CA").await;

    // Documentos (Alt+5): the register of this month.
    wait_for(c, "#nav-pdf-documents").await.click().await?;
    wait_for(c, "[data-screen='documents']").await;
    wait_for(c, "#reg-show").await.click().await?;
    wait_for(c, "[data-testid='document-panel'][data-kind='register']").await;
    wait_for(c, "#doc-no-versions").await;

    // Both V° B° boxes signed by hand.
    draw(c, "#doc-pad-technician-canvas", 0.0).await?;
    wait_text(c, "#doc-pad-technician-hint", "Firma registrada.").await;
    draw(c, "#doc-pad-approver-canvas", 6.0).await?;
    wait_text(c, "#doc-pad-approver-hint", "Firma registrada.").await;
    type_into(c, "#doc-approver-name", "Rosa Elvira Huamaní Quispe").await?;
    type_into(c, "#doc-approver-dni", "29874512").await?;
    screenshot(env, "10-registro-firmas-manuscritas");
    wait_for(c, "#doc-generate").await.click().await?;
    wait_version(c, 1, 0).await;
    wait_text(c, "#doc-message", "PDF generado").await;

    // Firmar digitalmente: PFX path typed, password, "Recordar contraseña", reason author.
    open_sign_dialog(c, 1).await?;
    let pfx = pki.path("signer.pfx").display().to_string();
    let field = type_into(c, "#sign-pfx", &pfx).await?;
    field.send_keys(&Key::Tab.to_string()).await?;
    type_into(c, "#sign-password", pki::PASSWORD).await?;
    let remember = wait_for(c, "#sign-remember").await;
    remember.click().await?;
    wait_for(c, "#sign-reason")
        .await
        .select_by_label("Soy el autor del documento")
        .await?;
    screenshot(env, "11-firmar-digitalmente");
    wait_for(c, "#sign-submit").await.click().await?;
    wait_version(c, 2, 1).await;
    wait_text(c, "#doc-message", "La contraseña quedó recordada").await;
    let list = wait_text(
        c,
        "[data-version='2'] .signature-reports",
        "Soy el autor del documento",
    )
    .await;
    assert!(list.contains("Certificado de confianza"), "{list}");
    assert!(list.contains("QUISPE HUAMAN Edwin"), "{list}");

    // The signed file, as the person gets it.
    let v2 = print(c, 2).await?;
    tools::qpdf_check(&v2);
    let text = tools::pdftotext(&v2);
    assert!(
        text.contains("FORMATO DE REGISTRO DE ATENCIÓN DE MESA DE AYUDA"),
        "{text}"
    );
    assert!(text.contains("Firmado digitalmente por:"), "{text}");
    let sig = tools::pdfsig(&v2, &pki.nss_db());
    assert!(sig.contains("Signature is Valid"), "{sig}");
    let v2_bytes = std::fs::read(&v2).expect("version 2");
    screenshot(env, "12-registro-firmado");

    // V° B° with the password from the keyring: nothing typed.
    open_sign_dialog(c, 2).await?;
    let field = type_into(c, "#sign-pfx", &pfx).await?;
    field.send_keys(&Key::Tab.to_string()).await?;
    wait_for(c, "#sign-remembered").await;
    wait_for(c, "#sign-reason")
        .await
        .select_by_label("Doy V° B°")
        .await?;
    wait_for(c, "#sign-submit").await.click().await?;
    wait_version(c, 3, 2).await;
    let v3 = print(c, 3).await?;
    let v3_bytes = std::fs::read(&v3).expect("version 3");
    assert!(
        v3_bytes.starts_with(&v2_bytes),
        "version 2's bytes are unchanged inside version 3"
    );
    assert_eq!(
        std::fs::read(print(c, 2).await?).expect("v2 again"),
        v2_bytes
    );
    tools::qpdf_check(&v3);
    let sig = tools::pdfsig(&v3, &pki.nss_db());
    // Same certificate twice: poppler reports the second signature's certificate oddly but both
    // signatures valid (docs/documents.md); the first must stay valid.
    assert_eq!(sig.matches("Signature is Valid").count(), 2, "{sig}");
    assert!(!sig.contains("Digest Mismatch"), "{sig}");

    // Verificar PDF on the saved file.
    type_into(c, "#verify-path", &v3.display().to_string()).await?;
    wait_for(c, "#verify-submit").await.click().await?;
    let result = wait_text(c, "#verify-result", "Doy V° B°").await;
    assert!(result.contains("Soy el autor del documento"), "{result}");
    assert!(result.contains("Firmas digitales (2)"), "{result}");
    assert!(result.contains("Certificado de confianza"), "{result}");
    assert!(!result.contains("Firma no válida"), "{result}");
    screenshot(env, "13-verificar-pdf");

    // A wrong password is refused next to its field, and no version is added.
    open_sign_dialog(c, 3).await?;
    let field = type_into(
        c,
        "#sign-pfx",
        &pki.path("signer2.pfx").display().to_string(),
    )
    .await?;
    field.send_keys(&Key::Tab.to_string()).await?;
    type_into(c, "#sign-password", "no-es-la-clave").await?;
    wait_for(c, "#sign-submit").await.click().await?;
    // The error is shown once the command returned: the list is final by then.
    wait_text(c, "#sign-password-error", "contraseña").await;
    assert!(
        c.find(Locator::Css(
            "[data-testid='document-version'][data-version='4']"
        ))
        .await
        .is_err(),
        "a failed signature must not add a version"
    );
    wait_for(c, "#sign-cancel").await.click().await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn print_a_register_and_sign_it() {
    run_scenario("documentos", &["--demo"], scenario).await;
}
