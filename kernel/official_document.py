"""An official document (公文) as a .docx, built with python-docx: the one builder of the platform's
government documents (the final assessment, the annual assessment's 通报).

Its parts, in the order of GB/T 9704 (党政机关公文格式) as far as a generated document needs them:
the red head (红头: the issuing body's name in red, a red line under the document number), the
document's own number (文号), the title, the body (paragraphs, headings, tables), the signature
(落款: the issuing body) with the date written the Chinese way, and page numbers in the footer
(a PAGE field, so Word numbers the pages itself).

A template the office replaces (a .docx: its page set-up, styles, header and footer) may be
given: its body is emptied and the document written into it; its footer is kept if it already
numbers the pages, else the page number is added."""

from __future__ import annotations

import io

RED = (0xC0, 0x00, 0x00)
BODY_FONT, BODY_FONT_EAST = "FangSong", "仿宋"


def _field(run, instruction: str) -> None:
    """A Word field (e.g. PAGE) in ``run``: begin, instruction, separate, a placeholder, end."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def element(tag: str, **attrs):
        el = OxmlElement(tag)
        for key, value in attrs.items():
            el.set(qn(key), value)
        return el

    begin = element("w:fldChar", **{"w:fldCharType": "begin"})
    code = element("w:instrText", **{"xml:space": "preserve"})
    code.text = f" {instruction} "
    separate = element("w:fldChar", **{"w:fldCharType": "separate"})
    placeholder = element("w:t")
    placeholder.text = "1"
    end = element("w:fldChar", **{"w:fldCharType": "end"})
    for el in (begin, code, separate, placeholder, end):
        run._r.append(el)


def _bottom_border(paragraph, color: str = "C00000", size: int = 12) -> None:
    """A line under ``paragraph`` (the red line of the red head)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", str(size)), ("w:space", "4"), ("w:color", color)):
        bottom.set(qn(key), value)
    borders.append(bottom)
    p_pr.append(borders)


def footer_has_page_number(document) -> bool:
    """Whether a footer already numbers the pages (a PAGE field, simple or complex)."""
    for section in document.sections:
        footer = section.footer._element
        if any("PAGE" in (el.text or "") for el in footer.iter() if el.tag.endswith("}instrText")):
            return True
        if any("PAGE" in (el.get(el.tag.replace("fldSimple", "instr")) or "") or "PAGE" in str(el.attrib)
               for el in footer.iter() if el.tag.endswith("}fldSimple")):
            return True
    return False


def template_check(content: bytes) -> str | None:
    """None if ``content`` is a .docx python-docx opens; else why not (for the upload's refusal)."""
    from docx import Document

    try:
        Document(io.BytesIO(content))
    except Exception as exc:  # a zip that is not a Word document, or no zip at all
        return f"{type(exc).__name__}"
    return None


class OfficialDocument:
    """Build one official document: ``head()`` first, then the body, then ``finish()`` → bytes."""

    def __init__(self, *, title: str, doc_number: str, issuer: str, template: bytes | None = None) -> None:
        from docx import Document
        from docx.oxml.ns import qn
        from docx.shared import Pt

        self.title, self.doc_number, self.issuer = title, doc_number, issuer
        if template:
            self.doc = Document(io.BytesIO(template))
            body = self.doc.element.body
            for child in list(body):
                if not child.tag.endswith("}sectPr"):
                    body.remove(child)
        else:
            self.doc = Document()
            style = self.doc.styles["Normal"]
            style.font.name, style.font.size = BODY_FONT, Pt(12)
            style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT_EAST)
        self.doc.core_properties.title = title
        self.doc.core_properties.identifier = doc_number
        self.templated = bool(template)

    def landscape(self) -> None:
        """Wide tables: the built-in layout turned to landscape (a template keeps its own page set-up)."""
        from docx.enum.section import WD_ORIENT

        if self.templated:
            return
        for section in self.doc.sections:
            if section.orientation != WD_ORIENT.LANDSCAPE:
                section.orientation = WD_ORIENT.LANDSCAPE
                section.page_width, section.page_height = section.page_height, section.page_width

    # ---------------------------------------------------------------- the head
    def head(self, *, red_head: str | None = None, note: str | None = None) -> None:
        """The red head (红头, ``red_head``: the issuing body's name + 文件 or the like), the 文号 and
        the red line, the title; ``note`` (e.g. a draft's mark) under the title."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt, RGBColor

        if red_head:
            line = self.doc.add_paragraph()
            line.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = line.add_run(red_head)
            run.bold, run.font.size, run.font.color.rgb = True, Pt(26), RGBColor(*RED)
        number = self.doc.add_paragraph(self.doc_number)
        number.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if red_head:
            _bottom_border(number)
        heading = self.doc.add_paragraph()
        heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = heading.add_run(self.title)
        run.bold, run.font.size = True, Pt(18)
        if red_head:
            run.font.color.rgb = RGBColor(*RED)
        if note:
            self.doc.add_paragraph(note).alignment = WD_ALIGN_PARAGRAPH.CENTER

    # ---------------------------------------------------------------- the body
    def paragraph(self, text: str, *, bullet: bool = False):
        if bullet:
            try:
                return self.doc.add_paragraph(text, style="List Bullet")
            except KeyError:  # a template without the style
                return self.doc.add_paragraph(f"· {text}")
        return self.doc.add_paragraph(text)

    def heading(self, text: str):
        try:
            return self.doc.add_heading(text, level=2)
        except KeyError:
            paragraph = self.doc.add_paragraph()
            paragraph.add_run(text).bold = True
            return paragraph

    def table(self, headers: list, rows: list[list]):
        table = self.doc.add_table(rows=1, cols=len(headers))
        try:
            table.style = "Table Grid"
        except (KeyError, ValueError):
            pass
        for cell, header in zip(table.rows[0].cells, headers, strict=True):
            cell.text = str(header)
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                cell.text = "" if value is None else str(value)
        return table

    # ---------------------------------------------------------------- the end
    def finish(self, *, dated: str) -> bytes:
        """The 落款 (issuing body) and ``dated`` (the date as text, e.g. kernel.dates.date_text),
        the page numbers in the footer; the document's bytes."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        self.doc.add_paragraph()
        for text in (self.issuer, dated):
            self.doc.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if not footer_has_page_number(self.doc):
            footer = self.doc.sections[-1].footer
            paragraph = footer.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.add_run("— ")
            _field(paragraph.add_run(), "PAGE")
            paragraph.add_run(" —")
        buf = io.BytesIO()
        self.doc.save(buf)
        return buf.getvalue()

