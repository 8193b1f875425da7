"""Files people upload (résumés; later the candidates' own uploads and take-home hand-ins).

Three guarantees, for every field declared as a `PrivateFileField`:

- **Accepted by content, not by name.** `UploadValidator` reads the file: PDF, DOCX, ODT, RTF and
  plain text are accepted (the `filetype` library for the magic numbers, plus the checks it lacks:
  a DOCX or ODT is a ZIP archive holding the parts a word processor writes, plain text is UTF-8
  with no markup or script in it). Anything else (SVG, HTML, JavaScript, a ZIP, an image, a
  renamed file) is refused with a form error, as is a file over `HIRELOOP_UPLOAD_MAX_MB`.
- **Stored privately under a random name.** The files go to the `private` storage alias
  (`STORAGES["private"]`, a folder no URL serves, or a private bucket), named
  `<prefix>/<random hex>.<extension of the content>`: nothing of the uploader's file name is kept.
- **Read only through a permission-checked view.** A private file's `url` is the admin download
  view (`PrivateFileDownloadMixin`, `<app>_<model>_download_<field>`); `file_response` answers
  with an attachment that a browser never renders or runs. Who may read a candidate's files is
  `hiring.selectors.candidate_files_readable_by` (there, not here: hiring.models imports this
  module, which therefore imports nothing that reads the models); apps above hiring add their rules with
  `register_candidate_file_reader` (interviews: the interviewers on the candidate's interviews).
"""

import codecs
import re
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from django.urls import reverse
from django.utils.deconstruct import deconstructible
from django.utils.functional import LazyObject, empty

PRIVATE_STORAGE_ALIAS = "private"
# -- what is accepted -------------------------------------------------------------------------------


@dataclass(frozen=True)
class UploadKind:
    key: str
    label: str
    extension: str
    content_type: str


KINDS = {
    kind.key: kind
    for kind in (
        UploadKind("pdf", "PDF", ".pdf", "application/pdf"),
        UploadKind(
            "docx",
            "Word (.docx)",
            ".docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        UploadKind("odt", "OpenDocument text (.odt)", ".odt", "application/vnd.oasis.opendocument.text"),
        UploadKind("rtf", "RTF", ".rtf", "application/rtf"),
        UploadKind("txt", "plain text", ".txt", "text/plain"),
        UploadKind("png", "PNG image", ".png", "image/png"),
        UploadKind("jpeg", "JPEG image", ".jpg", "image/jpeg"),
        UploadKind("webp", "WebP image", ".webp", "image/webp"),
    )
}
DOCUMENTS = ("pdf", "docx", "odt", "rtf", "txt")
# Raster images a browser shows and never runs (no SVG): company logos.
IMAGES = ("png", "jpeg", "webp")
CONTENT_TYPES = {kind.extension: kind.content_type for kind in KINDS.values()}

# Names that say "markup or code" are refused whatever the content reads as: a browser or a
# desktop would treat the file as what its name says once it is saved under it.
REFUSED_EXTENSIONS = frozenset(
    ".htm .html .xhtml .shtml .svg .svgz .xml .xsl .xslt .js .mjs .cjs .jsx .ts .css .json .swf .php "
    ".exe .bat .cmd .com .scr .ps1 .sh .vbs .hta .jar .msi .dll .docm .dotm .xlsm .pptm".split()
)
_SNIFF_BYTES = 8192
_ZIP_MEMBER_MAX = 1 << 20  # the parts read to tell a document from a ZIP are small
_TEXT_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Markup a browser would render (HTML, SVG, XML) anywhere in a text file.
_MARKUP = re.compile(
    r"<\s*/?\s*(?:!doctype|html|head|body|script|style|svg|iframe|frame|object|embed|applet|meta|link"
    r"|base|form|img|a|div|span|table|math|xml)\b|<\?xml|<!--",
    re.IGNORECASE,
)
# Script, in the forms it takes in practice (a résumé never reads like this).
_SCRIPT = re.compile(
    r"\bfunction\s*[\w$]*\s*\([^()]{0,200}\)\s*\{"
    r"|\b(?:var|let|const)\s+[\w$]+\s*="
    r"|\b(?:document|window)\.(?:cookie|write|location|body|domain|createElement|getElementById"
    r"|querySelector\w*|addEventListener|open)\b"
    r"|\b(?:eval|alert|fetch|setTimeout|setInterval|atob)\("
    r"|\bXMLHttpRequest\b|\.innerHTML\b|^\s*import\s+[\w{*][^;\n]{0,200}\bfrom\s*[\"'][^\"'\n]+[\"']\s*;?\s*$",
    re.MULTILINE,
)


class UploadRefused(ValueError):
    """The content is not one of the accepted kinds; the message says what it is instead."""


def upload_max_bytes() -> int:
    return int(settings.HIRELOOP_UPLOAD_MAX_MB) * 1024 * 1024


def _read_all(file) -> bytes:
    file.seek(0)
    data = file.read()
    file.seek(0)
    return data if isinstance(data, bytes) else data.encode()


def _zip_kind(file) -> str:
    """Tell a word processor's archive ("docx", "odt") from any other ZIP (UploadRefused)."""
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and "content.xml" in names:
                info = archive.getinfo("mimetype")
                if info.file_size <= _ZIP_MEMBER_MAX and archive.read(info).strip() == (
                    KINDS["odt"].content_type.encode()
                ):
                    return "odt"
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                if any(n.lower().endswith("vbaproject.bin") for n in names):
                    raise UploadRefused("a Word document with macros")
                return "docx"
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, KeyError, RuntimeError) as exc:
        raise UploadRefused("a damaged or encrypted archive") from exc
    finally:
        file.seek(0)
    raise UploadRefused("a ZIP archive")


def _text_kind(data: bytes) -> str:
    """Plain text ("txt") that is readable; UploadRefused for markup, script or binary data."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise UploadRefused("binary data or text in an unknown encoding (plain text must be UTF-8)") from exc
    if _TEXT_CONTROL.search(text):
        raise UploadRefused("binary data")
    if _MARKUP.search(text):
        raise UploadRefused("HTML, SVG or XML markup")
    if _SCRIPT.search(text):
        raise UploadRefused("JavaScript")
    return "txt"


def upload_kind(file) -> UploadKind:
    """The accepted kind of a file, read from its content (the name plays no part); raises
    UploadRefused with what the content is otherwise. The file's position is kept."""
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        head = file.read(_SNIFF_BYTES)
        file.seek(0)
        if not head:
            raise UploadRefused("an empty file")
        guess = filetype.guess(bytes(head))
        if guess is None:
            return KINDS[_text_kind(_read_all(file))]
        if guess.extension in {"docx", "odt", "zip"}:
            return KINDS[_zip_kind(file)]
        if guess.extension == "pdf":
            return KINDS["pdf"]
        if guess.extension == "rtf":
            return KINDS["rtf"]
        if guess.extension in {"png", "jpg", "webp"}:
            return KINDS["jpeg" if guess.extension == "jpg" else guess.extension]
        raise UploadRefused(f"a .{guess.extension} file ({guess.mime})")
    finally:
        file.seek(position)


def _uploaded(value):
    """The new upload behind a form or model value, or None for a file already stored."""
    if isinstance(value, FieldFile):
        return None if value._committed else value.file
    return value


@deconstructible
class UploadValidator:
    """A field validator: the file is one of `kinds` by content and at most HIRELOOP_UPLOAD_MAX_MB.
    Files already stored are not read again (only new uploads are checked)."""

    def __init__(self, kinds: tuple[str, ...] = DOCUMENTS):
        self.kinds = tuple(kinds)

    def __eq__(self, other):
        return isinstance(other, UploadValidator) and self.kinds == other.kinds

    def accepted_labels(self) -> str:
        labels = [KINDS[k].label for k in self.kinds]
        return ", ".join(labels[:-1]) + f" or {labels[-1]}" if len(labels) > 1 else labels[0]

    def __call__(self, value):
        upload = _uploaded(value)
        if upload is None:
            return
        size = getattr(upload, "size", None)
        limit = upload_max_bytes()
        if size is not None and size > limit:
            raise ValidationError(
                "This file is %(size).1f MB; files may be at most %(limit)s MB.",
                code="file_too_large",
                params={"size": size / (1024 * 1024), "limit": settings.HIRELOOP_UPLOAD_MAX_MB},
            )
        extension = PurePosixPath(getattr(upload, "name", "") or "").suffix.lower()
        try:
            kind = upload_kind(upload)
            if kind.key not in self.kinds:
                raise UploadRefused(f"a {kind.extension} file ({kind.content_type})")
            if extension in REFUSED_EXTENSIONS:
                raise UploadRefused(f"named as a {extension} file")
        except UploadRefused as exc:
            raise ValidationError(
                "This file is not accepted: it is %(what)s. Upload a %(accepted)s file.",
                code="file_type",
                params={"what": exc, "accepted": self.accepted_labels()},
            ) from exc


# -- where files are stored ---------------------------------------------------------------------------


class PrivateStorage(LazyObject):
    """`STORAGES["private"]`, looked up when first used (and again when the setting changes)."""

    def _setup(self):
        self._wrapped = storages[PRIVATE_STORAGE_ALIAS]


_private_storage = PrivateStorage()


def private_storage():
    """The storage of private files; a callable so that migrations name it, not its location."""
    return _private_storage


def _reset_private_storage(*, setting, **kwargs):
    if setting == "STORAGES":
        _private_storage._wrapped = empty


setting_changed.connect(_reset_private_storage)


@deconstructible
class RandomName:
    """upload_to: `<prefix>/<32 random hex digits><extension of the content>`."""

    def __init__(self, prefix: str):
        self.prefix = prefix.strip("/")

    def __eq__(self, other):
        return isinstance(other, RandomName) and self.prefix == other.prefix

    def __call__(self, instance, filename: str) -> str:
        extension = PurePosixPath(filename).suffix.lower()
        if extension not in CONTENT_TYPES:
            extension = ""
        return f"{self.prefix}/{uuid.uuid4().hex}{extension}"


def download_url_name(model: type[models.Model], field_name: str) -> str:
    """The admin URL name of the download view of one private file field."""
    return f"{model._meta.app_label}_{model._meta.model_name}_download_{field_name}"


class PrivateFieldFile(FieldFile):
    """A stored private file: its name's extension comes from its content, its URL is the
    permission-checked download view (never a URL of the storage)."""

    def save(self, name, content, save=True):
        try:
            extension = upload_kind(content).extension
        except UploadRefused:
            extension = ""  # saved by code, not through a form: served as opaque bytes
        super().save(f"upload{extension}", content, save)

    save.alters_data = True

    @property
    def url(self):
        self._require_file()
        name = download_url_name(type(self.instance), self.field.name)
        return reverse(f"admin:{name}", args=[self.instance.pk])


class PrivateFileField(models.FileField):
    """A FileField in the private storage, under random names, validated by content."""

    attr_class = PrivateFieldFile

    def __init__(self, *args, storage=None, **kwargs):
        super().__init__(*args, storage=storage or private_storage, **kwargs)

    def upload_validator(self) -> UploadValidator | None:
        return next((v for v in self.validators if isinstance(v, UploadValidator)), None)


# -- who reads them, and how ----------------------------------------------------------------------------

CandidateFileReader = Callable[..., bool]
CANDIDATE_FILE_READERS: list[CandidateFileReader] = []


def register_candidate_file_reader(rule: CandidateFileReader) -> CandidateFileReader:
    """Add a rule `rule(*, user, candidate) -> bool` granting more users a candidate's files
    (registered from an app's AppConfig.ready(); hiring imports no app above it)."""
    if rule not in CANDIDATE_FILE_READERS:
        CANDIDATE_FILE_READERS.append(rule)
    return rule


def image_response(file: FieldFile) -> FileResponse:
    """A stored image (one of IMAGES, checked by content on upload) shown inline, never sniffed
    as anything else, in a sandbox, cacheable by anyone (a public logo).
    Raises FileNotFoundError when the storage no longer holds it."""
    extension = PurePosixPath(file.name).suffix.lower()
    content_type = CONTENT_TYPES.get(extension, "application/octet-stream")
    if not content_type.startswith("image/"):
        content_type = "application/octet-stream"
    response = FileResponse(file.storage.open(file.name, "rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "public, max-age=3600"
    return response


def file_response(file: FieldFile, *, filename: str) -> FileResponse:
    """The file as a download that a browser saves and never renders, sniffs or runs.
    Raises FileNotFoundError when the storage no longer holds it."""
    extension = PurePosixPath(file.name).suffix.lower()
    content_type = CONTENT_TYPES.get(extension, "application/octet-stream")
    handle = file.storage.open(file.name, "rb")
    response = FileResponse(
        handle, as_attachment=True, filename=f"{filename}{extension}", content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
