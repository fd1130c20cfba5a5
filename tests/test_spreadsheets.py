"""Tables as CSV and XLSX: Swedish headers, dates, formula injection and files that are not tables."""

import io
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum

import pytest
from openpyxl import Workbook, load_workbook
from PIL import Image

from admin.spreadsheets import SpreadsheetError, TableRow, read_table, write_table

HEADERS = ["Nr", "Fokusområde", "Händelsedatum", "Registrerad", "Plats", "Antal", "Andel", "Beskrivning"]
ROWS = [
    [1, "ANDTS", date(2026, 11, 3), datetime(2026, 11, 3, 14, 5), "Åby torg", 3, 0.5, "Langning vid kiosken"],
    [2, "Trygghet", date(2026, 11, 4), datetime(2026, 11, 4, 22, 30), None, -2, 2.25, "=HYPERLINK(\"http://x\")"],
    [3, "Våld", date(2026, 11, 5), None, "Östra skolan", 0, None, "+46 70 123 45 67"],
    [4, "Klotter", None, datetime(2026, 11, 6, 0, 0), "Ängen", 7, Decimal("1.5"), "-fasad-"],
    [5, "ANDTS", date(2026, 11, 7), datetime(2026, 11, 7, 9, 0), "@torget", 1, 0.0, "\tmed tabb"],
]


class Kind(Enum):
    EVENT = "handelse"


# --- CSV ---------------------------------------------------------------------------------------------------


def test_csv_is_written_for_swedish_excel(tmp_path):
    path = tmp_path / "observationer.csv"
    write_table(path, HEADERS, ROWS)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM makes Excel read UTF-8
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == ";".join(HEADERS)
    assert lines[1] == "1;ANDTS;2026-11-03;2026-11-03 14:05;Åby torg;3;0,5;Langning vid kiosken"
    assert lines[2] == "2;Trygghet;2026-11-04;2026-11-04 22:30;;-2;2,25;\"'=HYPERLINK(\"\"http://x\"\")\""
    assert lines[3].endswith(";'+46 70 123 45 67")
    assert lines[4].endswith(";'-fasad-") and ";1,5;" in lines[4]
    assert ";'@torget;" in lines[5] and lines[5].endswith(";'\tmed tabb")


def test_csv_round_trip_gives_text_back(tmp_path):
    path = tmp_path / "observationer.csv"
    write_table(path, HEADERS, ROWS)
    headers, rows = read_table(path)
    assert headers == HEADERS
    assert [row.number for row in rows] == [2, 3, 4, 5, 6]
    assert rows[0].values == ["1", "ANDTS", "2026-11-03", "2026-11-03 14:05", "Åby torg", "3", "0,5",
                              "Langning vid kiosken"]
    assert rows[1].values[4] is None and rows[1].values[5] == "-2"
    # The guard apostrophe comes off again.
    assert [row.values[7] for row in rows[1:]] == ["=HYPERLINK(\"http://x\")", "+46 70 123 45 67", "-fasad-",
                                                   "\tmed tabb"]
    assert rows[4].values[4] == "@torget"


def test_csv_writes_enums_booleans_and_rejects_aware_datetimes(tmp_path):
    path = tmp_path / "x.csv"
    write_table(path, ["Typ", "Klar"], [[Kind.EVENT, True], [None, False]])
    assert read_table(path)[1] == [TableRow(2, ["handelse", "ja"]), TableRow(3, [None, "nej"])]
    with pytest.raises(ValueError, match="naive local time"):
        write_table(path, ["Tid"], [[datetime(2026, 11, 3, 14, tzinfo=UTC)]])


def test_csv_in_windows_1252_is_read(tmp_path):
    path = tmp_path / "åtgärder.csv"
    path.write_bytes("Åtgärd;Ansvarig;Klart\r\nBelysning i gångtunneln;Gatukontoret;nej\r\n".encode("cp1252"))
    assert read_table(path) == (["Åtgärd", "Ansvarig", "Klart"],
                                [TableRow(2, ["Belysning i gångtunneln", "Gatukontoret", "nej"])])


def test_windows_1252_first_seen_far_into_the_file_still_switches_encoding(tmp_path):
    path = tmp_path / "lång.csv"
    lines = ["Nr;Text"] + [f"{n};rad {n}" for n in range(1, 5000)] + ["5000;Älvsjö"]
    path.write_bytes("\r\n".join(lines).encode("cp1252"))
    headers, rows = read_table(path)
    assert len(rows) == 5000 and rows[-1] == TableRow(5001, ["5000", "Älvsjö"])


def test_comma_delimited_csv_without_bom(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text('Plats,Beskrivning,Antal\nÖstra torget,"Stök, bråk; polis kallad",3\n', encoding="utf-8")
    assert read_table(path) == (["Plats", "Beskrivning", "Antal"],
                                [TableRow(2, ["Östra torget", "Stök, bråk; polis kallad", "3"])])


def test_tab_delimited_utf16_as_excel_saves_unicode_text(tmp_path):
    path = tmp_path / "unicode.csv"
    path.write_bytes("Område\tAntal\r\nÖster\t4\r\n".encode("utf-16"))
    assert read_table(path) == (["Område", "Antal"], [TableRow(2, ["Öster", "4"])])


def test_a_quoted_comma_in_the_header_does_not_decide_the_delimiter(tmp_path):
    path = tmp_path / "q.csv"
    path.write_text('"Plats, ort";Antal\nBorås;2\n', encoding="utf-8")
    assert read_table(path)[0] == ["Plats, ort", "Antal"]


def test_blank_rows_are_skipped_but_row_numbers_kept_and_rows_padded(tmp_path):
    path = tmp_path / "glest.csv"
    path.write_text("\n ; \nRubrik A; Rubrik B ;C;;\nett\n\n;;\n\"två\nrader\";x;y;;\nsista;;;\n",
                    encoding="utf-8")
    headers, rows = read_table(path)
    assert headers == ["Rubrik A", "Rubrik B", "C"]  # stripped, trailing empty columns dropped
    assert rows == [TableRow(4, ["ett", None, None]), TableRow(7, ["två\nrader", "x", "y"]),
                    TableRow(8, ["sista", None, None])]


def test_values_beyond_the_last_header_are_kept_under_an_empty_header(tmp_path):
    path = tmp_path / "extra.csv"
    path.write_text("A;B\n1;2;anteckning\n", encoding="utf-8")
    assert read_table(path) == (["A", "B", ""], [TableRow(2, ["1", "2", "anteckning"])])


# --- XLSX --------------------------------------------------------------------------------------------------


def test_xlsx_round_trip_keeps_types(tmp_path):
    path = tmp_path / "observationer.xlsx"
    write_table(path, HEADERS, ROWS, sheet_title="Observationer")
    headers, rows = read_table(path)
    assert headers == HEADERS
    assert [row.number for row in rows] == [2, 3, 4, 5, 6]
    assert rows[0].values == [1, "ANDTS", date(2026, 11, 3), datetime(2026, 11, 3, 14, 5), "Åby torg", 3, 0.5,
                              "Langning vid kiosken"]
    assert rows[1].values[4] is None and rows[1].values[5] == -2
    assert rows[3].values[2] is None and rows[3].values[3] == datetime(2026, 11, 6)  # midnight stays a time
    assert rows[3].values[6] == 1.5
    # No apostrophe in xlsx: the text is stored as text.
    assert [row.values[7] for row in rows[1:]] == ["=HYPERLINK(\"http://x\")", "+46 70 123 45 67", "-fasad-",
                                                   "\tmed tabb"]


def test_xlsx_looks_right_in_excel(tmp_path):
    path = tmp_path / "observationer.xlsx"
    write_table(path, HEADERS, ROWS, sheet_title="Observationer")
    sheet = load_workbook(path).worksheets[0]
    assert sheet.title == "Observationer"
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.b for cell in sheet[1])
    assert sheet["C2"].number_format == "yyyy-mm-dd" and sheet["D2"].number_format == "yyyy-mm-dd hh:mm"
    assert sheet["H3"].data_type == "s" and sheet["H3"].value.startswith("=")  # text, never a formula
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDEFGH"}
    assert widths["A"] == 8 and widths["C"] == 15 and widths["D"] == 18 and widths["H"] == 24
    with zipfile.ZipFile(path) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")


def test_xlsx_streams_many_rows_and_sizes_columns_from_a_sample(tmp_path):
    path = tmp_path / "stor.xlsx"
    long_text = "x" * 200
    rows = ((n, f"rad {n}", long_text if n == 5 else None) for n in range(1, 1501))  # a generator, read once
    write_table(path, ["Nr", "Text", "Lång"], rows)
    headers, read = read_table(path)
    assert len(read) == 1500 and read[-1] == TableRow(1501, [1500, "rad 1500", None])
    assert load_workbook(path).worksheets[0].column_dimensions["C"].width == 60  # capped


def test_xlsx_drops_control_characters_and_cleans_the_sheet_title(tmp_path):
    path = tmp_path / "kontroll.xlsx"
    write_table(path, ["Text"], [["före\x0befter\x00"]], sheet_title="Lägesbild [v. 48]: ANDTS/Trygghet och mer text")
    sheet = load_workbook(path).worksheets[0]
    assert sheet["A2"].value == "föreefter"
    assert sheet.title == "Lägesbild v. 48 ANDTS Trygghet"  # Excel: at most 31 characters, none of []:*?/\\


def test_xlsx_written_by_someone_else_with_gaps_and_a_second_sheet(tmp_path):
    path = tmp_path / "handlingsplan.xlsx"
    workbook = Workbook()
    first = workbook.active
    first.title = "Åtgärder"
    first["B3"], first["C3"] = " Åtgärd ", "Datum"
    first["B5"], first["C5"] = "Belysning", datetime(2026, 12, 1)
    first["C5"].number_format = "d mmmm yyyy"
    first["B9"] = "Kameror"
    first["F20"].number_format = "0"  # a formatted but empty cell far away
    workbook.create_sheet("Annat")["A1"] = "ska inte läsas"
    workbook.save(path)
    assert read_table(path) == (["", "Åtgärd", "Datum"],
                                [TableRow(5, [None, "Belysning", date(2026, 12, 1)]),
                                 TableRow(9, [None, "Kameror", None])])


# --- what is not a table -------------------------------------------------------------------------------------


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("name", ["bild.xlsx", "bild.csv"])
def test_a_renamed_png_is_refused(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(png_bytes())
    with pytest.raises(SpreadsheetError, match="ingen (Excel-fil|textfil)"):
        read_table(path)


def test_a_zip_that_is_no_workbook_is_refused(tmp_path):
    path = tmp_path / "arkiv.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hej")
    with pytest.raises(SpreadsheetError, match="ingen Excel-fil"):
        read_table(path)


def test_an_xlsx_named_csv_gets_a_hint(tmp_path):
    path = tmp_path / "data.csv"
    write_table(tmp_path / "data.xlsx", ["A"], [[1]])
    path.write_bytes((tmp_path / "data.xlsx").read_bytes())
    with pytest.raises(SpreadsheetError, match="Byt filändelsen till .xlsx"):
        read_table(path)


@pytest.mark.parametrize("content", [b"", b"\r\n\r\n", b"\xef\xbb\xbf", b" ; ;\n;\n"])
def test_an_empty_csv_is_refused(tmp_path, content):
    path = tmp_path / "tom.csv"
    path.write_bytes(content)
    with pytest.raises(SpreadsheetError, match="är tom"):
        read_table(path)


def test_an_empty_xlsx_is_refused(tmp_path):
    path = tmp_path / "tom.xlsx"
    Workbook().save(path)
    with pytest.raises(SpreadsheetError, match="är tom"):
        read_table(path)


def test_a_missing_file_and_unknown_formats_are_refused(tmp_path):
    with pytest.raises(SpreadsheetError, match="finns inte"):
        read_table(tmp_path / "saknas.csv")
    (tmp_path / "gammal.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(SpreadsheetError, match="äldre formatet .xls"):
        read_table(tmp_path / "gammal.xls")
    (tmp_path / "text.txt").write_text("A;B\n")
    with pytest.raises(SpreadsheetError, match="Okänt filformat"):
        read_table(tmp_path / "text.txt")
    with pytest.raises(ValueError, match=r"Okänt filformat ”\.ods”: använd \.csv eller \.xlsx"):
        write_table(tmp_path / "ut.ods", ["A"], [])


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_too_many_rows_are_refused(tmp_path, suffix):
    path = tmp_path / f"många{suffix}"
    write_table(path, ["Nr"], ([n] for n in range(6)))
    assert len(read_table(path, max_rows=6)[1]) == 6
    with pytest.raises(SpreadsheetError, match="fler än 5 rader"):
        read_table(path, max_rows=5)


def test_the_default_limit_is_10_000_rows(tmp_path):
    path = tmp_path / "stor.csv"
    write_table(path, ["Nr"], ([n] for n in range(10_001)))
    with pytest.raises(SpreadsheetError, match="Filen har fler än 10 000 rader"):
        read_table(path)


def test_a_failing_export_leaves_no_file_behind(tmp_path):
    def rows():
        yield [1]
        raise RuntimeError("databasen svarar inte")

    for name in ("ut.csv", "ut.xlsx"):
        with pytest.raises(RuntimeError):
            write_table(tmp_path / name, ["Nr"], rows())
    assert list(tmp_path.iterdir()) == []
