//! Running the external PDF tools (poppler, qpdf). A missing tool fails the test with a
//! message saying which package to install; it never silently passes.

use std::path::Path;
use std::process::Command;

/// Panics with an install hint when `tool` is not on PATH.
pub fn require(tool: &str) {
    let found = std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).any(|p| p.join(tool).is_file()))
        .unwrap_or(false);
    let package = match tool {
        "qpdf" => "qpdf",
        "certutil" => "libnss3-tools",
        "openssl" => "openssl",
        _ => "poppler-utils",
    };
    assert!(
        found,
        "falta la herramienta `{tool}`: instale el paquete Debian `{package}` (apt-get install {package})"
    );
}

/// Runs a tool and returns (success, stdout + stderr).
pub fn run(tool: &str, args: &[&str], file: &Path) -> (bool, String) {
    require(tool);
    let out = Command::new(tool)
        .args(args)
        .arg(file)
        .output()
        .unwrap_or_else(|e| panic!("{tool}: {e}"));
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

/// `qpdf --check` must succeed without warnings.
pub fn qpdf_check(file: &Path) {
    let (ok, out) = run("qpdf", &["--check"], file);
    assert!(ok, "qpdf --check falló para {}:\n{out}", file.display());
    assert!(
        out.contains("No syntax or stream encoding errors"),
        "qpdf --check: {out}"
    );
    assert!(
        !out.to_lowercase().contains("warning"),
        "qpdf --check con advertencias: {out}"
    );
}

/// Text of the PDF as pdftotext sees it.
pub fn pdftotext(file: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(file)
        .arg("-")
        .output();
    require("pdftotext");
    let out = out.expect("pdftotext");
    assert!(
        out.status.success(),
        "pdftotext falló: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// pdffonts: every font embedded and subset (name prefix `ABCDEF+`).
pub fn assert_fonts_embedded_subset(file: &Path) {
    let (ok, out) = run("pdffonts", &[], file);
    assert!(ok, "pdffonts falló: {out}");
    let rows: Vec<&str> = out
        .lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert!(!rows.is_empty(), "pdffonts no lista fuentes: {out}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let name = cols.first().copied().unwrap_or("");
        assert!(
            name.len() > 7 && name.as_bytes()[6] == b'+',
            "fuente no subconjunto: {row}"
        );
        // emb sub uni are the three yes/no columns before the object id.
        let flags: Vec<&str> = cols.iter().rev().skip(2).take(3).copied().collect();
        assert_eq!(
            flags,
            vec!["yes", "yes", "yes"],
            "fuente no incrustada/subconjunto/unicode: {row}"
        );
    }
}

/// pdfsig output with the given NSS database.
///
/// Calls are serialized: concurrent pdfsig processes on one NSS database made NSS report
/// "Unknown issue with Certificate or corrupted data" now and then.
pub fn pdfsig(file: &Path, nss: &Path) -> String {
    static NSS_LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _guard = NSS_LOCK
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let db = format!("sql:{}", nss.display());
    let (_, out) = run("pdfsig", &["-nssdir", &db], file);
    out
}
