//! Realistic sample documents (Peruvian public agency, Unidad Territorial Cusco) for the
//! samples program, the benchmark, the tests and the app's demo mode.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, TimeZone};

use crate::model::{
    AssetLine, Assignment, AttentionRegister, AttentionRow, AttentionStatus, ChecklistLine,
    DecommissionLine, DecommissionReport, DiagnosticSheet, Document, DocumentMeta, FormHeader,
    HandSignature, PersonRef, SignerRole, Transfer,
};

fn lima(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<FixedOffset> {
    // Constant, valid arguments: the fallbacks are never taken.
    let tz = FixedOffset::west_opt(5 * 3600)
        .unwrap_or(FixedOffset::east_opt(0).unwrap_or_else(|| unreachable!()));
    tz.with_ymd_and_hms(y, m, d, h, min, 0)
        .single()
        .unwrap_or_default()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn header(code: &str) -> FormHeader {
    FormHeader {
        entity_lines: vec![
            "Ministerio de Desarrollo e Inclusión Social".into(),
            "Viceministerio de Prestaciones Sociales".into(),
            "Programa Nacional de Alimentación Escolar Qali Warma".into(),
        ],
        form_code: code.into(),
        version: "01".into(),
    }
}

/// The Anexo 01 register of November 2026 with `rows` attentions (cycling through
/// realistic cases).
pub fn register(rows: usize) -> AttentionRegister {
    type Case<'a> = (
        &'a str,
        &'a str,
        &'a str,
        &'a str,
        &'a str,
        &'a str,
        AttentionStatus,
        &'a str,
    );
    let cases: [Case<'_>; 8] = [
        (
            "Sede UT Cusco",
            "María Quispe Huamán",
            "Unidad de Supervisión",
            "La impresora HP LaserJet M404 no imprime; muestra «atasco de papel» aunque no hay papel atascado.",
            "Se retiró un fragmento de etiqueta del rodillo de alimentación, se limpió y se imprimió página de prueba.",
            "Hardware",
            AttentionStatus::Attended,
            "Edwin Ccori Mamani",
        ),
        (
            "Sede UT Cusco",
            "José Ñahui Condori",
            "Área de Compras",
            "No puede ingresar al SIGA-MEF: «usuario bloqueado».",
            "Se coordinó con la OTI del MEF el desbloqueo y se verificó el acceso con el usuario.",
            "Sistemas/Aplicativos",
            AttentionStatus::Attended,
            "Edwin Ccori Mamani",
        ),
        (
            "Almacén Wanchaq",
            "Rocío Tupa Ayma",
            "Almacén",
            "Sin conexión a internet en la laptop asignada.",
            "Se reemplazó el cable de red del punto 12-B y se renovó la dirección IP.",
            "Redes y Comunicaciones",
            AttentionStatus::Attended,
            "Luz Marina Apaza Díaz",
        ),
        (
            "Sede UT Cusco",
            "Andrés Huillca Ccahuana",
            "Unidad Territorial – Jefatura",
            "Solicita instalación de certificado digital y configuración de firma en el SGD.",
            "Pendiente de recibir el token de la Jefatura.",
            "Requerimiento",
            AttentionStatus::Pending,
            "Luz Marina Apaza Díaz",
        ),
        (
            "Sede UT Cusco",
            "Carmen Rosa Villafuerte Paz",
            "Comité de Compra",
            "El monitor parpadea y se apaga después de unos minutos de uso.",
            "Se diagnosticó falla de la fuente del monitor; se solicitó cambio por garantía al proveedor.",
            "Hardware",
            AttentionStatus::InProgress,
            "Edwin Ccori Mamani",
        ),
        (
            "Oficina Quillabamba",
            "Teófilo Cárdenas Ñaupa",
            "Supervisión – Zona Selva",
            "Correo institucional no sincroniza en el celular.",
            "Se reconfiguró la cuenta con el perfil de Microsoft 365 y se verificó el envío y la recepción.",
            "Correo",
            AttentionStatus::Attended,
            "Luz Marina Apaza Díaz",
        ),
        (
            "Sede UT Cusco",
            "Milagros Chávez Ormeño",
            "Administración",
            "Requiere acceso a la carpeta compartida de Tesorería.",
            "Se otorgó permiso de lectura previa autorización del jefe de Administración.",
            "Active Directory (Accesos)",
            AttentionStatus::Attended,
            "Edwin Ccori Mamani",
        ),
        (
            "Almacén Wanchaq",
            "Ángel Mamani Yupanqui",
            "Almacén",
            "La lectora de código de barras no reconoce las etiquetas nuevas.",
            "Se actualizó el firmware y se configuró la simbología Code 128.",
            "Hardware",
            AttentionStatus::Attended,
            "Luz Marina Apaza Díaz",
        ),
    ];
    let rows = (0..rows)
        .map(|i| {
            let c = &cases[i % cases.len()];
            AttentionRow {
                number: (i + 1) as u32,
                date: date(2026, 11, 1) + Duration::days((i as i64 * 29) / rows.max(1) as i64),
                site: c.0.into(),
                requester: c.1.into(),
                office: c.2.into(),
                problem: c.3.into(),
                solution: c.4.into(),
                typology: c.5.into(),
                status: c.6,
                technician: c.7.into(),
            }
        })
        .collect();
    AttentionRegister {
        meta: DocumentMeta {
            document_id: "01935c3e-7a41-7c2b-9d4e-2f6a8b1c0d31".into(),
            number: "011-2026".into(),
            issued_at: lima(2026, 12, 1, 9, 30),
        },
        header: header("PRO-044-PNAEQW-UTI-FOR-0001"),
        entity_name: "Programa Nacional de Alimentación Escolar Qali Warma".into(),
        unit: "Unidad Territorial Cusco".into(),
        period_from: date(2026, 11, 1),
        period_to: date(2026, 11, 30),
        rows,
        specialist: Some(PersonRef {
            name: "Edwin Ccori Mamani".into(),
            dni: "41236587".into(),
        }),
        chief: Some(PersonRef {
            name: "Rosa Elvira Huamaní Quispe".into(),
            dni: "29874512".into(),
        }),
    }
}

/// A cargo de asignación: a CPU and monitor replaced by a laptop.
pub fn assignment() -> Assignment {
    Assignment {
        meta: DocumentMeta {
            document_id: "01935c40-12aa-7f00-8b11-6c3d2e9f4a57".into(),
            number: "007-2026".into(),
            issued_at: lima(2026, 11, 23, 10, 15),
        },
        header: header("PRO-044-PNAEQW-UTI-FOR-0003"),
        support_unit: "UTI".into(),
        date: date(2026, 11, 23),
        employee: PersonRef { name: "María Quispe Huamán".into(), dni: "45871236".into() },
        office: "Unidad Territorial Cusco – Área de Supervisión y Monitoreo".into(),
        retired: vec![
            AssetLine { equipment: "CPU HP ProDesk 400 G4".into(), brand: "HP".into(), sbn_code: "740899500123".into(), observations: "Serie MXL8123ABC. Disco con sectores dañados; pasa a diagnóstico.".into() },
            AssetLine { equipment: "Monitor LED 19.5\"".into(), brand: "LG".into(), sbn_code: "740880370456".into(), observations: "Operativo, con cable VGA.".into() },
        ],
        assigned: vec![
            AssetLine { equipment: "Laptop ThinkPad E14 Gen 5".into(), brand: "Lenovo".into(), sbn_code: "740899500789".into(), observations: "Serie PF4XK2LM. Con cargador, mochila y mouse inalámbrico. Equipo formateado con Windows 11 Pro y software base.".into() },
        ],
        technician: PersonRef { name: "Edwin Ccori Mamani".into(), dni: "41236587".into() },
        copy_note: None,
    }
}

/// A traslado from the Sede UT Cusco to the Quillabamba office.
pub fn transfer() -> Transfer {
    Transfer {
        meta: DocumentMeta {
            document_id: "01935c41-55b0-7e19-a2c4-0b9d7e3f6a12".into(),
            number: "003-2026".into(),
            issued_at: lima(2026, 11, 24, 8, 45),
        },
        header: header("PRO-044-PNAEQW-UTI-FOR-0004"),
        date: date(2026, 11, 24),
        origin_site: "Sede UT Cusco – Av. de la Cultura 1020, Wanchaq".into(),
        destination_site: "Oficina de enlace Quillabamba – Jr. Libertad 315, La Convención".into(),
        reason: "Reposición de equipos para el equipo de supervisión de la zona selva, por baja de dos CPU inoperativas (Informe N° 021-2026-UTI).".into(),
        assets: vec![
            AssetLine { equipment: "CPU Dell OptiPlex 7010".into(), brand: "Dell".into(), sbn_code: "740899500311".into(), observations: "Serie 8HX2K93. Operativa.".into() },
            AssetLine { equipment: "Monitor 21.5\" P2222H".into(), brand: "Dell".into(), sbn_code: "740880370512".into(), observations: "Operativo.".into() },
            AssetLine { equipment: "Impresora multifuncional L5290".into(), brand: "Epson".into(), sbn_code: "740841000077".into(), observations: "Con tintas de repuesto (4).".into() },
        ],
        delivered_by: PersonRef { name: "Luz Marina Apaza Díaz".into(), dni: "40125896".into() },
        delivered_by_office: "Soporte técnico – UTI".into(),
        received_by: PersonRef { name: "Teófilo Cárdenas Ñaupa".into(), dni: "23987451".into() },
        received_by_office: "Supervisión – Zona Selva".into(),
    }
}

/// An informe técnico de baja: two CPUs and a printer of the Cusco unit.
pub fn decommission_report() -> DecommissionReport {
    let line = |equipment: &str,
                brand: &str,
                serial: &str,
                code: &str,
                condition: &str,
                cause: &str,
                diagnosis: &str,
                observations: &str| DecommissionLine {
        equipment: equipment.into(),
        brand: brand.into(),
        serial: serial.into(),
        sbn_code: code.into(),
        condition: condition.into(),
        cause: cause.into(),
        diagnosis: diagnosis.into(),
        observations: observations.into(),
    };
    DecommissionReport {
        meta: DocumentMeta {
            document_id: "01935c42-0a1b-7c3d-9e4f-5a6b7c8d9e0f".into(),
            number: "004-2026".into(),
            issued_at: lima(2026, 11, 25, 11, 30),
        },
        header: header("PRO-044-PNAEQW-UTI-FOR-0005"),
        date: date(2026, 11, 25),
        unit: "Unidad Territorial Cusco".into(),
        corrects: None,
        justification: "Los bienes listados fueron diagnosticados por el área de soporte técnico. Las dos unidades centrales de proceso tienen más de diez años de uso, su placa madre o fuente presentan fallas cuya reparación supera el 50 % del valor de un equipo nuevo, y no admiten el sistema operativo ni el software base vigentes. La impresora tiene el fusor dañado y el fabricante ya no provee repuestos. Ninguno puede reasignarse; se mantienen en el almacén de la UTI hasta su disposición final.".into(),
        assets: vec![
            line("UNIDAD CENTRAL DE PROCESO - CPU OptiPlex 380", "Dell", "7XK2L41", "740899500123", "M – Malo", "M – Mantenimiento o reparación onerosa", "Inoperativo (20/11/2026): placa madre con condensadores inflados", ""),
            line("UNIDAD CENTRAL DE PROCESO - CPU Compaq 6000 Pro", "HP", "MXL0123XYZ", "740899500187", "X – Muy malo", "O – Obsolescencia técnica", "Operativo (21/11/2026): no admite Windows 11 ni el software base", "Disco retirado y custodiado por la UTI."),
            line("IMPRESORA LÁSER LaserJet P2035", "HP", "CNB9K12345", "740841000077", "M – Malo", "X – Residuos de aparatos eléctricos y electrónicos (RAEE)", "Inoperativo (22/11/2026): fusor dañado, sin repuestos", "Tóner agotado."),
        ],
        technician: PersonRef { name: "Edwin Ccori Mamani".into(), dni: "41236587".into() },
        technician_role: "Especialista informático".into(),
        chief: PersonRef { name: "Rosa Elvira Huamaní Quispe".into(), dni: "29874512".into() },
        chief_role: "Jefa de la Unidad Territorial".into(),
    }
}

/// A ficha técnica de diagnóstico: a CPU that does not power on, diagnosed in the IT office.
pub fn diagnostic_sheet() -> DiagnosticSheet {
    let check = |item: &str, outcome: &str, note: &str| ChecklistLine {
        item: item.into(),
        outcome: outcome.into(),
        note: note.into(),
    };
    DiagnosticSheet {
        meta: DocumentMeta {
            document_id: "01935c43-6f70-7a81-b2c3-d4e5f6071829".into(),
            number: "018-2026".into(),
            issued_at: lima(2026, 11, 20, 16, 5),
        },
        header: header("PRO-044-PNAEQW-UTI-FOR-0006"),
        date: date(2026, 11, 20),
        unit: "Unidad Territorial Cusco".into(),
        equipment: "UNIDAD CENTRAL DE PROCESO - CPU".into(),
        brand: "Dell".into(),
        model: "OptiPlex 380".into(),
        serial: "7XK2L41".into(),
        sbn_code: "740899500123".into(),
        location: "Área de Supervisión y Monitoreo — María Quispe Huamán".into(),
        attention: "N° 045-2026".into(),
        corrects: None,
        symptoms: "El equipo no enciende desde el lunes; la usuaria percibió olor a quemado antes del apagado.".into(),
        checks: vec![
            check("Encendido y alimentación eléctrica", "Falló", "La fuente entrega voltaje; la placa no arranca."),
            check("Estado físico (carcasa, cables, conectores)", "Aprobado", ""),
            check("POST / arranque del sistema", "Falló", "Sin POST, sin pitidos."),
            check("Memoria RAM", "No aplica", "No se puede probar sin POST."),
            check("Disco: salud SMART, lectura y escritura", "Aprobado", "Probado en otro equipo: SMART correcto; datos respaldados."),
            check("Sistema operativo y controladores", "No aplica", ""),
            check("Puertos (USB, video, audio)", "No aplica", ""),
            check("Conexión de red", "No aplica", ""),
        ],
        findings: "Condensadores inflados en la placa madre (zona del regulador de la CPU). La placa ya no se fabrica; un reemplazo de segunda mano cuesta más del 50 % de un equipo nuevo.".into(),
        parts_needed: "Placa madre compatible con OptiPlex 380 (descontinuada).".into(),
        warranty: "Garantía vencida (31/12/2014).".into(),
        time: "Empleado: 95 min. Estimado: 120 min.".into(),
        it_office: "Más de 60 minutos: trasladado a la oficina de TI; se avisó a la usuaria por correo.".into(),
        result: "INOPERATIVO".into(),
        recommendation: "Proponer la baja".into(),
        format_steps: vec![],
        technician: PersonRef { name: "Edwin Ccori Mamani".into(), dni: "41236587".into() },
        receiver: Some(PersonRef { name: "María Quispe Huamán".into(), dni: "45871236".into() }),
    }
}

/// Every template with its file name stem.
pub fn all() -> Vec<Document> {
    vec![
        Document::AttentionRegister(register(24)),
        Document::Assignment(assignment()),
        Document::Transfer(transfer()),
        Document::DecommissionReport(decommission_report()),
        Document::DiagnosticSheet(Box::new(diagnostic_sheet())),
    ]
}

/// A synthetic handwritten signature (a transparent PNG with a few pen strokes), so tests
/// and samples need no image files. `variant` changes the shape.
pub fn hand_signature_png(variant: u32) -> Vec<u8> {
    let (w, h) = (360usize, 120usize);
    let mut rgba = vec![0u8; w * h * 4];
    let mut dot = |x: f32, y: f32| {
        for dy in -1..=1 {
            for dx in -1..=1 {
                let (px, py) = (x as i64 + dx, y as i64 + dy);
                if px >= 0 && py >= 0 && (px as usize) < w && (py as usize) < h {
                    let i = (py as usize * w + px as usize) * 4;
                    rgba[i..i + 4].copy_from_slice(&[20, 30, 110, 255]);
                }
            }
        }
    };
    let k = 1.0 + variant as f32 * 0.37;
    for step in 0..2400 {
        let t = step as f32 / 2400.0;
        let x = 20.0 + t * 320.0;
        let y = 60.0 + (t * 18.0 * k).sin() * 28.0 * (1.0 - t) + (t * 5.0).cos() * 10.0;
        dot(x, y);
    }
    for step in 0..600 {
        let t = step as f32 / 600.0;
        dot(60.0 + t * 250.0, 95.0 - t * 12.0);
    }
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w as u32, h as u32);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        if let Ok(mut writer) = enc.write_header() {
            let _ = writer.write_image_data(&rgba);
        }
    }
    out
}

/// Handwritten signatures for both signers of a document.
pub fn hand_signatures(doc: &Document) -> Vec<HandSignature> {
    let on = date(2026, 11, 23);
    let sig = |role, name: &str, dni: &str, v| HandSignature {
        role,
        png: hand_signature_png(v),
        name: name.into(),
        dni: dni.into(),
        signed_on: on,
    };
    match doc {
        Document::Assignment(a) => vec![
            sig(SignerRole::Employee, &a.employee.name, &a.employee.dni, 1),
            sig(
                SignerRole::Technician,
                &a.technician.name,
                &a.technician.dni,
                2,
            ),
        ],
        Document::Transfer(t) => vec![
            sig(
                SignerRole::Technician,
                &t.delivered_by.name,
                &t.delivered_by.dni,
                3,
            ),
            sig(
                SignerRole::Employee,
                &t.received_by.name,
                &t.received_by.dni,
                4,
            ),
        ],
        Document::DecommissionReport(r) => vec![
            sig(
                SignerRole::Technician,
                &r.technician.name,
                &r.technician.dni,
                7,
            ),
            sig(SignerRole::Approver, &r.chief.name, &r.chief.dni, 8),
        ],
        Document::DiagnosticSheet(d) => std::iter::once(sig(
            SignerRole::Technician,
            &d.technician.name,
            &d.technician.dni,
            9,
        ))
        .chain(
            d.receiver
                .iter()
                .map(|p| sig(SignerRole::Employee, &p.name, &p.dni, 10)),
        )
        .collect(),
        Document::AttentionRegister(r) => r
            .specialist
            .iter()
            .map(|p| sig(SignerRole::Technician, &p.name, &p.dni, 5))
            .chain(
                r.chief
                    .iter()
                    .map(|p| sig(SignerRole::Approver, &p.name, &p.dni, 6)),
            )
            .collect(),
    }
}
