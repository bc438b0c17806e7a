"""A4 PDF pages with reportlab: the page template, styles and small flowable builders.

Why reportlab: it is a pure-Python wheel on PyPI (no system libraries such as
Cairo or Pango, unlike HTML-to-PDF converters), lays out flowing text and
tables itself, and embeds TrueType fonts. The fonts are the DejaVu Sans files
that matplotlib already ships, so symbols such as ≥, −, ± and ° print
correctly without installing anything.

`render_pdf` is the reusable skeleton (the comparison report of the history
feature uses it too); `gait.report.document` builds the analysis report's
sections with the helpers below. Text arguments are plain text and are
escaped; arguments named ``*_markup`` use reportlab's paragraph mark-up.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (Flowable, Image, KeepTogether, PageBreak, Paragraph,
                                SimpleDocTemplate, Spacer, Table, TableStyle)

from ..output_paths import replacing

PAGE_SIZE = A4
MARGIN_MM = 16.0
ACCENT = colors.HexColor("#1f4e79")
RULE = colors.HexColor("#c8c8c8")
BAND = colors.HexColor("#f3f3f3")
MUTED = colors.HexColor("#5a5a5a")

#: Text width of a page, in points.
FRAME_WIDTH_PT = PAGE_SIZE[0] - 2 * MARGIN_MM * mm


@lru_cache(maxsize=1)
def _fonts() -> tuple[str, str]:
    """Register DejaVu Sans (regular, bold) from matplotlib's data; return the font names."""
    import matplotlib

    ttf = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont("GaitSans", str(ttf / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont("GaitSans-Bold", str(ttf / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFont(TTFont("GaitSans-Oblique", str(ttf / "DejaVuSans-Oblique.ttf")))
    pdfmetrics.registerFont(TTFont("GaitSans-BoldOblique", str(ttf / "DejaVuSans-BoldOblique.ttf")))
    pdfmetrics.registerFontFamily("GaitSans", normal="GaitSans", bold="GaitSans-Bold",
                                  italic="GaitSans-Oblique", boldItalic="GaitSans-BoldOblique")
    return "GaitSans", "GaitSans-Bold"


@lru_cache(maxsize=1)
def styles() -> dict[str, ParagraphStyle]:
    """Paragraph styles of every gait PDF, by name.

    Returns
    -------
    dict of str to ParagraphStyle
        "title", "subtitle", "h2", "h3", "body", "small", "cell", "cell_small", "cell_bold",
        "callout", "warn", "value".
    """
    regular, bold = _fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=9.2, leading=12.2, alignment=TA_LEFT,
                          spaceAfter=3)
    return {
        "title": ParagraphStyle("title", parent=body, fontName=bold, fontSize=17, leading=21,
                                textColor=ACCENT, spaceAfter=2),
        "subtitle": ParagraphStyle("subtitle", parent=body, textColor=MUTED, spaceAfter=6),
        "h2": ParagraphStyle("h2", parent=body, fontName=bold, fontSize=12.5, leading=16,
                             textColor=ACCENT, spaceBefore=9, spaceAfter=5),
        "h3": ParagraphStyle("h3", parent=body, fontName=bold, fontSize=10, leading=13,
                             spaceBefore=6, spaceAfter=3),
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=7.8, leading=10, textColor=MUTED),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8.2, leading=10.4, spaceAfter=0),
        "cell_small": ParagraphStyle("cell_small", parent=body, fontSize=7.2, leading=9,
                                     spaceAfter=0, spaceBefore=2, textColor=MUTED),
        "cell_bold": ParagraphStyle("cell_bold", parent=body, fontName=bold, fontSize=8.2,
                                    leading=10.4, spaceAfter=0),
        "callout": ParagraphStyle("callout", parent=body, backColor=BAND, borderColor=ACCENT,
                                  borderWidth=0, borderPadding=5, leftIndent=5, rightIndent=5,
                                  spaceBefore=5, spaceAfter=8),
        "warn": ParagraphStyle("warn", parent=body, borderColor=colors.black, borderWidth=0.6,
                               borderPadding=4, leftIndent=4, rightIndent=4, spaceBefore=7,
                               spaceAfter=8),
        "value": ParagraphStyle("value", parent=body, fontName=bold, fontSize=15, leading=18),
    }


@dataclass(frozen=True)
class PdfSection:
    """One titled part of a PDF.

    Parameters
    ----------
    title : str
        Heading (plain text).
    flowables : sequence of Flowable
        The content (build it with the helpers here).
    page_break_before : bool
        Start the section on a new page.
    """

    title: str
    flowables: Sequence[Flowable]
    page_break_before: bool = False


def text(value: object) -> str:
    """Escape plain text for reportlab mark-up."""
    return escape(str(value))


def para(plain: str, *, style: str = "body", cite: str = "") -> Paragraph:
    """A paragraph of plain text with an optional citation marker such as ``"[2, 5]"``."""
    marker = f' <font size="7" color="#1f4e79">{text(cite)}</font>' if cite else ""
    return Paragraph(text(plain) + marker, styles()[style])


def markup(markup_text: str, *, style: str = "body") -> Paragraph:
    """A paragraph of reportlab mark-up (``<b>``, ``<i>``, ``<font>``)."""
    return Paragraph(markup_text, styles()[style])


def bullets(items: Sequence[Paragraph | str], *, style: str = "body") -> list[Flowable]:
    """Bulleted paragraphs (strings are plain text)."""
    out = []
    for item in items:
        p = item if isinstance(item, Paragraph) else para(item, style=style)
        out.append(Paragraph("•&nbsp;" + p.text, ParagraphStyle(
            "bullet", parent=p.style, leftIndent=9, firstLineIndent=-7)))
    return out


def table(header: Sequence[str], rows: Sequence[Sequence[object]], *,
          col_widths_frac: Sequence[float] | None = None, numeric_cols: Sequence[int] = (),
          repeat_header: bool = True) -> Table:
    """A ruled table that wraps text in cells and splits across pages with its header.

    Parameters
    ----------
    header : sequence of str
        Column titles (plain text); empty for a table without a header row.
    rows : sequence of sequence
        Cells: plain text (str or number), a Flowable (e.g. `para`) or a list of
        Flowables.
    col_widths_frac : sequence of float, optional
        Column widths as fractions of the text width.
    numeric_cols : sequence of int
        Right-aligned columns.
    repeat_header : bool
        Repeat the header row on each page.
    """
    st = styles()
    num = set(numeric_cols)

    def cell(value: object, i: int, style: str) -> Flowable:
        if isinstance(value, (Flowable, list)):
            return value
        s = st[style]
        if i in num:
            s = ParagraphStyle(s.name + "_r", parent=s, alignment=2)
        return Paragraph(text(value), s)

    data = [[cell(h, i, "cell_bold") for i, h in enumerate(header)]] if header else []
    data += [[cell(v, i, "cell") for i, v in enumerate(row)] for row in rows]
    widths = None if col_widths_frac is None else [f * FRAME_WIDTH_PT for f in col_widths_frac]
    t = Table(data, colWidths=widths, repeatRows=1 if header and repeat_header else 0)
    head_style = [("BACKGROUND", (0, 0), (-1, 0), BAND),
                  ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black)] if header else []
    t.setStyle(TableStyle([
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        *head_style,
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return t


def tiles(items: Sequence[tuple[str, str, str, str]], *, columns: int = 4) -> Table:
    """Headline number tiles: ``(label, value, unit, spread)`` each, plain text."""
    st = styles()
    cells = [[Paragraph(text(label).upper(), st["small"]),
              Paragraph(f'{text(value)} <font size="9">{text(unit)}</font>', st["value"]),
              Paragraph(text(spread), st["small"])] for label, value, unit, spread in items]
    while len(cells) % columns:
        cells.append("")
    rows = [cells[i:i + columns] for i in range(0, len(cells), columns)]
    w = FRAME_WIDTH_PT / columns
    t = Table(rows, colWidths=[w] * columns)
    t.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 0.5, RULE), ("INNERGRID", (0, 0), (-1, -1), 0.5, RULE),
        ("BACKGROUND", (0, 0), (-1, -1), BAND), ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]))
    return t


def image(png: bytes, *, caption: str = "", width_frac: float = 1.0,
          max_height_mm: float = 200.0, keep_together: bool = True) -> Flowable | list:
    """An embedded PNG scaled to a fraction of the text width, with a caption below.

    Returns one `KeepTogether` flowable, or with ``keep_together=False`` the list
    of flowables (for a table cell, where `KeepTogether` cannot be used).
    """
    from reportlab.lib.utils import ImageReader

    reader = ImageReader(io.BytesIO(png))
    w_px, h_px = reader.getSize()
    width = FRAME_WIDTH_PT * width_frac
    height = width * h_px / w_px
    if height > max_height_mm * mm:
        height = max_height_mm * mm
        width = height * w_px / h_px
    img = Image(io.BytesIO(png), width=width, height=height)
    parts: list[Flowable] = [img]
    if caption:
        parts.append(para(caption, style="small"))
    parts.append(Spacer(1, 4))
    return KeepTogether(parts) if keep_together else parts


class ShrinkToFit(Flowable):
    """A block built at the largest size that fits the space left on the page.

    ``build(size)`` returns the block's flowables for a size (e.g. an image
    height in mm); sizes from `largest` down to `smallest` are tried in
    `step`, and the first that fits is drawn. When even `smallest` does not
    fit, the block moves to the next page at `largest`, as `KeepTogether`
    would move it. This keeps a page from ending in a large blank where a
    slightly smaller figure would have fitted.
    """

    def __init__(self, build, *, largest: float, smallest: float, step: float = 2.0) -> None:
        super().__init__()
        self._build = build
        self._sizes = [largest - k * step for k in range(int((largest - smallest) // step) + 1)]
        self._parts: list[Flowable] = []

    def _stack_height(self, parts: list[Flowable], width: float) -> float:
        return sum(p.wrap(width, 1e6)[1] + p.getSpaceBefore() + p.getSpaceAfter() for p in parts)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        for size in self._sizes:
            parts = self._build(size)
            height = self._stack_height(parts, availWidth)
            if height <= availHeight or size == self._sizes[-1]:
                break
        if height > availHeight:
            parts = self._build(self._sizes[0])
            height = self._stack_height(parts, availWidth)
        self._parts, self.width, self.height = parts, availWidth, height
        return availWidth, height

    def split(self, availWidth: float, availHeight: float) -> list:  # noqa: N803
        return []  # never split: moved whole to the next page

    def draw(self) -> None:
        y = self.height
        for p in self._parts:
            y -= p.getSpaceBefore()
            _, h = p.wrap(self.width, 1e6)
            y -= h
            p.drawOn(self.canv, 0, y)
            y -= p.getSpaceAfter()


def render_pdf(path: str | Path, title: str, sections: Sequence[PdfSection], *,
               subtitle: str = "", footer_text: str = "") -> Path:
    """Write an A4 PDF: title block, sections, and a footer with page numbers on every page.

    Parameters
    ----------
    path : str or Path
        Output file (written via a temporary file, then renamed).
    title : str
        Document title (also the PDF metadata title).
    sections : sequence of PdfSection
    subtitle : str
        One line under the title.
    footer_text : str
        Small print at the foot of every page, left of the page number.

    Returns
    -------
    Path
        The written file.
    """
    path = Path(path)
    st = styles()
    regular, _ = _fonts()
    story: list[Flowable] = [Paragraph(text(title), st["title"])]
    if subtitle:
        story.append(Paragraph(text(subtitle), st["subtitle"]))
    for i, sec in enumerate(sections):
        if sec.page_break_before and i > 0:
            story.append(PageBreak())
        story.append(Paragraph(text(sec.title), st["h2"]))
        story.extend(sec.flowables)

    def decorate(canvas, doc) -> None:
        canvas.saveState()
        canvas.setStrokeColor(ACCENT)
        canvas.setLineWidth(1.2)
        top = PAGE_SIZE[1] - MARGIN_MM * mm + 4
        canvas.line(MARGIN_MM * mm, top, PAGE_SIZE[0] - MARGIN_MM * mm, top)
        canvas.setFont(regular, 7)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN_MM * mm, 9 * mm, footer_text[:150])
        canvas.drawRightString(PAGE_SIZE[0] - MARGIN_MM * mm, 9 * mm, f"page {doc.page}")
        canvas.restoreState()

    with replacing(path) as tmp:
        doc = SimpleDocTemplate(str(tmp), pagesize=PAGE_SIZE, title=title, author="gait",
                                leftMargin=MARGIN_MM * mm, rightMargin=MARGIN_MM * mm,
                                topMargin=MARGIN_MM * mm, bottomMargin=16 * mm)
        doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return path
