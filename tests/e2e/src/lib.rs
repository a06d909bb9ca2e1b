//! End-to-end tests of the real Chaski app, driven through its webview the way a person clicks
//! through it: tauri-driver starts the app binary and hands WebDriver commands to
//! WebKitWebDriver. `scripts/e2e.sh` builds the app, provides a virtual display and a fresh data
//! directory, and sets the environment the tests read; a plain `cargo test` does not run them.
//!
//! This library is the harness every scenario shares (environment, one session per scenario on
//! its own fresh database, waiting, typing, screenshots); the scenarios are in `tests/`.
#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
use fantoccini::elements::Element;
use fantoccini::error::CmdError;
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;

pub const SESSION_TIMEOUT: Duration = Duration::from_secs(60);
pub const BODY_TIMEOUT: Duration = Duration::from_secs(180);
pub const WAIT: Duration = Duration::from_secs(20);

pub struct Env {
    pub app: PathBuf,
    pub webdriver: String,
    pub shots: Option<PathBuf>,
    /// Parent of the per-scenario data directories (`CHASKI_DATA_DIR` of the run).
    pub data_root: PathBuf,
}

/// `None` when the test was not started by `scripts/e2e.sh`; panics when it was, but the
/// machine cannot run it.
pub fn env() -> Option<Env> {
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
    let data_root = PathBuf::from(std::env::var_os("CHASKI_DATA_DIR").unwrap_or_default());
    Some(Env {
        app,
        webdriver,
        shots,
        data_root,
    })
}

/// A screenshot of the whole X display (window decorations included), as a person would see it.
pub fn screenshot(env: &Env, name: &str) {
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

/// A new session: tauri-driver starts the app with `args` (e.g. `--demo`) on a fresh data
/// directory of its own, `<CHASKI_DATA_DIR>/<scenario>`.
pub async fn connect(env: &Env, scenario: &str, args: &[&str]) -> Client {
    let data_dir = env.data_root.join(scenario);
    std::fs::create_dir_all(&data_dir).expect("creating the scenario's data directory");
    let mut app_args = vec![
        "--data-dir".to_string(),
        data_dir.to_string_lossy().into_owned(),
    ];
    app_args.extend(args.iter().map(|a| a.to_string()));
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), "wry".into());
    caps.insert(
        "tauri:options".into(),
        serde_json::json!({ "application": env.app.to_string_lossy(), "args": app_args }),
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
pub async fn wait_for(c: &Client, css: &str) -> Element {
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
pub async fn wait_text(c: &Client, css: &str, needle: &str) -> String {
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

pub async fn type_into(c: &Client, css: &str, text: &str) -> Result<Element, CmdError> {
    let el = wait_for(c, css).await;
    el.clear().await?;
    el.send_keys(text).await?;
    Ok(el)
}

/// Selects the option shown as `label`, once it exists: options often arrive from a command
/// after the `<select>` is displayed (the setup's units), and selecting too early fails with an
/// empty WebDriver error on a loaded machine.
pub async fn select_label(c: &Client, css: &str, label: &str) -> Result<(), CmdError> {
    let el = wait_for(c, css).await;
    let deadline = Instant::now() + WAIT;
    loop {
        let options = el.find_all(Locator::Css("option")).await?;
        let mut found = false;
        for option in options {
            // `textContent`: WebDriver's visible text of an option in a closed list is empty.
            let text = option.prop("textContent").await?.unwrap_or_default();
            if text.trim() == label {
                found = true;
                break;
            }
        }
        if found {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "`{css}` had no option {label:?} within {WAIT:?}"
        );
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    el.select_by_label(label).await?;
    Ok(())
}

/// Runs one scenario in its own session and fresh database: skipped (with a line saying so)
/// outside `scripts/e2e.sh`; a screenshot `99-<name>-fallo` when it fails; the session is
/// always closed before returning, so tauri-driver can start the next one.
pub async fn run_scenario<F>(name: &str, app_args: &[&str], scenario: F)
where
    F: AsyncFnOnce(&Client, &Env) -> Result<(), CmdError>,
{
    let Some(env) = env() else {
        eprintln!(
            "prueba de punta a punta {name} omitida: se ejecuta con scripts/e2e.sh (CHASKI_E2E_APP no está definido)"
        );
        return;
    };
    let client = connect(&env, name, app_args).await;
    let outcome = tokio::time::timeout(BODY_TIMEOUT, scenario(&client, &env)).await;
    if outcome.as_ref().map(|r| r.is_err()).unwrap_or(true) {
        screenshot(&env, &format!("99-{name}-fallo"));
    }
    // Close the session before tauri-driver is stopped, whatever happened.
    let closed = client.close().await;
    match outcome {
        Err(_) => panic!("the scenario {name} did not finish within {BODY_TIMEOUT:?}"),
        Ok(Err(err)) => panic!("WebDriver command failed in {name}: {err}"),
        Ok(Ok(())) => {}
    }
    closed.expect("closing the WebDriver session");
}

/// The first-run setup screen completed with the keyboard: unit "UT Cusco", technician
/// QUISPE MAMANI, Rosa Elena (DNI 45678901). Leaves the app on the attention register.
pub async fn first_run_setup(c: &Client) -> Result<(), CmdError> {
    wait_for(c, "[data-screen='setup']").await;
    select_label(c, "#setup-unit", "UT Cusco").await?;
    type_into(c, "#setup-last-names", "Quispe Mamani").await?;
    type_into(c, "#setup-first-names", "Rosa Elena").await?;
    let dni = type_into(c, "#setup-dni", "45678901").await?;
    dni.send_keys(&Key::Enter.to_string()).await?;
    wait_for(c, "[data-screen='attentions']").await;
    Ok(())
}

/// Brings `css` to the middle of the window once displayed: WebKitWebDriver neither clicks
/// nor types into an element below the fold of a long form (the diagnostic form) by itself.
pub async fn into_view(c: &Client, css: &str) -> Result<(), CmdError> {
    wait_for(c, css).await;
    c.execute(
        "document.querySelector(arguments[0]).scrollIntoView({block: 'center'});",
        vec![serde_json::Value::String(css.to_string())],
    )
    .await?;
    Ok(())
}

/// Clicks `css` after bringing it into view.
pub async fn click_in_view(c: &Client, css: &str) -> Result<(), CmdError> {
    into_view(c, css).await?;
    wait_for(c, css).await.click().await
}

/// Types `text` into `css` (cleared first) after bringing it into view.
pub async fn fill_in_view(c: &Client, css: &str, text: &str) -> Result<(), CmdError> {
    into_view(c, css).await?;
    type_into(c, css, text).await.map(|_| ())
}

/// Selects the option `label` of `css` after bringing it into view.
pub async fn choose_in_view(c: &Client, css: &str, label: &str) -> Result<(), CmdError> {
    into_view(c, css).await?;
    select_label(c, css, label).await
}

/// Draws a zig-zag "signature" on a pad with press, moves and release.
pub async fn draw_signature(c: &Client, canvas_css: &str, seed: f64) -> Result<(), CmdError> {
    wait_for(c, canvas_css).await;
    // The pointer can only press inside the viewport: bring the pad into view first.
    c.execute(
        "document.querySelector(arguments[0]).scrollIntoView({block: 'center'});",
        vec![serde_json::Value::String(canvas_css.to_string())],
    )
    .await?;
    let canvas = wait_for(c, canvas_css).await;
    let mut mouse = MouseActions::new(format!("firma-{seed}")).then(PointerAction::MoveToElement {
        element: canvas,
        duration: Some(Duration::from_millis(10)),
        x: -150.0,
        y: 10.0,
    });
    mouse = mouse.then(PointerAction::Down {
        button: MOUSE_BUTTON_LEFT,
    });
    for i in 0..12 {
        let dy = if i % 2 == 0 {
            -25.0 - seed
        } else {
            25.0 + seed
        };
        mouse = mouse.then(PointerAction::MoveBy {
            duration: Some(Duration::from_millis(20)),
            x: 22.0,
            y: dy,
        });
    }
    mouse = mouse.then(PointerAction::Up {
        button: MOUSE_BUTTON_LEFT,
    });
    c.perform_actions(mouse).await?;
    c.release_actions().await
}
