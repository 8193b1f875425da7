"""The text of a candidate's résumé, read once at upload for search.

PDF (pypdf) and DOCX (python-docx) are read; plain text as it is; other kinds (ODT, RTF) are not
read and simply not searched. The text is cut to RESUME_TEXT_MAX_CHARS and to MAX_PAGES pages. A
file that cannot be read never stops the upload: the résumé is stored all the same, with no text.
"""

import io
import logging

from django.db import transaction
from django.utils import timezone

from .models import Candidate, ResumeText
from .search_data import RESUME_TEXT_MAX_CHARS
from .uploads import upload_kind

logger = logging.getLogger(__name__)

MAX_PAGES = 30  # pages of a PDF read (a résumé has a few; a 900-page upload is not read whole)
MAX_BYTES = 10 * 1024 * 1024


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    parts, size = [], 0
    for page in reader.pages[:MAX_PAGES]:
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
        if size >= RESUME_TEXT_MAX_CHARS:
            break
    return "\n".join(parts)


def _docx_text(data: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(data))
    parts, size = [], 0
    paragraphs = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            paragraphs.extend(cell.text for cell in row.cells)
    for text in paragraphs:
        parts.append(text)
        size += len(text) + 1
        if size >= RESUME_TEXT_MAX_CHARS:
            break
    return "\n".join(parts)


def resume_text_extract(data: bytes, kind: str) -> str:
    """The words of a document of the given kind ("pdf", "docx", "txt"), bounded; "" for other
    kinds. Raises whatever the reader raises on a broken file."""
    if kind == "pdf":
        text = _pdf_text(data)
    elif kind == "docx":
        text = _docx_text(data)
    elif kind == "txt":
        text = data.decode("utf-8", errors="replace")
    else:
        return ""
    # NUL bytes cannot be stored in PostgreSQL text; runs of blanks carry no words.
    text = " ".join(text.replace("\x00", " ").split())
    return text[:RESUME_TEXT_MAX_CHARS]


def _read(candidate: Candidate) -> tuple[bytes, str] | None:
    file = candidate.resume
    if not file or file.size > MAX_BYTES:
        return None
    file.open("rb")
    try:
        kind = upload_kind(file).key
        file.seek(0)
        data = file.read()
    finally:
        file.close()
    return data, kind


@transaction.atomic
def candidate_resume_text_refresh(*, candidate: Candidate) -> ResumeText | None:
    """Read the text of the candidate's résumé into their ResumeText row (removed when they have
    no résumé). A file that cannot be read leaves an empty text, logged, and never raises."""
    if not candidate.resume:
        ResumeText.objects.filter(candidate_id=candidate.pk).delete()
        return None
    try:
        read = _read(candidate)
        text = resume_text_extract(*read) if read else ""
    except Exception as exc:  # any failure of a reader on any file: the upload stands, unsearched
        logger.info("The résumé of candidate %s could not be read for search: %r", candidate.pk, exc)
        text = ""
    row, _ = ResumeText.objects.update_or_create(
        candidate_id=candidate.pk,
        defaults={"company_id": candidate.company_id, "text": text, "extracted_at": timezone.now()},
    )
    return row
