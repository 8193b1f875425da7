"""A streaming reader for the first worksheet of an XLSX workbook, with limits checked while reading.

An XLSX file is a zip of XML parts; a small file can unpack into gigabytes (a huge shared-strings
table, millions of empty rows). This reader never trusts the sizes the zip declares: it counts the
bytes it inflates, the shared strings and their characters, the rows, the columns and each cell's
length as it goes, and stops at the first limit passed with an `XlsxLimit` that says which one.
Memory stays bounded by the limits: only the shared strings are kept (at most `max_string_chars`
characters), rows are yielded one at a time. DTDs and entities are refused (defusedxml).
"""

import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from defusedxml import ElementTree

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CELL_REF = re.compile(r"([A-Z]{1,3})(\d*)$")


@dataclass(frozen=True)
class XlsxLimits:
    part_bytes: int = 50 * 1024 * 1024  # uncompressed size of any one XML part read
    strings: int = 200_000  # entries of the shared-strings table
    string_chars: int = 20_000_000  # characters of all shared strings together
    rows: int = 5001  # rows with data, header included
    columns: int = 100  # the widest row
    cell_chars: int = 10_000  # the longest cell


class XlsxError(Exception):
    """The workbook cannot be read (not a zip, parts missing, malformed XML)."""


class XlsxLimit(XlsxError):
    """The workbook passes one of the limits; `what` names it and `line` is the row, if known."""

    def __init__(self, what: str, *, line: int | None = None):
        super().__init__(what)
        self.what = what
        self.line = line


class _Counted:
    """A file-like view of a zip member that refuses to inflate more than `limit` bytes."""

    def __init__(self, raw, *, limit: int, name: str):
        self._raw = raw
        self._left = limit
        self._limit = limit
        self._name = name

    def read(self, size: int = -1) -> bytes:
        size = 64 * 1024 if size is None or size < 0 else min(size, 64 * 1024)
        data = self._raw.read(size)
        self._left -= len(data)
        if self._left < 0:
            raise XlsxLimit(f"the part {self._name} unpacks to more than {self._limit // (1024 * 1024)} MB")
        return data


def _events(book: zipfile.ZipFile, name: str, limits: XlsxLimits, events=("end",)):
    try:
        raw = book.open(name)
    except KeyError:
        raise XlsxError(f"the part {name} is missing")
    with raw:
        try:
            yield from ElementTree.iterparse(
                _Counted(raw, limit=limits.part_bytes, name=name), events=events, forbid_dtd=True
            )
        except XlsxLimit:
            raise
        except Exception as exc:  # ParseError, DTDForbidden, EntitiesForbidden, zlib errors
            raise XlsxError(f"the part {name} is not valid XML ({exc.__class__.__name__})")


def _first_sheet(book: zipfile.ZipFile, limits: XlsxLimits) -> str:
    """The part of the workbook's active sheet (as Excel opens it), else its first sheet."""
    sheets, active = [], 0
    for _, element in _events(book, "xl/workbook.xml", limits):
        if element.tag == f"{MAIN}workbookView":
            active = int(element.get("activeTab", "0") or 0)
        elif element.tag == f"{MAIN}sheet":
            sheets.append(element.get(f"{REL}id"))
    if not sheets:
        raise XlsxError("the workbook has no sheet")
    wanted = sheets[active] if active < len(sheets) else sheets[0]
    targets = {}
    for _, element in _events(book, "xl/_rels/workbook.xml.rels", limits):
        if element.tag == f"{PACKAGE_REL}Relationship":
            targets[element.get("Id")] = element.get("Target", "")
    target = targets.get(wanted)
    if not target:
        raise XlsxError("the workbook's sheet cannot be found")
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))


def _text(element) -> str:
    """The text of a shared string or an inline string: plain or rich-text runs, without phonetics."""
    direct = element.find(f"{MAIN}t")
    if direct is not None:
        return direct.text or ""
    return "".join(run.findtext(f"{MAIN}t") or "" for run in element.findall(f"{MAIN}r"))


def _shared_strings(book: zipfile.ZipFile, limits: XlsxLimits) -> list[str]:
    if "xl/sharedStrings.xml" not in book.namelist():
        return []
    strings, chars = [], 0
    for _, element in _events(book, "xl/sharedStrings.xml", limits):
        if element.tag != f"{MAIN}si":
            continue
        value = _text(element)
        element.clear()
        chars += len(value)
        strings.append(value)
        if len(strings) > limits.strings:
            raise XlsxLimit(f"the workbook holds more than {limits.strings:,} distinct texts")
        if chars > limits.string_chars:
            raise XlsxLimit(f"the workbook's texts add up to more than {limits.string_chars:,} characters")
    return strings


def _column(ref: str | None, default: int) -> int:
    match = CELL_REF.match(ref or "")
    if not match:
        return default
    index = 0
    for letter in match.group(1):
        index = index * 26 + ord(letter) - 64
    return index - 1


def _number(text: str):
    try:
        value = float(text)
    except ValueError:
        return text
    return int(value) if value.is_integer() and "e" not in text.lower() and "." not in text else value


def xlsx_rows(content, *, limits: XlsxLimits = XlsxLimits()) -> Iterator[tuple[int, list]]:
    """Yield (row number, values) for each row of the first sheet that has a cell; values are
    str, int, float or bool, None for a gap. Raises XlsxError or XlsxLimit."""
    try:
        book = zipfile.ZipFile(content)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise XlsxError("not a zip file")
    with book:
        sheet = _first_sheet(book, limits)
        strings = _shared_strings(book, limits)
        rows = elements = 0
        line = 0
        values: list = []
        cells = 0
        parent = current = None
        for event, element in _events(book, sheet, limits, events=("start", "end")):
            tag = element.tag
            if event == "start":
                if tag == f"{MAIN}sheetData":
                    parent = element
                elif tag == f"{MAIN}row":
                    current, values, cells = element, [], 0
                    line = int(element.get("r") or line + 1)
                    elements += 1
                    if elements > limits.rows * 10:
                        raise XlsxLimit(f"the sheet has more than {limits.rows - 1:,} rows")
                continue
            if tag == f"{MAIN}c":
                cells += 1
                column = _column(element.get("r"), len(values))
                if column >= limits.columns or cells > limits.columns:
                    raise XlsxLimit(f"a row has more than {limits.columns} columns", line=line)
                value = _value(element, strings)
                if isinstance(value, str) and len(value) > limits.cell_chars:
                    raise XlsxLimit(f"a cell is longer than {limits.cell_chars:,} characters", line=line)
                if value is not None:
                    values.extend([None] * (column - len(values) + 1))
                    values[column] = value
                if current is not None:
                    current.remove(element)  # keeps a row's memory flat however many cells it has
            elif tag == f"{MAIN}row":
                if parent is not None:
                    parent.clear()  # keeps the sheet's memory flat however many rows it has
                if any(v not in (None, "") for v in values):
                    rows += 1
                    if rows > limits.rows:
                        raise XlsxLimit(f"the sheet has more than {limits.rows - 1:,} rows")
                    yield line, values
                current = None


def _value(cell, strings: list[str]):
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        inline = cell.find(f"{MAIN}is")
        return _text(inline) if inline is not None else ""
    raw = cell.findtext(f"{MAIN}v")
    if raw is None:
        return None
    if kind == "s":
        try:
            return strings[int(raw)]
        except (ValueError, IndexError):
            raise XlsxError("a cell points to a text that does not exist")
    if kind == "b":
        return raw == "1"
    if kind in ("str", "e"):
        return raw
    return _number(raw)
