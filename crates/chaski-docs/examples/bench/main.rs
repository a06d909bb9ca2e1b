//! Benchmark (not a test): `cargo run --release -p chaski-docs --example bench [-- --pfx FILE]`
//! (password in `CHASKI_PFX_PASSWORD`; without `--pfx` a throw-away RSA-2048 certificate is
//! made with the `openssl` CLI).
//!
//! Measures, warm: render + sign one cargo de asignación (median over 200 runs), render
//! alone, sign alone, a batch of 100 different documents, the size of a signed one-page
//! cargo; and, in the same run, LibreOffice headless converting an equivalent one-page
//! DOCX to PDF (what offices do today), reporting the ratio.
#![allow(clippy::print_stdout)]

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use chaski_docs::{
    Document, SignOptions, SignatureReason, SigningCredential, render, samples, sign_pdf,
};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn pct(mut v: Vec<Duration>, p: f64) -> Duration {
    v.sort();
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// CPU time (user + system) of this process, from /proc/self/stat (Linux; 10 ms ticks).
/// Reported next to wall time because a loaded machine inflates wall time, not CPU time.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

fn credential(dir: &std::path::Path, pfx: Option<PathBuf>) -> anyhow::Result<SigningCredential> {
    if let Some(p) = pfx {
        let password = std::env::var("CHASKI_PFX_PASSWORD").unwrap_or_default();
        return Ok(SigningCredential::from_pkcs12(
            &std::fs::read(p)?,
            &password,
        )?);
    }
    let run = |args: &[&str]| -> anyhow::Result<()> {
        let ok = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .context("openssl")?;
        if !ok.status.success() {
            bail!("openssl {args:?}: {}", String::from_utf8_lossy(&ok.stderr));
        }
        Ok(())
    };
    run(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "k.pem",
        "-out",
        "c.pem",
        "-days",
        "30",
        "-subj",
        "/CN=QUISPE HUAMAN Edwin FAU 20123456789 soft/C=PE",
    ])?;
    run(&[
        "pkcs12",
        "-export",
        "-inkey",
        "k.pem",
        "-in",
        "c.pem",
        "-out",
        "s.pfx",
        "-passout",
        "pass:bench",
    ])?;
    Ok(SigningCredential::from_pkcs12(
        &std::fs::read(dir.join("s.pfx"))?,
        "bench",
    )?)
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let mut pfx = None;
    while let Some(a) = args.next() {
        if a == "--pfx" {
            pfx = args.next().map(PathBuf::from);
        }
    }
    let tmp = tempfile::tempdir()?;
    let cred = credential(tmp.path(), pfx)?;
    let doc = Document::Assignment(samples::assignment());
    let hands = samples::hand_signatures(&doc);

    // Warm up: fonts parsed, caches filled.
    for _ in 0..10 {
        let r = render(&doc, &hands)?;
        sign_pdf(&r.pdf, &cred, &SignOptions::now(SignatureReason::Author))?;
    }
    let runs: u32 = 200;
    let (mut total, mut rend, mut sign) = (Vec::new(), Vec::new(), Vec::new());
    let mut signed_size = 0;
    let mut unsigned_size = 0;
    let cpu0 = cpu_time();
    for _ in 0..runs {
        let t0 = Instant::now();
        let r = render(&doc, &hands)?;
        let t1 = Instant::now();
        let s = sign_pdf(&r.pdf, &cred, &SignOptions::now(SignatureReason::Author))?;
        let t2 = Instant::now();
        rend.push(t1 - t0);
        sign.push(t2 - t1);
        total.push(t2 - t0);
        signed_size = s.len();
        unsigned_size = r.pdf.len();
    }
    let cpu = cpu0
        .zip(cpu_time())
        .map(|(a, b)| ms(b - a) / f64::from(runs));
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!("Carga del equipo al medir (/proc/loadavg): {}", load.trim());
    println!("Cargo de asignación, 1 página, RSA-2048, {runs} ejecuciones en caliente:");
    if let Some(cpu) = cpu {
        println!("  tiempo de CPU por documento (renderizar + firmar, promedio): {cpu:.2} ms");
    }
    println!(
        "  renderizar + firmar: mediana {:.2} ms, p90 {:.2} ms (meta ≤ 15 ms)",
        ms(median(total.clone())),
        ms(pct(total, 0.9))
    );
    println!("  solo renderizar:     mediana {:.2} ms", ms(median(rend)));
    println!("  solo firmar:         mediana {:.2} ms", ms(median(sign)));
    println!(
        "  tamaño: {:.1} KB sin firmar, {:.1} KB firmado (meta ≤ 80 KB)",
        unsigned_size as f64 / 1024.0,
        signed_size as f64 / 1024.0
    );

    let mut bare = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        render(&doc, &[])?;
        bare.push(t.elapsed());
    }
    println!(
        "  solo renderizar, sin firmas manuscritas: mediana {:.2} ms",
        ms(median(bare))
    );

    let batch: Vec<Document> = (0..100)
        .map(|i| {
            let mut a = samples::assignment();
            a.meta.number = format!("{:03}-2026", i + 1);
            a.meta.document_id = format!("01935c40-12aa-7f00-8b11-{:012x}", i);
            Document::Assignment(a)
        })
        .collect();
    let t = Instant::now();
    let mut bytes = 0;
    for d in &batch {
        let r = render(d, &samples::hand_signatures(d))?;
        bytes += sign_pdf(&r.pdf, &cred, &SignOptions::now(SignatureReason::Author))?.len();
    }
    let batch_time = t.elapsed();
    println!(
        "  lote de 100 documentos distintos renderizados y firmados: {:.0} ms en total ({:.2} ms/doc, {:.1} MB)",
        ms(batch_time),
        ms(batch_time) / 100.0,
        bytes as f64 / 1_048_576.0
    );

    // LibreOffice headless converting an equivalent one-page DOCX.
    let docx = tmp.path().join("cargo.docx");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/bench/make_docx.py");
    let made = Command::new("/usr/bin/python3")
        .arg(script)
        .arg(&docx)
        .output();
    match made {
        Ok(o) if o.status.success() => {}
        _ => {
            println!("LibreOffice: no medido (falta python3-docx: apt-get install python3-docx)");
            return Ok(());
        }
    }
    let profile = tmp.path().join("lo-profile");
    let mut lo = Vec::new();
    for i in 0..6 {
        let t = Instant::now();
        let out = Command::new("soffice")
            .arg(format!(
                "-env:UserInstallation=file://{}",
                profile.display()
            ))
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(tmp.path())
            .arg(&docx)
            .output();
        let elapsed = t.elapsed();
        match out {
            Ok(o) if o.status.success() && tmp.path().join("cargo.pdf").exists() => {
                // The first run creates the LibreOffice profile: not counted.
                if i > 0 {
                    lo.push(elapsed);
                }
            }
            _ => {
                println!("LibreOffice: no medido (instale libreoffice-writer-nogui)");
                return Ok(());
            }
        }
    }
    let lo_median = median(lo);
    let ours = ms(median(total_for_ratio(&doc, &hands, &cred)?));
    println!(
        "LibreOffice headless DOCX → PDF (1 página, perfil ya creado, mediana de 5): {:.0} ms",
        ms(lo_median)
    );
    println!(
        "  Chaski renderizar + firmar es {:.0} veces más rápido (sin firma digital en LibreOffice)",
        ms(lo_median) / ours
    );
    Ok(())
}

fn total_for_ratio(
    doc: &Document,
    hands: &[chaski_docs::HandSignature],
    cred: &SigningCredential,
) -> anyhow::Result<Vec<Duration>> {
    let mut v = Vec::new();
    for _ in 0..50 {
        let t = Instant::now();
        let r = render(doc, hands)?;
        sign_pdf(&r.pdf, cred, &SignOptions::now(SignatureReason::Author))?;
        v.push(t.elapsed());
    }
    Ok(v)
}
