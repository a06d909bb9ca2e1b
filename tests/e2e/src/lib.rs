//! End-to-end tests of the real Chaski app, driven through its webview the way a person clicks
//! through it: tauri-driver starts the app binary and hands WebDriver commands to
//! WebKitWebDriver. `scripts/e2e.sh` builds the app, provides a virtual display and a fresh data
//! directory, and sets the environment the test reads; a plain `cargo test` does not run it.
//!
//! The library holds only the harness (environment, session, waiting, screenshots); the
//! scenario is in `tests/webview.rs`.
#![forbid(unsafe_code)]
