"""Exports of a figure's list or of the dashboard's figures, as CSV (UTF-8 with a byte
order mark, so that Excel opens Chinese text) or XLSX (openpyxl). The caller audits."""

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _safe(cell):
    """A text cell that a spreadsheet would run as a formula is written as text."""
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        try:
            float(cell.replace(",", ""))
        except ValueError:
            return "'" + cell
    return cell


def as_csv(headers: list, rows: list) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_safe(c) for c in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_xlsx(title: str, headers: list, rows: list) -> bytes:
    book = Workbook(write_only=False)
    sheet = book.active
    # Sheet titles: at most 31 characters, none of []:*?/\
    sheet.title = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31] or "report"
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_safe(c) for c in row])
    for index, header in enumerate(headers, start=1):
        width = max([len(str(header))] + [len(str(r[index - 1])) for r in rows[:200]]) + 2
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = min(
            width * 1.6, 60
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export(fmt: str, title: str, headers: list, rows: list) -> bytes:
    return as_csv(headers, rows) if fmt == "csv" else as_xlsx(title, headers, rows)
