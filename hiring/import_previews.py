"""Import previews: a checked file kept privately until it is confirmed once, cancelled or stale.

The file sits in HIRELOOP_IMPORT_DIR (default `var/imports` in the project; the folder mode 0700,
each file 0600), never in the shared temporary folder. Its `ImportPreview` row is the lock: a
confirmation takes the row with SELECT ... FOR UPDATE and imports only from a pending preview, so
two tabs confirming at once import once and the second is told so. A preview is deleted on
confirm, on cancel, by the sweep once an hour old, and by the erasure of a candidate it names.
"""

import datetime
import os
import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .imports import ImportReport, applications_import, import_file_read
from .models import ImportPreview, ImportPreviewStatus
from .personal_data import Erasure

PREVIEW_TTL = datetime.timedelta(hours=1)


class ImportPreviewGone(Exception):
    """No pending preview of this user by that id: expired, cancelled, swept or never there."""

    message = "This import has expired; upload the file again."


class ImportAlreadyDone(Exception):
    """The preview was confirmed already (a second click, another tab)."""

    message = "This file was already imported (a second click or another tab); nothing was imported twice."


def import_preview_dir() -> Path:
    """The private import folder, created with mode 0700 (and set to it if it was wider)."""
    folder = Path(settings.HIRELOOP_IMPORT_DIR)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if folder.stat().st_mode & 0o777 != 0o700:
        folder.chmod(0o700)
    return folder


def _path(preview: ImportPreview) -> Path:
    return import_preview_dir() / preview.file_name


def _unlink_after_commit(paths: list[Path]) -> None:
    def unlink():
        for path in paths:
            path.unlink(missing_ok=True)

    transaction.on_commit(unlink)


@transaction.atomic
def import_preview_create(*, content: bytes, upload_name: str, user, company_ids) -> ImportPreview:
    """Keep a checked file for its confirmation: its row, and the file written with mode 0600.
    Stale previews are swept on the way."""
    import_previews_sweep()
    preview = ImportPreview(
        id=uuid.uuid4(),
        user=user,
        company_ids=sorted(company_ids),
        upload_name=upload_name[:255],
        created_at=timezone.now(),
    )
    preview.save(force_insert=True)
    descriptor = os.open(_path(preview), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(content)
    return preview


@transaction.atomic
def import_preview_confirm(*, preview_id, user, company_ids, notify_candidates: bool = False) -> ImportReport:
    """Import a pending preview of `user`, once: the row is locked, a preview already confirmed
    raises ImportAlreadyDone, a missing, cancelled or stale one ImportPreviewGone. A file whose
    rows no longer pass (a job closed meanwhile) is dropped and its report (the errors) returned.
    With notify_candidates each new application's candidate gets the "application received" email."""
    preview = ImportPreview.objects.select_for_update().filter(pk=preview_id, user=user).first()
    if preview is None or preview.status == ImportPreviewStatus.CANCELLED:
        raise ImportPreviewGone
    if preview.status == ImportPreviewStatus.IMPORTED:
        raise ImportAlreadyDone
    path = _path(preview)
    if preview.created_at < timezone.now() - PREVIEW_TTL or not path.exists():
        raise ImportPreviewGone
    rows = import_file_read(content=path.read_bytes(), file_name=preview.file_name)
    report = applications_import(
        rows=rows, company_ids=company_ids, actor=user, notify_candidates=notify_candidates
    )
    # A file whose rows no longer pass cannot be confirmed again either: it goes as if cancelled.
    status = ImportPreviewStatus.IMPORTED if report.ok else ImportPreviewStatus.CANCELLED
    ImportPreview.objects.filter(pk=preview.pk).update(
        status=status, consumed_at=timezone.now(), upload_name=""
    )
    _unlink_after_commit([path])
    return report


@transaction.atomic
def import_preview_cancel(*, preview_id, user) -> bool:
    """Drop a pending preview of `user` and its file. False when there was none to cancel."""
    preview = (
        ImportPreview.objects.select_for_update()
        .filter(pk=preview_id, user=user, status=ImportPreviewStatus.PENDING)
        .first()
    )
    if preview is None:
        return False
    ImportPreview.objects.filter(pk=preview.pk).update(
        status=ImportPreviewStatus.CANCELLED, consumed_at=timezone.now(), upload_name=""
    )
    _unlink_after_commit([_path(preview)])
    return True


@transaction.atomic
def import_previews_sweep(*, now: datetime.datetime | None = None) -> int:
    """Delete previews (rows and files) older than an hour, and any file of the import folder older
    than that which no row names (left by a crash). Idempotent; returns how many files went."""
    now = now or timezone.now()
    cutoff = now - PREVIEW_TTL
    folder = import_preview_dir()
    stale = ImportPreview.objects.filter(created_at__lt=cutoff)
    stale_names = {preview.file_name for preview in stale.only("id", "upload_name")}
    stale.delete()
    live = {preview.file_name for preview in ImportPreview.objects.only("id", "upload_name")}
    removed = 0
    for path in folder.iterdir():
        if not path.is_file() or path.name in live:
            continue
        if path.name in stale_names or path.stat().st_mtime < cutoff.timestamp():
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def import_previews_forget(erasure: Erasure) -> int:
    """Erasure hook: delete the pending previews, checked in the candidate's company, that name one
    of the candidate's emails (a later confirmation would bring the erased data back). A file that
    cannot be read any more is deleted too. Returns how many previews went."""
    folder = import_preview_dir()
    doomed = []
    pending = ImportPreview.objects.select_for_update().filter(status=ImportPreviewStatus.PENDING)
    for preview in pending:
        if erasure.company_id not in preview.company_ids:
            continue
        path = folder / preview.file_name
        try:
            rows = import_file_read(content=path.read_bytes(), file_name=preview.file_name)
            named = any(row.get("email", "").lower() in erasure.emails for row in rows)
        except Exception:  # unreadable or gone: nothing worth keeping
            named = True
        if named:
            doomed.append(preview)
    ImportPreview.objects.filter(pk__in=[p.pk for p in doomed]).delete()
    _unlink_after_commit([folder / p.file_name for p in doomed])
    return len(doomed)
