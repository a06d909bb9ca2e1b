//! `chaski-server`: the command line of the central server. These subcommands are how an
//! administrator (and any third-party tooling) works with the server: keep them stable.
#![forbid(unsafe_code)]
#![allow(clippy::print_stdout)]

use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};
use uuid::Uuid;

#[derive(Parser)]
#[command(name = "chaski-server", version, about = "Servidor central de Chaski")]
struct Cli {
    /// Carpeta de datos para SQLite (por defecto ./chaski-server-data).
    #[arg(long, global = true, default_value = "chaski-server-data")]
    data_dir: PathBuf,
    /// Base PostgreSQL (postgres://usuario@host:puerto/base). Sin ella se usa SQLite.
    #[arg(long, global = true, env = "CHASKI_DATABASE_URL")]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Atiende la API de sincronización.
    Serve {
        /// Dirección de escucha.
        #[arg(long, default_value = "127.0.0.1:8787")]
        listen: String,
        /// Certificado PEM del servidor (con sus intermedios): atiende HTTPS. Requiere --tls-key.
        #[arg(long, requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// Clave privada PEM del certificado (sin contraseña). Requiere --tls-cert.
        #[arg(long, requires = "tls_cert")]
        tls_key: Option<PathBuf>,
    },
    /// Aplica las migraciones pendientes de la base.
    Migrate,
    /// Unidades.
    Unit {
        #[command(subcommand)]
        command: UnitCommand,
    },
    /// Equipos.
    Device {
        #[command(subcommand)]
        command: DeviceCommand,
    },
}

#[derive(Subcommand)]
enum UnitCommand {
    /// Crea una unidad.
    Add {
        /// Código (p. ej. UT-CUSCO).
        code: String,
        /// Nombre.
        #[arg(long)]
        name: String,
        /// Es la oficina central (lee todas las unidades).
        #[arg(long)]
        central: bool,
    },
}

#[derive(Subcommand)]
enum DeviceCommand {
    /// Imprime un código de inscripción de un solo uso para un equipo de la unidad.
    Enroll {
        /// Unidad del equipo.
        #[arg(long)]
        unit: String,
        /// Días de validez del código.
        #[arg(long, default_value_t = 7)]
        valid_days: u32,
    },
    /// Da de baja un equipo: su token deja de valer de inmediato.
    Revoke {
        /// Id del equipo.
        device_id: Uuid,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let storage = chaski_server::open_storage(&cli.data_dir, cli.database_url.as_deref())
        .context("no se pudo abrir la base de datos")?;
    let applied = storage.migrate().await.context("migraciones")?;
    match cli.command {
        Command::Migrate => {
            if applied.is_empty() {
                println!("La base ya estaba al día.");
            } else {
                println!("Migraciones aplicadas: {}", applied.join(", "));
            }
        }
        Command::Serve {
            listen,
            tls_cert,
            tls_key,
        } => {
            // Read the certificate before binding: a bad file fails at once, clearly.
            let tls = match (tls_cert, tls_key) {
                (Some(cert), Some(key)) => {
                    Some(chaski_server::tls::load_server_config(&cert, &key)?)
                }
                _ => None,
            };
            let listener = tokio::net::TcpListener::bind(&listen)
                .await
                .with_context(|| format!("no se pudo escuchar en {listen}"))?;
            let addr = listener.local_addr()?;
            let shutdown = async {
                let _ = tokio::signal::ctrl_c().await;
            };
            match tls {
                Some(tls) => {
                    println!("chaski-server escuchando en https://{addr}");
                    chaski_server::serve_tls(listener, tls, storage, shutdown).await?;
                }
                None => {
                    println!("chaski-server escuchando en http://{addr}");
                    chaski_server::serve(listener, storage, shutdown).await?;
                }
            }
        }
        Command::Unit {
            command:
                UnitCommand::Add {
                    code,
                    name,
                    central,
                },
        } => {
            let c = code.clone();
            storage
                .run(move |tx| chaski_server::units::add_unit(tx, &c, &name, central))
                .await?;
            println!("Unidad {code} creada.");
        }
        Command::Device {
            command: DeviceCommand::Enroll { unit, valid_days },
        } => {
            let code = chaski_server::secrets::new_enrolment_code();
            let c = code.clone();
            let ms = i64::from(valid_days) * 86_400_000;
            storage
                .run(move |tx| chaski_server::devices::add_enrolment(tx, &unit, &c, ms))
                .await?;
            println!("{code}");
        }
        Command::Device {
            command: DeviceCommand::Revoke { device_id },
        } => {
            storage
                .run(move |tx| chaski_server::devices::revoke(tx, device_id))
                .await?;
            println!("Equipo {device_id} dado de baja.");
        }
    }
    Ok(())
}
