"""Tables with Swedish headers as CSV or XLSX: exports of the log now, action-plan import and export later.

CSV is written the way Swedish Excel reads it when the file is double-clicked: UTF-8 with a BOM (or å, ä
and ö come out garbled), ';' between fields and a decimal comma. Reading is lenient about what people
actually save (with or without BOM, Windows-1252, ';' ',' or tab) and strict about what is not a table,
with messages in Swedish that can be shown to the member who sent the file.
"""

from __future__ import annotations

import csv
import decimal
import enum
import itertools
import os
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

MAX_ROWS = 10_000

_DATE_FORMAT = "yyyy-mm-dd"
_DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
# A text cell starting with one of these is run as a formula by Excel and LibreOffice (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_WIDTH_SAMPLE_ROWS = 200  # rows looked at to size the xlsx columns before streaming the rest
_MIN_WIDTH, _MAX_WIDTH = 8, 60
_SNIFF_BYTES = 64 * 1024
_ZIP_MAGIC = b"PK\x03\x04"


class SpreadsheetError(Exception):
    """A file that cannot be read as a table; the message is Swedish and meant for the member."""


@dataclass(frozen=True)
class TableRow:
    """One non-empty data row; ``number`` is the row as the spreadsheet program shows it (header is 1)."""

    number: int
    values: list[object]


_Line = tuple[int, list[object]]  # a row as read: its spreadsheet row number and its values


# --- writing -----------------------------------------------------------------------------------------------


def write_table(path: Path, headers: list[str], rows: Iterable[Sequence[object]], *,
                sheet_title: str = "Data") -> None:
    """Write ``headers`` and ``rows`` to ``path`` as CSV or XLSX, chosen by the suffix.

    Values may be ``None``, text, numbers, booleans, dates, naive datetimes or enums. Datetimes must be
    naive local time: a table has no time zone column, so the caller converts before writing.
    """
    path = Path(path)
    kind = path.suffix.lower()
    if kind not in (".csv", ".xlsx"):
        raise ValueError(f"Okänt filformat ”{path.suffix or path.name}”: använd .csv eller .xlsx.")
    # Written beside the target and moved into place, so a failing export never leaves half a file.
    partial = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        if kind == ".csv":
            _write_csv(partial, headers, rows)
        else:
            _write_xlsx(partial, headers, rows, sheet_title)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def _plain(value: object) -> object:
    if isinstance(value, enum.Enum):
        return _plain(value.value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        raise ValueError(f"convert {value!r} to naive local time before writing it to a table")
    return value


def _csv_text(value: object) -> str:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, int):
        return str(value)  # not text: '-5' needs no guard
    if isinstance(value, float | decimal.Decimal):
        return str(value).replace(".", ",")  # Swedish Excel reads '3.5' as text or even as a date
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _write_csv(path: Path, headers: list[str], rows: Iterable[Sequence[object]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file, delimiter=";")
        writer.writerow([_csv_text(header) for header in headers])
        writer.writerows([_csv_text(value) for value in row] for row in rows)


def _xlsx_value(value: object) -> object:
    value = _plain(value)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters make openpyxl refuse the cell
    if value is None or isinstance(value, int | float | decimal.Decimal | date | time):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def _shown_width(value: object) -> int:
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    text = "" if value is None else str(value)
    return max((len(line) for line in text.splitlines()), default=0)


def _write_xlsx(path: Path, headers: list[str], rows: Iterable[Sequence[object]], sheet_title: str) -> None:
    workbook = Workbook(write_only=True)  # streams rows to disk, so large exports stay small in memory
    sheet = workbook.create_sheet(_sheet_title(sheet_title))
    sheet.freeze_panes = "A2"
    rows = iter(rows)
    sample = [[_xlsx_value(value) for value in row] for row in itertools.islice(rows, _WIDTH_SAMPLE_ROWS)]
    # Column widths must be set before the first row is written, so they come from a sample of rows.
    for index, header in enumerate(headers):
        widest = max([_shown_width(header), *(_shown_width(row[index]) for row in sample if index < len(row))])
        width = min(max(widest + 2, _MIN_WIDTH), _MAX_WIDTH)
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=_xlsx_value(header))
        cell.font = bold
        header_cells.append(_as_text(cell))
    sheet.append(header_cells)
    for values in itertools.chain(sample, ([_xlsx_value(value) for value in row] for row in rows)):
        sheet.append([_xlsx_cell(sheet, value) for value in values])
    workbook.save(path)


def _xlsx_cell(sheet, value: object) -> object:
    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = _DATETIME_FORMAT
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = _DATE_FORMAT
        return cell
    if isinstance(value, str) and value.startswith("="):
        return _as_text(WriteOnlyCell(sheet, value=value))
    return value


def _as_text(cell: WriteOnlyCell) -> WriteOnlyCell:
    """Store text as text: openpyxl would otherwise write a string starting with '=' as a formula."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell


def _sheet_title(title: str) -> str:
    """Excel allows at most 31 characters and none of []:*?/\\ in a sheet name."""
    cleaned = " ".join(re.sub(r"[\[\]:*?/\\]", " ", title).split()).strip("'")
    return cleaned[:31].rstrip() or "Data"


# --- reading -----------------------------------------------------------------------------------------------


def read_table(path: Path, *, max_rows: int = MAX_ROWS) -> tuple[list[str], list[TableRow]]:
    """Headers (stripped) and the non-empty rows of a CSV or XLSX file, each row as long as the headers.

    The header is the first non-empty row. Cells beyond the last header are kept under an empty header
    rather than silently dropped. CSV values are text (``None`` when empty); XLSX values keep their type.
    Raises ``SpreadsheetError`` for a missing file, a file that is no table, a file without a header or
    one with more than ``max_rows`` data rows.
    """
    path = Path(path)
    if not path.is_file():
        raise SpreadsheetError(f"Filen ”{path.name}” finns inte.")
    kind = path.suffix.lower()
    # Stop reading one row past the limit: enough to refuse the file without loading all of it.
    limit = max_rows + 2
    if kind == ".csv":
        lines = _csv_rows(path, limit)
    elif kind == ".xlsx":
        lines = _xlsx_rows(path, limit)
    elif kind == ".xls":
        raise SpreadsheetError(f"”{path.name}” är en Excel-fil i det äldre formatet .xls. "
                               "Spara den som .xlsx eller .csv och försök igen.")
    else:
        raise SpreadsheetError(f"Okänt filformat ”{path.suffix or path.name}”: använd .csv eller .xlsx.")
    return _table(path, lines, max_rows)


def _table(path: Path, lines: list[_Line], max_rows: int) -> tuple[list[str], list[TableRow]]:
    filled = [(number, values) for number, values in lines if not all(_blank(value) for value in values)]
    if not filled:
        raise SpreadsheetError(f"”{path.name}” är tom: den första raden ska ha kolumnrubriker.")
    if len(filled) - 1 > max_rows:
        raise SpreadsheetError(f"Filen har fler än {_thousands(max_rows)} rader. "
                               "Dela upp den i mindre filer och skicka dem en i taget.")
    (_, header), data = filled[0], filled[1:]
    width = max(_used_width(values) for _, values in filled)
    headers = [_header_text(value) for value in _padded(header[:width], width)]
    return headers, [TableRow(number, _padded(values[:width], width)) for number, values in data]


def _bounded(lines: Iterable[_Line], limit: int) -> list[_Line]:
    """The lines up to and including the ``limit``-th non-blank one."""
    kept: list[_Line] = []
    filled = 0
    for line in lines:
        kept.append(line)
        filled += not all(_blank(value) for value in line[1])
        if filled >= limit:
            break
    return kept


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _used_width(values: Sequence[object]) -> int:
    """Length without trailing blank cells, which spreadsheet programs leave behind after formatting."""
    width = len(values)
    while width and _blank(values[width - 1]):
        width -= 1
    return width


def _padded(values: list[object], width: int) -> list[object]:
    return values + [None] * (width - len(values))


def _header_text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", " ")


def _csv_rows(path: Path, limit: int) -> list[_Line]:
    with path.open("rb") as file:
        head = file.read(_SNIFF_BYTES)
    if head.startswith(_ZIP_MAGIC):
        raise SpreadsheetError(f"”{path.name}” ser ut att vara en Excel-fil. Byt filändelsen till .xlsx.")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]  # what Excel saves as "Unicode text"
    elif _binary(head):
        raise SpreadsheetError(f"”{path.name}” är ingen textfil och kan inte läsas som CSV.")
    else:
        encodings = ["utf-8-sig", "cp1252"]  # cp1252: what Swedish Excel on Windows saves as "CSV"
    for encoding in encodings:
        try:
            return _bounded(_decoded_rows(path, encoding), limit)
        except UnicodeError:
            continue
        except csv.Error as error:
            raise SpreadsheetError(f"”{path.name}” kan inte läsas som CSV: {error}.") from error
    raise SpreadsheetError(f"”{path.name}” har en teckenkodning som inte går att läsa. Spara den som UTF-8.")


def _binary(head: bytes) -> bool:
    """NUL or more than a few other control bytes: an image, a PDF or a zip, not text."""
    control = sum(head.count(bytes([byte])) for byte in range(32) if byte not in (9, 10, 12, 13))
    return b"\x00" in head or control > max(4, len(head) // 200)


def _decoded_rows(path: Path, encoding: str) -> Iterator[_Line]:
    with path.open(encoding=encoding, newline="") as file:
        delimiter = _delimiter(file.read(_SNIFF_BYTES))
        file.seek(0)
        # A record is a spreadsheet row even when a quoted value spans lines, and a blank line is one too.
        for number, values in enumerate(csv.reader(file, delimiter=delimiter), start=1):
            yield number, [_csv_value(value) for value in values]


def _delimiter(sample: str) -> str:
    """The most common of ';' ',' and tab outside quotes in the header line; ';' for a single column."""
    header = next((line for line in sample.splitlines() if line.strip()), "")
    unquoted = re.sub(r'"[^"]*"', "", header)
    counts = {delimiter: unquoted.count(delimiter) for delimiter in (";", ",", "\t")}
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] else ";"


def _csv_value(text: str) -> object:
    if not text:
        return None
    if text.startswith("'") and text[1:].startswith(_FORMULA_STARTS):
        return text[1:]  # undo the guard that write_table adds
    return text


_NOT_XLSX = (zipfile.BadZipFile, InvalidFileException, KeyError, IndexError, OSError, ValueError, TypeError,
             SyntaxError)  # SyntaxError: xml.etree's ParseError for broken XML inside the zip


def _xlsx_rows(path: Path, limit: int) -> list[_Line]:
    if not zipfile.is_zipfile(path):
        raise SpreadsheetError(f"”{path.name}” är ingen Excel-fil (.xlsx) och kan inte läsas.")
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except _NOT_XLSX as error:
        raise SpreadsheetError(f"”{path.name}” är ingen Excel-fil (.xlsx) och kan inte läsas.") from error
    try:
        sheet = workbook.worksheets[0]
        # Some programs declare a far too large sheet (A1:XFD1048576); read the cells that are there instead.
        sheet.reset_dimensions()
        return _bounded(_sheet_rows(sheet), limit)
    except _NOT_XLSX as error:
        raise SpreadsheetError(f"”{path.name}” kan inte läsas som en Excel-fil.") from error
    finally:
        workbook.close()


def _sheet_rows(sheet) -> Iterator[_Line]:
    number = 0
    for cells in sheet.iter_rows():
        # openpyxl yields missing rows as empty ones; a cell's own row number keeps the count honest.
        number = next((cell.row for cell in cells if getattr(cell, "row", None)), number + 1)
        yield number, [_xlsx_value_read(cell) for cell in cells]


def _xlsx_value_read(cell) -> object:
    """A date-formatted cell at midnight comes back as a ``date``, so dates survive a round trip."""
    value = cell.value
    if isinstance(value, datetime) and value.time() == time() and not _has_time(getattr(cell, "number_format", "")):
        return value.date()
    return value


def _has_time(number_format: str) -> bool:
    """Whether an Excel number format shows hours or seconds (ignoring [locale] and "literal" parts)."""
    return bool(re.search(r"[hs]", re.sub(r"\[[^\]]*\]|\"[^\"]*\"", "", str(number_format).lower())))
