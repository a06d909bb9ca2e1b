//! Demo data: a deterministic, realistic synthetic data set so that a newcomer sees a living
//! app — a few thousand attentions over the last year, Peruvian names, the unit's offices,
//! plausible problems and solutions in Spanish, every status, escalations, reopenings and
//! conformities.
//!
//! Everything goes through the same write functions as the UI (validation, status machine,
//! numbering, outbox), in one transaction. The same seed gives the same people, texts and
//! dates (ids and the wall-clock stamps of the changes differ, as they must). The names and
//! DNIs are invented; any match with a real person is a coincidence.
//!
//! Over 600 lines because it is mostly data: the invented names, offices, problems and
//! solutions the synthetic unit is made of.

use chaski_core::ErrorCode;
use chaski_core::attention::AttentionInput;
use chaski_core::catalog::{AttentionKind, Channel};
use chaski_core::ids::{PersonId, TechnicianId};
use chaski_core::person::NewPerson;
use chaski_core::status::{ConformityInput, Transition};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::attentions::{
    conformity_attention, create_attention, escalate_attention, transition_attention,
};
use crate::codec::ts;
use crate::error::{Result, StoreError};
use crate::persons::{create_person, office_for};
use crate::write::{Entity, Writer};
use crate::{Store, fields};

/// What the demo loader added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DemoSummary {
    pub persons: u32,
    pub technicians: u32,
    pub attentions: u32,
}

/// SplitMix64: small, fast, deterministic; good enough for synthetic data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const LAST_NAMES: &[&str] = &[
    "Quispe",
    "Mamani",
    "Huamán",
    "Flores",
    "Condori",
    "Rojas",
    "García",
    "Sánchez",
    "Torres",
    "Ramírez",
    "Chávez",
    "Vargas",
    "Mendoza",
    "Gutiérrez",
    "Castillo",
    "Espinoza",
    "Díaz",
    "Ccahua",
    "Yupanqui",
    "Ttito",
    "Apaza",
    "Choque",
    "Cusi",
    "Pari",
    "Ñahui",
    "Núñez",
    "Peña",
    "Huillca",
    "Cárdenas",
    "Salazar",
    "Paucar",
    "Villanueva",
    "Ccori",
    "Limachi",
    "Tupa",
    "Zúñiga",
    "Alarcón",
    "Benites",
    "Ortiz",
    "Palomino",
    "Carrasco",
    "Huarcaya",
    "Soto",
    "Loayza",
    "Pumacahua",
    "Ayma",
    "Laura",
    "Coaquira",
    "Álvarez",
    "Meléndez",
];

const FIRST_NAMES: &[&str] = &[
    "Rosa",
    "María Elena",
    "Juan Carlos",
    "Luis Alberto",
    "Edith",
    "Yesenia",
    "Wilber",
    "Percy",
    "Nélida",
    "Flor de María",
    "José Antonio",
    "Ruth",
    "Marco Antonio",
    "Karina",
    "Jhon",
    "Lizbeth",
    "Efraín",
    "Gladys",
    "Raúl",
    "Sonia",
    "Milagros",
    "Hugo",
    "Vilma",
    "César",
    "Yolanda",
    "Fredy",
    "Maribel",
    "Elvis",
    "Roxana",
    "Teófilo",
    "Zenaida",
    "Óscar",
    "Inés",
    "Américo",
    "Delia",
    "Jesús",
    "Anabel",
    "Walter",
    "Sabina",
    "Rubén",
];

const OFFICES: &[&str] = &[
    "Jefatura de la Unidad Territorial",
    "Unidad de Administración",
    "Área de Logística",
    "Área de Recursos Humanos",
    "Tesorería",
    "Contabilidad",
    "Asesoría Jurídica",
    "Planeamiento y Presupuesto",
    "Supervisión y Monitoreo",
    "Gestión de Prestaciones",
    "Mesa de Partes",
    "Almacén",
    "Comunicaciones e Imagen",
];

/// (service, kind, priority, problem, solution) — `{o}` is replaced by the office.
const CASES: &[(&str, AttentionKind, u8, &str, &str)] = &[
    (
        "averia_hardware.impresoras",
        AttentionKind::Incidencia,
        3,
        "La impresora multifuncional de {o} no imprime y muestra atasco de papel.",
        "Se retiró el papel atascado del rodillo de arrastre, se limpió la bandeja y se imprimió página de prueba.",
    ),
    (
        "averia_hardware.impresoras",
        AttentionKind::Incidencia,
        3,
        "La impresora imprime hojas con manchas y líneas negras.",
        "Se cambió el tóner y se limpió el tambor de imagen; la impresión quedó nítida.",
    ),
    (
        "averia_hardware.impresoras",
        AttentionKind::Ocurrencia,
        3,
        "No aparece la impresora de red en la computadora del usuario.",
        "Se agregó la impresora por dirección IP y se instaló el controlador actualizado.",
    ),
    (
        "averia_hardware.computadoras",
        AttentionKind::Incidencia,
        3,
        "La computadora de {o} no enciende; solo parpadea la luz del botón.",
        "Se reemplazó la fuente de poder dañada por una operativa del almacén; el equipo enciende normalmente.",
    ),
    (
        "averia_hardware.computadoras",
        AttentionKind::Incidencia,
        2,
        "La laptop está muy lenta y se congela al abrir el navegador.",
        "Se liberó espacio en disco, se desinstalaron programas no autorizados y se amplió la memoria RAM a 8 GB.",
    ),
    (
        "averia_hardware.computadoras",
        AttentionKind::Incidencia,
        3,
        "Pantalla azul al iniciar Windows en la PC de {o}.",
        "Se reparó el arranque con la herramienta de recuperación y se actualizó el controlador de almacenamiento.",
    ),
    (
        "averia_hardware.red",
        AttentionKind::Incidencia,
        1,
        "Sin conexión a la red en toda el área de {o}.",
        "Se reinició el switch del gabinete y se reemplazó un patch cord dañado; se restableció la conexión.",
    ),
    (
        "averia_hardware.red",
        AttentionKind::Incidencia,
        1,
        "El usuario no tiene acceso a internet ni a las carpetas compartidas.",
        "El cable de red estaba desconectado del punto de red; se reconectó y se renovó la dirección IP.",
    ),
    (
        "averia_hardware.capturadores",
        AttentionKind::Incidencia,
        3,
        "El escáner no es reconocido por la computadora.",
        "Se reinstaló el controlador TWAIN del escáner y se cambió el cable USB.",
    ),
    (
        "averia_hardware.criptografico",
        AttentionKind::Requerimiento,
        2,
        "El token de firma digital no es reconocido al firmar documentos en el SGD.",
        "Se instaló el middleware del token y se registró el certificado en el almacén del usuario.",
    ),
    (
        "averia_hardware.biometrico",
        AttentionKind::Incidencia,
        3,
        "El reloj biométrico de asistencia no registra las huellas.",
        "Se limpió el lector, se sincronizó la hora y se volvió a cargar la base de huellas.",
    ),
    (
        "acceso.correo",
        AttentionKind::Requerimiento,
        3,
        "Creación de cuenta de correo institucional para personal nuevo de {o}.",
        "Se creó la cuenta de correo y se entregaron las credenciales temporales al usuario.",
    ),
    (
        "acceso.sgd",
        AttentionKind::Requerimiento,
        2,
        "Solicita acceso al Sistema de Gestión Documental para el nuevo asistente.",
        "Se creó el usuario en el SGD con el perfil de {o} y se comunicó la contraseña temporal.",
    ),
    (
        "acceso.siga",
        AttentionKind::Requerimiento,
        3,
        "Solicita baja de usuario del SIGA por término de contrato.",
        "Se dio de baja al usuario en el SIGA y se archivó el proveído.",
    ),
    (
        "acceso.siaf",
        AttentionKind::Incidencia,
        1,
        "El usuario no puede ingresar al SIAF: indica contraseña incorrecta.",
        "Se restableció la contraseña del SIAF y se verificó el acceso con el usuario.",
    ),
    (
        "acceso.sigo",
        AttentionKind::Requerimiento,
        3,
        "Solicita acceso al SIGO para registrar la supervisión de entregas.",
        "Se habilitó el usuario del SIGO con el rol de supervisor.",
    ),
    (
        "acceso.internet",
        AttentionKind::Requerimiento,
        4,
        "Solicita permiso de acceso a una página web bloqueada por el filtro.",
        "Se evaluó la solicitud y se agregó el dominio a la lista de acceso permitido.",
    ),
    (
        "acceso.red",
        AttentionKind::Consulta,
        4,
        "Consulta cómo conectarse a la red wifi institucional desde la laptop.",
        "Se configuró el perfil de la red inalámbrica y se explicó el procedimiento al usuario.",
    ),
    (
        "correo_electronico.office365",
        AttentionKind::Incidencia,
        2,
        "Outlook no sincroniza los correos desde ayer.",
        "Se reparó el perfil de Outlook y se reconstruyó el archivo de datos; los correos se sincronizaron.",
    ),
    (
        "correo_electronico.office365",
        AttentionKind::Requerimiento,
        3,
        "Solicita copia de los correos de un trabajador que dejó la entidad.",
        "Se exportó el buzón a un archivo PST y se entregó al jefe inmediato con cargo.",
    ),
    (
        "correo_electronico.zimbra",
        AttentionKind::Incidencia,
        2,
        "El buzón de correo está lleno y no recibe mensajes.",
        "Se archivaron los correos antiguos y se amplió la cuota del buzón.",
    ),
    (
        "internet_dedicado.enlace_datos",
        AttentionKind::Incidencia,
        1,
        "Caída del enlace de internet en la sede de la unidad territorial.",
        "Se reportó al proveedor, que reemplazó el equipo terminal; el servicio se restableció.",
    ),
    (
        "internet_dedicado.enlace_datos",
        AttentionKind::Incidencia,
        2,
        "La conexión a internet está muy lenta en horas de la mañana.",
        "Se identificó una descarga masiva en un equipo y se aplicó control de ancho de banda.",
    ),
    (
        "mantenimiento_hardware.computadoras",
        AttentionKind::Requerimiento,
        4,
        "Mantenimiento preventivo programado de las computadoras de {o}.",
        "Se realizó limpieza interna, cambio de pasta térmica y actualización del sistema operativo.",
    ),
    (
        "mantenimiento_hardware.impresoras",
        AttentionKind::Requerimiento,
        4,
        "Mantenimiento preventivo de las impresoras de la sede.",
        "Se limpiaron los rodillos y se revisaron los contadores; se coordinó con el proveedor el cambio de kit.",
    ),
    (
        "mantenimiento_hardware.seguridad",
        AttentionKind::Requerimiento,
        3,
        "Revisión de las reglas del firewall por actualización del sistema.",
        "Se actualizaron las reglas y se verificó el acceso a los sistemas institucionales.",
    ),
    (
        "soporte_aplicaciones.siaf_melissa_siga",
        AttentionKind::Requerimiento,
        2,
        "Instalar la nueva versión del SIAF en la computadora de {o}.",
        "Se instaló la versión vigente del SIAF y se verificó la conexión con el servidor.",
    ),
    (
        "soporte_aplicaciones.sgd",
        AttentionKind::Incidencia,
        2,
        "El Tramitedoc muestra error al adjuntar archivos PDF.",
        "Se reinstaló el cliente de Tramitedoc y se configuró el tamaño máximo de adjuntos.",
    ),
    (
        "soporte_aplicaciones.antivirus",
        AttentionKind::Incidencia,
        2,
        "El antivirus detectó una amenaza en una memoria USB.",
        "Se desinfectó la memoria USB, se ejecutó un análisis completo y se actualizó la firma del antivirus.",
    ),
    (
        "soporte_aplicaciones.spij",
        AttentionKind::Requerimiento,
        4,
        "Instalación del SPIJ para consulta de normas.",
        "Se instaló el SPIJ y se registró el acceso del usuario.",
    ),
    (
        "soporte_aplicaciones.sarh",
        AttentionKind::Incidencia,
        3,
        "No puede cambiar la contraseña del SARH.",
        "Se restableció la contraseña del SARH y se verificó el ingreso.",
    ),
    (
        "soporte_aplicaciones.onpe",
        AttentionKind::Requerimiento,
        4,
        "Instalar el aplicativo de la ONPE para el proceso de elecciones internas.",
        "Se instaló y configuró el aplicativo de la ONPE.",
    ),
    (
        "interconexion.vpn",
        AttentionKind::Requerimiento,
        2,
        "Configurar la VPN para trabajo remoto del especialista de {o}.",
        "Se instaló el cliente VPN, se configuró el perfil y se probó el acceso a las carpetas compartidas.",
    ),
    (
        "apoyo_asistencia.reuniones",
        AttentionKind::Requerimiento,
        4,
        "Habilitar la sala de videoconferencia para reunión con la Sede Central.",
        "Se habilitó la sala, se probó audio y video y se envió el enlace a los participantes.",
    ),
    (
        "apoyo_asistencia.consultas_tecnicas",
        AttentionKind::Consulta,
        4,
        "Consulta sobre cómo guardar documentos en la carpeta compartida del área.",
        "Se explicó la ruta de la carpeta compartida y se creó un acceso directo en el escritorio.",
    ),
    (
        "apoyo_asistencia.consultas_tecnicas",
        AttentionKind::Consulta,
        3,
        "Solicita diagnóstico técnico de un monitor que parpadea.",
        "Se diagnosticó falla en la retroiluminación; se emitió informe técnico para su reemplazo.",
    ),
];

const CHANNELS: &[Channel] = &[
    Channel::Telefono,
    Channel::Telefono,
    Channel::Correo,
    Channel::Correo,
    Channel::Presencial,
    Channel::Remoto,
    Channel::Oficio,
    Channel::Mensajeria,
];

fn strip_accents(s: &str) -> String {
    chaski_core::text::fold(s).replace(' ', "")
}

fn demo_person(rng: &mut Rng, dnis: &mut std::collections::HashSet<String>) -> NewPerson {
    let last = format!("{} {}", rng.pick(LAST_NAMES), rng.pick(LAST_NAMES));
    let first = rng.pick(FIRST_NAMES).to_string();
    let dni = if rng.chance(90) {
        loop {
            let d = format!("{:08}", 10_000_000 + rng.below(70_000_000));
            if dnis.insert(d.clone()) {
                break Some(d);
            }
        }
    } else {
        None
    };
    let first_word = first.split(' ').next().unwrap_or("usuario");
    let last_word = last.split(' ').next().unwrap_or("qw");
    let email = rng.chance(85).then(|| {
        format!(
            "{}.{}{}@qw.gob.pe",
            strip_accents(first_word),
            strip_accents(last_word),
            rng.below(90) + 10
        )
    });
    let mut phones = vec![format!("9{:08}", rng.below(100_000_000))];
    if rng.chance(30) {
        phones.push(format!(
            "084 2{:05} anexo {}",
            rng.below(100_000),
            100 + rng.below(400)
        ));
    }
    NewPerson {
        last_names: last,
        first_names: first,
        dni,
        phones,
        email,
        office: Some(rng.pick(OFFICES).to_string()),
    }
}

fn load(w: &mut Writer<'_>, seed: u64, attentions: u32) -> Result<DemoSummary> {
    let mut rng = Rng(seed ^ 0x0C4A_5C1D_E3F0);
    let now = w.now();
    for office in OFFICES {
        office_for(w, office)?;
    }
    // Two more specialists of the unit, so lists and filters by technician mean something.
    let mut techs: Vec<TechnicianId> = vec![w.technician_id()];
    for (last, first, dni) in [
        ("Ccorimanya Huillca", "Edwin", "41236587"),
        ("Salas Pinto", "Katherine", "45879632"),
    ] {
        let exists: Option<String> = rusqlite::OptionalExtension::optional(w.conn().query_row(
            "SELECT id FROM technician WHERE dni = ?1",
            [dni],
            |r| r.get(0),
        ))?;
        let id = match exists {
            Some(id) => crate::codec::parse_id(&id)?,
            None => {
                let id = TechnicianId::new();
                let unit = w.unit_code().to_string();
                w.insert(
                    Entity::Technician,
                    id.uuid(),
                    fields! {
                        "unit_code" => unit, "last_names" => last, "first_names" => first,
                        "dni" => dni, "active" => true, "created_at" => ts(now), "updated_at" => ts(now),
                    },
                )?;
                id
            }
        };
        techs.push(id);
    }
    let mut dnis = std::collections::HashSet::new();
    let person_count = (attentions / 8).clamp(20, 600);
    let mut people: Vec<PersonId> = Vec::with_capacity(person_count as usize);
    for _ in 0..person_count {
        let p = demo_person(&mut rng, &mut dnis);
        match create_person(w, &p) {
            Ok(id) => people.push(id),
            Err(StoreError::Domain(e)) if e.code == ErrorCode::DniDuplicado => {
                if let Some(existing) = e.existing_person {
                    people.push(existing.id);
                }
            }
            Err(e) => return Err(e),
        }
    }
    let year_ms: u64 = 365 * 24 * 3600 * 1000;
    let mut times: Vec<DateTime<Utc>> = (0..attentions)
        .map(|_| {
            // Office hours in Lima (13:00–23:00 UTC), weekdays mostly.
            let back = Duration::milliseconds(i64::try_from(rng.below(year_ms)).unwrap_or(0));
            let t = now - back;
            let day = t.date_naive();
            let minute = 13 * 60 + 30 + i64::try_from(rng.below(9 * 60)).unwrap_or(0);
            let t = day.and_hms_opt(0, 0, 0).map(|d| d.and_utc()).unwrap_or(t)
                + Duration::minutes(minute);
            t.min(now - Duration::minutes(1))
        })
        .collect();
    times.sort();
    for (i, received) in times.iter().copied().enumerate() {
        let (service, kind, priority, problem, solution) = *rng.pick(CASES);
        let office = *rng.pick(OFFICES);
        let requester = *rng.pick(&people);
        let tech = *rng.pick(&techs);
        let input = AttentionInput {
            received_at: Some(received),
            requester_id: requester,
            office: rng.chance(15).then(|| office.to_string()),
            channel: *rng.pick(CHANNELS),
            kind,
            service_code: service.to_string(),
            priority,
            problem: problem.replace("{o}", office),
            solution: None,
            asset_code: rng
                .chance(40)
                .then(|| format!("74089950{:04}", rng.below(10_000))),
            technician_id: Some(tech),
        };
        let id = create_attention(w, &input)?;
        let age_days = (now - received).num_days();
        let recent = i + 40 >= times.len();
        // Older attentions are almost all attended; the newest ones are still open.
        let target = if recent {
            rng.below(3)
        } else if age_days < 7 {
            if rng.chance(50) { 2 } else { rng.below(2) }
        } else if rng.chance(97) {
            2
        } else {
            1
        };
        let minutes =
            |r: &mut Rng, max: u64| Duration::minutes(i64::try_from(5 + r.below(max)).unwrap_or(5));
        let started = received + minutes(&mut rng, 90);
        let cap = |t: DateTime<Utc>| t.min(now);
        if target >= 1 {
            transition_attention(w, id, &Transition::Start, cap(started))?;
            if rng.chance(12) {
                let to = 2 + u8::try_from(rng.below(4)).unwrap_or(0);
                let reason = match to {
                    2 => "Requiere revisión del especialista en sitio.",
                    3 => {
                        "El problema es de la base de datos del sistema; se deriva al equipo de aplicaciones."
                    }
                    4 => "Falla de conectividad; se deriva a infraestructura.",
                    _ => "Requiere intervención del proveedor por garantía.",
                };
                escalate_attention(w, id, to, reason, cap(started + minutes(&mut rng, 60)))?;
            }
        }
        if target >= 2 {
            let mut resolved = cap(started
                + minutes(
                    &mut rng,
                    if kind == AttentionKind::Incidencia {
                        600
                    } else {
                        240
                    },
                ));
            transition_attention(
                w,
                id,
                &Transition::Resolve {
                    solution: Some(solution.replace("{o}", office)),
                },
                resolved,
            )?;
            if !recent && rng.chance(4) {
                transition_attention(
                    w,
                    id,
                    &Transition::Reopen {
                        reason: "El usuario informa que el problema volvió a presentarse.".into(),
                    },
                    cap(resolved + minutes(&mut rng, 600)),
                )?;
                let again = cap(resolved + minutes(&mut rng, 1200) + Duration::hours(12));
                transition_attention(w, id, &Transition::Resolve { solution: None }, again)?;
                resolved = again;
            }
            if rng.chance(70) {
                let accepted = rng.chance(93);
                let at = cap(
                    resolved + Duration::hours(i64::try_from(12 + rng.below(36)).unwrap_or(12))
                );
                conformity_attention(
                    w,
                    id,
                    &ConformityInput {
                        accepted,
                        at: Some(at),
                        remark: (!accepted).then(|| {
                            "El equipo sigue presentando fallas intermitentes.".to_string()
                        }),
                    },
                    now,
                )?;
            }
        }
    }
    Ok(DemoSummary {
        persons: person_count,
        technicians: u32::try_from(techs.len()).unwrap_or(0),
        attentions,
    })
}

impl Store {
    /// Loads the demo data set (about 3,000 attentions over the last year) for `seed`.
    /// Through the normal write paths, outbox included; all in one transaction.
    pub fn load_demo_data(&self, seed: u64) -> Result<DemoSummary> {
        self.load_demo_data_sized(seed, 3_000)
    }

    /// Same as [`Store::load_demo_data`] with a chosen number of attentions (tests use fewer).
    pub fn load_demo_data_sized(&self, seed: u64, attentions: u32) -> Result<DemoSummary> {
        self.write(|w| load(w, seed, attentions))
    }
}
