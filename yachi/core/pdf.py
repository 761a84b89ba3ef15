"""The few PDF basics documents share: a Chinese font that needs no file, page styles,
a table, a picture and the bytes of the finished document (reportlab).

Chinese text uses reportlab's built-in CID font ``STSong-Light`` (Adobe-GB1): the PDF
names it and every reader supplies its glyphs, so nothing is copied into the repo.
"""

import io
from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT = "STSong-Light"


@cache
def _font() -> str:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


@cache
def styles() -> dict[str, ParagraphStyle]:
    font = _font()
    return {
        "title": ParagraphStyle("title", fontName=font, fontSize=16, leading=22, spaceAfter=6),
        "heading": ParagraphStyle("heading", fontName=font, fontSize=12, leading=17, spaceBefore=8),
        "body": ParagraphStyle("body", fontName=font, fontSize=10, leading=15),
        "small": ParagraphStyle(
            "small", fontName=font, fontSize=8, leading=12, textColor=colors.grey
        ),
    }


def text(value, style: str = "body") -> Paragraph:
    """A paragraph of plain text (escaped: reportlab reads its own markup)."""
    return Paragraph(escape(str(value)), styles()[style])


def table(rows: list[list], *, widths=None, header: bool = True) -> Table:
    cells = [[text(cell) if not hasattr(cell, "wrap") else cell for cell in row] for row in rows]
    made = Table(cells, colWidths=widths, repeatRows=1 if header else 0)
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke))
    made.setStyle(TableStyle(commands))
    return made


def picture(png: bytes, *, width_mm: float = 160) -> Image:
    image = Image(io.BytesIO(png))
    ratio = image.imageHeight / image.imageWidth if image.imageWidth else 1
    image.drawWidth = width_mm * mm
    image.drawHeight = width_mm * mm * ratio
    return image


def space(height_mm: float = 4) -> Spacer:
    return Spacer(1, height_mm * mm)


def render(*, title: str, parts: list, author: str = "Yachi") -> bytes:
    """The PDF of ``parts`` on A4, with ``title`` in its metadata."""
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        title=title,
        author=author,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
    )
    document.build(parts)
    return out.getvalue()
