"""Hostile import files: zip bombs, millions of rows, huge cells. Each is refused with a message
that says what was too big, while reading, with little memory; nothing is written."""

import io
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook

from hiring.imports import MAX_CELL_CHARS, ImportRefused, applications_import, import_file_read
from hiring.models import Application, Candidate
from hiring.xlsx import XlsxLimit, XlsxLimits, xlsx_rows
from tests.hiring.factories import JobFactory, JobStageFactory

pytestmark = pytest.mark.django_db

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
WORKBOOK = (
    f'<workbook {NS} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="People" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>job_id</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>email</t></is></c><c r="C1" t="inlineStr"><is><t>name</t></is></c></row>'
)


def workbook(sheet_chunks, shared_chunks=None) -> bytes:
    """An XLSX file written part by part from iterables of XML text, so that a file that unpacks to
    hundreds of megabytes is made without holding them."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        book.writestr("xl/workbook.xml", WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", RELS)
        parts = (("xl/worksheets/sheet1.xml", sheet_chunks), ("xl/sharedStrings.xml", shared_chunks))
        for name, chunks in parts:
            if chunks is None:
                continue
            with book.open(name, "w", force_zip64=True) as part:
                for chunk in chunks:
                    part.write(chunk.encode())
    return out.getvalue()


def sheet(rows):
    yield f"<worksheet {NS}><sheetData>"
    yield from rows
    yield "</sheetData></worksheet>"


def repeated(text: str, times: int, batch: int = 10_000):
    for _ in range(times // batch):
        yield text * batch


def refused_with_little_memory(content: bytes, name: str, match: str):
    tracemalloc.start()
    try:
        with pytest.raises(ImportRefused, match=match):
            import_file_read(content=content, file_name=name)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 100 * 1024 * 1024, f"{peak / 1e6:.0f} MB"
    assert not Candidate.objects.exists() and not Application.objects.exists()
    return peak


def test_millions_of_tiny_rows_are_refused_at_the_row_limit(settings):
    # given 11.7 million one-cell rows (about 1 MB packed, over 500 MB unpacked)
    settings.HIRELOOP_IMPORT_MAX_ROWS = 5000
    row = '<row><c t="inlineStr"><is><t>a</t></is></c></row>'
    content = workbook(sheet([HEADER_ROW, *repeated(row, 11_700_000)]))
    assert len(content) < 5 * 1024 * 1024
    # then the reader stops at row 5001 instead of reading the sheet
    refused_with_little_memory(content, "bomb.xlsx", "more than 5000 rows")


def test_a_huge_shared_strings_table_is_refused_while_reading():
    shared = [f"<sst {NS}>", *repeated("<si><t>x</t></si>", 3_000_000), "</sst>"]
    content = workbook(sheet([HEADER_ROW]), shared)
    assert len(content) < 1024 * 1024
    refused_with_little_memory(content, "strings.xlsx", "more than 200,000 distinct texts")


def test_a_shared_string_of_many_megabytes_is_refused_by_the_unpacked_size():
    shared = [f"<sst {NS}><si><t>", *repeated("y", 80_000_000, batch=1_000_000), "</t></si></sst>"]
    content = workbook(sheet([HEADER_ROW]), shared)
    refused_with_little_memory(content, "long.xlsx", "unpacks to more than 50 MB")


def test_a_row_of_a_million_cells_is_refused_at_the_column_limit():
    cells = repeated('<c t="inlineStr"><is><t>z</t></is></c>', 1_000_000)
    content = workbook(sheet([HEADER_ROW, '<row r="2">', *cells, "</row>"]))
    message = "Line 2: The workbook was refused: a row has more than 100 columns"
    refused_with_little_memory(content, "wide.xlsx", message)


def test_a_long_xlsx_cell_is_refused_with_its_line():
    book = Workbook()
    book.active.append(["job_id", "email", "name"])
    book.active.append([1, "ada@example.org", "Ada"])
    book.active.append([1, "grace@example.org", "G" * (MAX_CELL_CHARS + 1)])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ImportRefused, match="Line 3: a cell is longer than 10,000 characters"):
        import_file_read(content=out.getvalue(), file_name="x.xlsx")


def test_a_workbook_with_a_dtd_is_refused():
    dtd = '<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol">]>'
    bomb = dtd + f"<worksheet {NS}><sheetData/></worksheet>"
    content = workbook([bomb])
    with pytest.raises(ImportRefused, match="XLSX"):
        import_file_read(content=content, file_name="x.xlsx")


def test_csv_cell_over_the_csv_modules_limit_is_refused_with_its_line():
    text = "job_id,email,name\n1,ada@example.org,Ada\n" + '1,grace@example.org,"' + "G" * 200_000 + '"\n'
    with pytest.raises(ImportRefused, match="Line 3: a cell is longer than 10,000 characters"):
        import_file_read(content=text.encode(), file_name="x.csv")


def test_csv_cell_over_our_limit_is_refused_with_its_line():
    text = "job_id,email,name\n1,ada@example.org,Ada\n1,b@example.org,B\n"
    text += "1,c@example.org," + "C" * 10_001 + "\n"
    with pytest.raises(ImportRefused, match="Line 4: a cell is longer than 10,000 characters"):
        import_file_read(content=text.encode(), file_name="x.csv")


def test_the_streaming_reader_reads_what_excel_writes(company):
    # given a workbook written by openpyxl: shared strings, numbers, a gap, a second sheet before it
    job = JobFactory(company=company)
    JobStageFactory(job=job, position=0, name="Screen")
    book = Workbook()
    book.active.title = "Notes"
    people = book.create_sheet("People")
    people.append(["job_id", "email", "name", "phone"])
    people.append([job.pk, "ada@example.org", "Ada Lovelace", None])
    people.append([])
    people.append([job.pk, "grace@example.org", "Grace Hopper", 12345])
    book.active = 1
    out = io.BytesIO()
    book.save(out)
    # when it is read
    rows = list(xlsx_rows(io.BytesIO(out.getvalue())))
    # then the active sheet's rows come back with their numbers and typed values
    assert rows == [
        (1, ["job_id", "email", "name", "phone"]),
        (2, [job.pk, "ada@example.org", "Ada Lovelace"]),
        (4, [job.pk, "grace@example.org", "Grace Hopper", 12345]),
    ]
    report = applications_import(
        rows=import_file_read(content=out.getvalue(), file_name="x.xlsx"), company_ids=[company.pk]
    )
    assert report.ok and report.applications_created == 2
    assert Candidate.objects.get(email="grace@example.org").phone == "12345"


def test_rich_text_and_limits_of_the_reader():
    shared = [f"<sst {NS}><si><r><t>Ada </t></r><r><t>Lovelace</t></r></si></sst>"]
    content = workbook(sheet([HEADER_ROW, '<row r="2"><c r="C2" t="s"><v>0</v></c></row>']), shared)
    assert list(xlsx_rows(io.BytesIO(content)))[1] == (2, [None, None, "Ada Lovelace"])
    with pytest.raises(XlsxLimit, match="more than 0 rows"):
        list(xlsx_rows(io.BytesIO(content), limits=XlsxLimits(rows=1)))
