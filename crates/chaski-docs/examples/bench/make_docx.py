"""Builds a one-page DOCX equivalent to the Chaski cargo de asignación (same header band,
fields, two asset tables, signature lines and note), for the LibreOffice comparison of the
benchmark. Usage: python3 make_docx.py OUT.docx"""
import sys

from docx import Document
from docx.shared import Mm, Pt

doc = Document()
sec = doc.sections[0]
sec.page_width, sec.page_height = Mm(210), Mm(297)
for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
    setattr(sec, side, Mm(10))
style = doc.styles["Normal"]
style.font.name = "Liberation Sans"
style.font.size = Pt(9)

head = doc.add_table(rows=2, cols=5)
head.style = "Table Grid"
cells = ["PERÚ", "Ministerio de Desarrollo e Inclusión Social", "Viceministerio de Prestaciones Sociales",
         "Programa Nacional de Alimentación Escolar Qali Warma", "PRO-044-PNAEQW-UTI-FOR-0003"]
for i, t in enumerate(cells):
    head.cell(0, i).text = t
head.cell(1, 0).text = "Versión N° 01"
title = head.cell(1, 1).merge(head.cell(1, 3))
title.text = "CARGO DE ASIGNACIÓN DE EQUIPOS DE CÓMPUTO N° 007-2026"
head.cell(1, 4).text = "Pág. N° 1 de 1"

doc.add_paragraph("Fecha: 23/11/2026")
doc.add_paragraph("Servidor/a: María Quispe Huamán (DNI 45871236)")
doc.add_paragraph("Órgano/Unidad orgánica: Unidad Territorial Cusco – Área de Supervisión y Monitoreo")

rows_retired = [
    ("CPU HP ProDesk 400 G4", "HP", "740899500123", "Serie MXL8123ABC. Disco con sectores dañados; pasa a diagnóstico."),
    ("Monitor LED 19.5\"", "LG", "740880370456", "Operativo, con cable VGA."),
]
rows_assigned = [
    ("Laptop ThinkPad E14 Gen 5", "Lenovo", "740899500789",
     "Serie PF4XK2LM. Con cargador, mochila y mouse inalámbrico. Equipo formateado con Windows 11 Pro y software base."),
]
for caption, rows in (("Se retira los siguientes bienes del ÓRGANO Y/O UNIDAD ORGÁNICA:", rows_retired),
                      ("Se asigna los siguientes bienes al ÓRGANO Y/O UNIDAD ORGÁNICA:", rows_assigned)):
    doc.add_paragraph(caption)
    t = doc.add_table(rows=1, cols=4)
    t.style = "Table Grid"
    for i, h in enumerate(("EQUIPO", "MARCA", "CÓDIGO SBN", "OBSERVACIONES")):
        t.cell(0, i).text = h
    for r in rows:
        cells = t.add_row().cells
        for i, v in enumerate(r):
            cells[i].text = v

doc.add_paragraph("\n\n")
sig = doc.add_table(rows=1, cols=2)
sig.cell(0, 0).text = "______________________________\nFirma del Servidor/a\nNombre: María Quispe Huamán\nDNI: 45871236"
sig.cell(0, 1).text = "______________________________\nFirma del Servidor/a de la UTI\nNombre: Edwin Ccori Mamani\nDNI: 41236587"
doc.add_paragraph("Nota: Se hace entrega de una copia de este documento a el/la servidor/a de la referencia y a Control Patrimonial.")
doc.save(sys.argv[1])
