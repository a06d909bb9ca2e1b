//! The help desk's main path through the real app: first-run setup, a new attention, finding it
//! by a word of its problem typed without accents, and closing it as "Atendido".
//!
//! Runs only when `scripts/e2e.sh` set `CHASKI_E2E_APP` (the binary built with the UI embedded)
//! and `CHASKI_E2E_WEBDRIVER` (tauri-driver's URL). If they are set but the display or the binary
//! is missing, the test fails loudly instead of hanging or skipping.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::error::CmdError;
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;

const SESSION_TIMEOUT: Duration = Duration::from_secs(60);
const BODY_TIMEOUT: Duration = Duration::from_secs(180);
const WAIT: Duration = Duration::from_secs(20);

struct Env {
    app: PathBuf,
    webdriver: String,
    shots: Option<PathBuf>,
}

/// `None` when the test was not started by `scripts/e2e.sh`; panics when it was, but the
/// machine cannot run it.
fn env() -> Option<Env> {
    let app = std::env::var_os("CHASKI_E2E_APP")?;
    let app = PathBuf::from(app);
    let webdriver = std::env::var("CHASKI_E2E_WEBDRIVER")
        .expect("CHASKI_E2E_APP is set but CHASKI_E2E_WEBDRIVER is not: run scripts/e2e.sh");
    assert!(
        std::env::var_os("DISPLAY").is_some(),
        "CHASKI_E2E_APP is set but DISPLAY is not: the app cannot open a window; run scripts/e2e.sh (it uses xvfb-run)"
    );
    assert!(
        app.is_file(),
        "the app binary {} does not exist: run scripts/e2e.sh",
        app.display()
    );
    for var in ["CHASKI_DATA_DIR", "XDG_DATA_HOME", "XDG_CONFIG_HOME"] {
        assert!(
            std::env::var_os(var).is_some(),
            "{var} must point to a fresh directory"
        );
    }
    let shots = std::env::var_os("CHASKI_E2E_SHOTS").map(PathBuf::from);
    Some(Env {
        app,
        webdriver,
        shots,
    })
}

/// A screenshot of the whole X display (window decorations included), as a person would see it.
fn screenshot(env: &Env, name: &str) {
    let Some(dir) = &env.shots else { return };
    // WebKit paints under Xvfb a moment after the DOM changes.
    std::thread::sleep(Duration::from_millis(900));
    let path = dir.join(format!("{name}.png"));
    let status = std::process::Command::new("import")
        .args(["-window", "root"])
        .arg(&path)
        .status();
    match status {
        Ok(s) if s.success() => eprintln!("captura: {}", path.display()),
        other => eprintln!("no se pudo capturar {}: {other:?}", path.display()),
    }
}

async fn connect(env: &Env) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), "wry".into());
    caps.insert(
        "tauri:options".into(),
        serde_json::json!({ "application": env.app.to_string_lossy() }),
    );
    let builder = ClientBuilder::new(HttpConnector::new())
        .capabilities(caps)
        .clone();
    tokio::time::timeout(SESSION_TIMEOUT, builder.connect(&env.webdriver))
        .await
        .expect("the WebDriver session did not start within 60 s (is the display up?)")
        .expect("tauri-driver refused the session")
}

/// Waits until `css` matches a displayed element.
async fn wait_for(c: &Client, css: &str) -> Element {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Ok(el) = c.find(Locator::Css(css)).await
            && el.is_displayed().await.unwrap_or(false)
        {
            return el;
        }
        assert!(
            Instant::now() < deadline,
            "nothing matched `{css}` within {WAIT:?}"
        );
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

/// Waits until the element's text (`textContent`: long cells are cut with an ellipsis on
/// screen) contains `needle`; returns the text.
async fn wait_text(c: &Client, css: &str, needle: &str) -> String {
    let deadline = Instant::now() + WAIT;
    let mut last = String::new();
    loop {
        if let Ok(el) = c.find(Locator::Css(css)).await
            && let Ok(Some(text)) = el.prop("textContent").await
        {
            if text.contains(needle) {
                return text;
            }
            last = text;
        }
        assert!(
            Instant::now() < deadline,
            "`{css}` did not show {needle:?} within {WAIT:?}; it showed {last:?}"
        );
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

async fn type_into(c: &Client, css: &str, text: &str) -> Result<Element, CmdError> {
    let el = wait_for(c, css).await;
    el.clear().await?;
    el.send_keys(text).await?;
    Ok(el)
}

async fn select_label(c: &Client, css: &str, label: &str) -> Result<(), CmdError> {
    let el = wait_for(c, css).await;
    el.select_by_label(label).await?;
    Ok(())
}

const PROBLEM: &str =
    "La impresora del área de Abastecimiento no imprime: la impresión sale en blanco";
const SOLUTION: &str = "Se reemplazó el tóner y se limpió el cabezal; impresión de prueba correcta";

async fn scenario(c: &Client, env: &Env) -> Result<(), CmdError> {
    // 1. First run: the setup screen, completed with the keyboard (Enter submits).
    wait_for(c, "[data-screen='setup']").await;
    screenshot(env, "01-configuracion-inicial");
    select_label(c, "#setup-unit", "UT Cusco").await?;
    type_into(c, "#setup-last-names", "Quispe Mamani").await?;
    type_into(c, "#setup-first-names", "Rosa Elena").await?;
    let dni = type_into(c, "#setup-dni", "4567890").await?;
    dni.send_keys(&Key::Enter.to_string()).await?;
    // The core refuses a 7-digit DNI; the message sits next to the field.
    wait_text(c, "#setup-dni-error", "DNI").await;
    let dni = type_into(c, "#setup-dni", "45678901").await?;
    dni.send_keys(&Key::Enter.to_string()).await?;

    // 2. The app opens on the (empty) attention register.
    wait_for(c, "[data-screen='attentions']").await;
    wait_text(c, "header .unit", "Cusco").await;

    // 3. A new attention.
    wait_for(c, "#new-attention").await.click().await?;
    wait_for(c, "[data-screen='attention-form']").await;
    // The requester is not in the directory yet: register them from the picker.
    type_into(c, "#att-requester", "Huamán Torres").await?;
    wait_for(c, "#att-requester-new").await.click().await?;
    wait_for(c, "[data-screen='person-form']").await;
    let last = wait_for(c, "#person-last-names").await;
    assert_eq!(last.prop("value").await?.as_deref(), Some("Huamán Torres"));
    type_into(c, "#person-first-names", "Luis Alberto").await?;
    let email = type_into(c, "#person-email", "lhuaman@entidad.gob.pe").await?;
    email.send_keys(&Key::Enter.to_string()).await?;
    let requester = wait_for(c, "#att-requester").await;
    let deadline = Instant::now() + WAIT;
    while requester.prop("value").await?.as_deref() != Some("HUAMÁN TORRES, Luis Alberto") {
        assert!(
            Instant::now() < deadline,
            "the new person was not set as the requester"
        );
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    type_into(c, "#att-office", "Abastecimiento").await?;
    type_into(c, "#att-problem", PROBLEM).await?;
    select_label(c, "#att-kind", "Incidencia").await?;
    select_label(c, "#att-channel", "Teléfono").await?;
    let service = wait_for(c, "#att-service").await;
    service.select_by_index(1).await?;
    select_label(
        c,
        "#att-priority",
        "2 — Lentitud en el funcionamiento de los servicios TIC",
    )
    .await?;
    screenshot(env, "02-nueva-atencion");
    wait_for(c, "#att-save").await.click().await?;
    wait_text(c, "#att-status", "Pendiente").await;
    let number = wait_for(c, "#att-number")
        .await
        .prop("value")
        .await?
        .unwrap_or_default();
    assert!(
        number.starts_with("N° 001-"),
        "the first attention of the year is N° 001-aaaa, got {number:?}"
    );

    // 4. Back to the list; find it by a word of its problem typed without the accent.
    wait_for(c, "#nav-attentions").await.click().await?;
    wait_for(c, "[data-screen='attentions']").await;
    type_into(c, "#attention-search", "impresion").await?;
    wait_text(c, "#attention-rows", "Abastecimiento no imprime").await;
    screenshot(env, "03-busqueda");
    let row = wait_for(c, "#attention-rows tr[data-number]").await;
    assert_eq!(
        row.attr("data-number").await?.as_deref(),
        Some(number.trim())
    );
    wait_for(c, "#attention-rows tr[data-number] td.num")
        .await
        .click()
        .await?;
    wait_for(c, "[data-screen='attention-form']").await;

    // 5. Move it to "Atendido": the core refuses it without a solution, then accepts it.
    wait_for(c, "#transition-start").await.click().await?;
    wait_text(c, "#att-status", "En progreso").await;
    wait_for(c, "#transition-resolve").await.click().await?;
    wait_text(c, "#att-solution-error", "solución").await;
    type_into(c, "#att-solution", SOLUTION).await?;
    wait_for(c, "#transition-resolve").await.click().await?;
    wait_text(c, "#att-status", "Atendido").await;
    let resolved = wait_for(c, "#att-resolved-at")
        .await
        .prop("value")
        .await?
        .unwrap_or_default();
    assert!(
        resolved.len() == 16 && resolved.as_bytes()[2] == b'/' && resolved.as_bytes()[5] == b'/',
        "the resolved time is shown as dd/mm/aaaa hh:mm, got {resolved:?}"
    );
    screenshot(env, "04-atendido");

    // 6. The list shows it as Atendido.
    wait_for(c, "#nav-attentions").await.click().await?;
    type_into(c, "#attention-search", "impresion").await?;
    let rows = wait_text(c, "#attention-rows", "Atendido").await;
    assert!(
        rows.contains(number.trim()),
        "the row shows the attention's N° {number}: {rows}"
    );
    screenshot(env, "05-lista");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_run_create_find_and_resolve_an_attention() {
    let Some(env) = env() else {
        eprintln!(
            "prueba de punta a punta omitida: se ejecuta con scripts/e2e.sh (CHASKI_E2E_APP no está definido)"
        );
        return;
    };
    let client = connect(&env).await;
    let outcome = tokio::time::timeout(BODY_TIMEOUT, scenario(&client, &env)).await;
    if outcome.as_ref().map(|r| r.is_err()).unwrap_or(true) {
        screenshot(&env, "99-fallo");
    }
    // Close the session before tauri-driver is stopped, whatever happened.
    let closed = client.close().await;
    match outcome {
        Err(_) => panic!("the scenario did not finish within {BODY_TIMEOUT:?}"),
        Ok(Err(err)) => panic!("WebDriver command failed: {err}"),
        Ok(Ok(())) => {}
    }
    closed.expect("closing the WebDriver session");
}
