-- Reference data: units, the service catalog (seed 003 §7.6), priorities (§7.4), escalation
-- levels (§7.5), channels (seeds 000, 001, 004), kinds (seed 002 §3.2), statuses (Anexo 01).

INSERT INTO unit (code, name, kind, sort) VALUES
    ('SEDE-CENTRAL', 'Sede Central', 'sede_central', 0),
    ('UT-AMAZONAS', 'UT Amazonas', 'unidad_territorial', 10),
    ('UT-ANCASH-1', 'UT Áncash 1', 'unidad_territorial', 20),
    ('UT-ANCASH-2', 'UT Áncash 2', 'unidad_territorial', 21),
    ('UT-APURIMAC', 'UT Apurímac', 'unidad_territorial', 30),
    ('UT-AREQUIPA', 'UT Arequipa', 'unidad_territorial', 40),
    ('UT-AYACUCHO', 'UT Ayacucho', 'unidad_territorial', 50),
    ('UT-CAJAMARCA', 'UT Cajamarca', 'unidad_territorial', 60),
    ('UT-CUSCO', 'UT Cusco', 'unidad_territorial', 70),
    ('UT-HUANCAVELICA', 'UT Huancavelica', 'unidad_territorial', 80),
    ('UT-HUANUCO', 'UT Huánuco', 'unidad_territorial', 90),
    ('UT-ICA', 'UT Ica', 'unidad_territorial', 100),
    ('UT-JUNIN', 'UT Junín', 'unidad_territorial', 110),
    ('UT-LA-LIBERTAD', 'UT La Libertad', 'unidad_territorial', 120),
    ('UT-LAMBAYEQUE', 'UT Lambayeque', 'unidad_territorial', 130),
    ('UT-LIMA-CALLAO', 'UT Lima Metropolitana y Callao', 'unidad_territorial', 140),
    ('UT-LIMA-PROVINCIAS', 'UT Lima Provincias', 'unidad_territorial', 141),
    ('UT-LORETO', 'UT Loreto', 'unidad_territorial', 150),
    ('UT-MADRE-DE-DIOS', 'UT Madre de Dios', 'unidad_territorial', 160),
    ('UT-MOQUEGUA', 'UT Moquegua', 'unidad_territorial', 170),
    ('UT-PASCO', 'UT Pasco', 'unidad_territorial', 180),
    ('UT-PIURA', 'UT Piura', 'unidad_territorial', 190),
    ('UT-PUNO', 'UT Puno', 'unidad_territorial', 200),
    ('UT-SAN-MARTIN', 'UT San Martín', 'unidad_territorial', 210),
    ('UT-TACNA', 'UT Tacna', 'unidad_territorial', 220),
    ('UT-TUMBES', 'UT Tumbes', 'unidad_territorial', 230),
    ('UT-UCAYALI', 'UT Ucayali', 'unidad_territorial', 240);

-- Seed 003 §7.6. The TIPO column of the source table is vertically centred across its rows;
-- it is read here as: Acceso = Red … SIGO; Correo electrónico = OFFICE 365, Zimbra;
-- Internet dedicado = Internet Dedicado y Enlace de Datos (docs/domain.md).
INSERT INTO service_category (code, name, sort) VALUES
    ('acceso', 'Acceso', 10),
    ('correo_electronico', 'Correo electrónico', 20),
    ('internet_dedicado', 'Internet dedicado', 30),
    ('averia_hardware', 'Avería de Hardware', 40),
    ('mantenimiento_hardware', 'Mantenimiento de hardware', 50),
    ('soporte_aplicaciones', 'Soporte de aplicaciones y software', 60),
    ('interconexion', 'Interconexión', 70),
    ('apoyo_asistencia', 'Apoyo / asistencia técnica diversos', 80);

INSERT INTO service (code, category_code, name, description, sort) VALUES
    ('acceso.red', 'acceso', 'Red', 'Configuración', 10),
    ('acceso.correo', 'acceso', 'Correo electrónico', 'Acceso / creación / Baja de Usuarias/os', 20),
    ('acceso.internet', 'acceso', 'Internet', 'Acceso de permiso', 30),
    ('acceso.intranet', 'acceso', 'Intranet', 'Acceso / creación Usuario / Baja de Usuarias/os', 40),
    ('acceso.siga', 'acceso', 'SIGA', 'Creación Usuario / Baja de Usuarias/os', 50),
    ('acceso.siaf', 'acceso', 'SIAF', 'Acceso / creación Usuario / Baja de Usuarias/os', 60),
    ('acceso.sgd', 'acceso', 'SGD', 'Acceso / creación Usuario / Baja de Usuarias/os', 70),
    ('acceso.sigo', 'acceso', 'SIGO', 'Acceso / creación Usuario / Baja de Usuarias/os', 80),
    ('correo_electronico.office365', 'correo_electronico', 'OFFICE 365', 'Gestión de Altas y Bajas / Cambio contraseña / Copias de correo electrónico', 10),
    ('correo_electronico.zimbra', 'correo_electronico', 'Zimbra', 'Backups / Gestión de Altas y Bajas de Usuarias/os / Cambio contraseña / Copias de correo electrónico', 20),
    ('internet_dedicado.enlace_datos', 'internet_dedicado', 'Internet Dedicado y Enlace de Datos', 'Conectividad / Contrataciones de servicio / Gestión y monitoreo', 10),
    ('averia_hardware.servidores', 'averia_hardware', 'Servidores, Sistemas de Almacenamiento', 'Configuración, Formateo, Gestión de Garantía', 10),
    ('averia_hardware.computadoras', 'averia_hardware', 'Computadoras (PCs y Laptops)', 'Configuración, Formateo, Gestión de Garantía', 20),
    ('averia_hardware.impresoras', 'averia_hardware', 'Impresoras', 'Configuración, Formateo, Gestión de Garantía', 30),
    ('averia_hardware.red', 'averia_hardware', 'Red (tipo Cable o tipo Inalámbrico)', 'Configuración, Formateo, Gestión de Garantía', 40),
    ('averia_hardware.capturadores', 'averia_hardware', 'Capturadores (Scanner, lectores de código de barras, etc)', 'Configuración, Formateo, Gestión de Garantía', 50),
    ('averia_hardware.criptografico', 'averia_hardware', 'Criptográfico (Tokens)', 'Asignación, Configuración, Formateo, Gestión de Garantía', 60),
    ('averia_hardware.biometrico', 'averia_hardware', 'Equipos Biométrico', 'Configuración, Gestión de Garantía y Actualización carga de datos', 70),
    ('mantenimiento_hardware.servidores', 'mantenimiento_hardware', 'Servidores', 'Configuración, Formateo, mantenimiento por tercero, Gestión de Garantía Servicio', 10),
    ('mantenimiento_hardware.computadoras', 'mantenimiento_hardware', 'Computadoras (PCs y Laptops)', 'Configuración, Formateo, mantenimiento por tercero, Gestión de Garantía Servicio', 20),
    ('mantenimiento_hardware.impresoras', 'mantenimiento_hardware', 'Impresoras', 'Configuración, Formateo, mantenimiento por tercero, Gestión de Garantía Servicio', 30),
    ('mantenimiento_hardware.seguridad', 'mantenimiento_hardware', 'Seguridad Información (Firewall, router)', 'Configuración, Formateo, mantenimiento por tercero, Gestión de Garantía Servicio', 40),
    ('mantenimiento_hardware.almacenamiento', 'mantenimiento_hardware', 'Sistemas de almacenamiento', 'Configuración, Formateo, mantenimiento por tercero, Gestión de Garantía Servicio', 50),
    ('soporte_aplicaciones.siaf_melissa_siga', 'soporte_aplicaciones', 'SIAF, Melissa y SIGA', 'Instalaciones, Actualizaciones y Backups', 10),
    ('soporte_aplicaciones.sgd', 'soporte_aplicaciones', 'SGD (Sistema de Gestión Documental)', 'Instalación Tramitedoc y Configuración', 20),
    ('soporte_aplicaciones.spij', 'soporte_aplicaciones', 'SPIJ', 'Acceso, Instalaciones y Actualizaciones', 30),
    ('soporte_aplicaciones.sarh', 'soporte_aplicaciones', 'SARH', 'Acceso, Instalaciones, Cambio de contraseña', 40),
    ('soporte_aplicaciones.onpe', 'soporte_aplicaciones', 'ONPE', 'Instalación y Configuración', 50),
    ('soporte_aplicaciones.antivirus', 'soporte_aplicaciones', 'Antivirus', 'Instalación, actualización, Seguimiento', 60),
    ('soporte_aplicaciones.sigo', 'soporte_aplicaciones', 'SIGO', 'Acceso, Habilitación, Cambios Contraseñas', 70),
    ('interconexion.vpn', 'interconexion', 'VPN', 'Configuración, gestión', 10),
    ('apoyo_asistencia.reuniones', 'apoyo_asistencia', 'Reuniones', 'Habilitar la multiuso, video conferencia, Transmisión por Streaming', 10),
    ('apoyo_asistencia.consultas_tecnicas', 'apoyo_asistencia', 'Consultas Técnicas', 'Diagnósticos técnicos de hardware, Diagnostico de software', 20);

INSERT INTO priority (level, name, description) VALUES
    (1, 'Pérdida del servicio', 'Los servicios de tecnologías de la información que utilizan las/los usuarias/os se han detenido. Ejemplo: pérdida de conexión a la red, inaccesibilidad a los sistemas de información.'),
    (2, 'Lentitud en el funcionamiento de los servicios TIC', 'Los servicios funcionan con lentitud, pero las/los usuarias/os pueden continuar con sus operaciones mediante una solución temporal. Ejemplo: lentitud en las transacciones del sistema.'),
    (3, 'Problemas en el funcionamiento del equipo', 'Problemas de hardware y/o software de los equipos reportados por las/los usuarias/os.'),
    (4, 'Requerimiento de capacitación en el manejo de un sistema', 'Las/los usuarias/os pueden operar normalmente, pero se identificó un problema específico que puede resolverse mediante una funcionalidad del sistema.');

INSERT INTO escalation_level (level, name, description) VALUES
    (1, 'Nivel 1 – Mesa de ayuda', 'Personal de mesa de ayuda: recibe consultas, requerimientos e incidentes, registra la atención y da solución con herramientas de apoyo (conexión remota, central telefónica).'),
    (2, 'Nivel 2 – Especialista en sitio', 'Personal especialista: incidentes de servicios TIC y problemas de sistemas y equipos en el sitio de las/los usuarias/os.'),
    (3, 'Nivel 3 – Base de datos y aplicaciones', 'Personal especialista al que se derivan incidentes y problemas de base de datos y aplicaciones.'),
    (4, 'Nivel 4 – Infraestructura', 'Personal especialista al que se derivan incidentes y problemas de infraestructura (conectividad y redes).'),
    (5, 'Nivel 5 – Servicios internos y proveedores', 'Responsables de servicios internos y del contacto con proveedores externos cuando se requiere intervención especializada en el servicio o la marca del hardware/software.');

INSERT INTO channel (code, name, description, sort) VALUES
    ('telefono', 'Teléfono', 'Llamada telefónica o anexo.', 10),
    ('correo', 'Correo electrónico', 'Correo a la cuenta de mesa de ayuda o al especialista.', 20),
    ('presencial', 'Presencial', 'Atención en recepción, por orden de llegada.', 30),
    ('remoto', 'Asistencia remota', 'Solicitud mediante la herramienta de asistencia remota.', 40),
    ('oficio', 'Oficio / memorándum', 'Documento recibido por trámite documentario.', 50),
    ('mensajeria', 'Mensajería instantánea', 'Canal oficial de mensajería instantánea.', 60);

INSERT INTO attention_kind (code, name, description, sort) VALUES
    ('incidencia', 'Incidencia', 'Evento con un equipo o servicio informático que impide el normal desarrollo de las labores del usuario y cuya solución requiere un determinado tiempo.', 10),
    ('ocurrencia', 'Ocurrencia', 'Evento con un equipo o servicio informático que no impide el normal desarrollo de las labores del usuario y que es posible atender de manera inmediata.', 20),
    ('requerimiento', 'Requerimiento', 'Solicitud de un cambio o aumento en las funcionalidades preexistentes de hardware y software.', 30),
    ('consulta', 'Consulta', 'Pregunta que se absuelve con información, sin cambios en equipos ni sistemas.', 40);

INSERT INTO attention_status (code, name, description, sort) VALUES
    ('pendiente', 'Pendiente', 'Registrada, aún no se inicia la atención.', 10),
    ('en_progreso', 'En progreso', 'La atención se está realizando.', 20),
    ('atendido', 'Atendido', 'Solucionada, con la descripción de la solución.', 30);
