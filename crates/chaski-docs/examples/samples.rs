//! Writes every template with sample data into a directory, unsigned and (given a PFX)
//! signed. Stable interface, used by whoever checks the forms with their own validators:
//!
//! `cargo run -p chaski-docs --example samples -- --out DIR [--pfx FILE]`
//!
//! The PFX password is read from the environment variable `CHASKI_PFX_PASSWORD`.
#![allow(clippy::print_stdout)]

use std::path::PathBuf;

use anyhow::{Context, bail};
use chaski_docs::{SignOptions, SignatureReason, SigningCredential, render, samples, sign_pdf};

fn main() -> anyhow::Result<()> {
    let mut out: Option<PathBuf> = None;
    let mut pfx: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--out" => out = args.next().map(PathBuf::from),
            "--pfx" => pfx = args.next().map(PathBuf::from),
            other => bail!("argumento desconocido: {other}. Uso: samples --out DIR [--pfx FILE]"),
        }
    }
    let Some(out) = out else {
        bail!("falta --out DIR. Uso: samples --out DIR [--pfx FILE]")
    };
    std::fs::create_dir_all(&out).with_context(|| format!("no se pudo crear {}", out.display()))?;
    let credential = match &pfx {
        Some(path) => {
            let bytes = std::fs::read(path)
                .with_context(|| format!("no se pudo leer {}", path.display()))?;
            let password = std::env::var("CHASKI_PFX_PASSWORD").unwrap_or_default();
            Some(SigningCredential::from_pkcs12(&bytes, &password)?)
        }
        None => None,
    };
    for doc in samples::all() {
        let name = doc.template_name();
        let rendered = render(&doc, &samples::hand_signatures(&doc))?;
        let path = out.join(format!("{name}.pdf"));
        std::fs::write(&path, &rendered.pdf)?;
        println!(
            "{}  ({} páginas, {} bytes, sha256 {})",
            path.display(),
            rendered.page_count,
            rendered.pdf.len(),
            rendered.content_sha256
        );
        if let Some(cred) = &credential {
            let signed = sign_pdf(
                &rendered.pdf,
                cred,
                &SignOptions::now(SignatureReason::Author),
            )?;
            let path = out.join(format!("{name}-firmado.pdf"));
            std::fs::write(&path, &signed)?;
            println!("{}  ({} bytes)", path.display(), signed.len());
            if matches!(doc, chaski_docs::Document::Assignment(_)) {
                let twice = sign_pdf(&signed, cred, &SignOptions::now(SignatureReason::Approval))?;
                let path = out.join(format!("{name}-dos-firmas.pdf"));
                std::fs::write(&path, &twice)?;
                println!("{}  ({} bytes)", path.display(), twice.len());
            }
        }
    }
    Ok(())
}
