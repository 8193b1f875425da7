"""Import and export of applications: the filtered list as CSV, and a file import previewed with
its row-level errors before anything is written."""

import csv
import uuid
from itertools import islice

from django import forms
from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from hiring.admin.shared import _message_from
from hiring.admin_scoping import company_ids_for
from hiring.import_previews import (
    PREVIEW_TTL,
    ImportAlreadyDone,
    ImportPreviewGone,
    import_preview_cancel,
    import_preview_confirm,
    import_preview_create,
)
from hiring.imports import ImportRefused, applications_import, import_file_read, import_max_rows
from hiring.models import Company
from hiring.tagging import tag_names_for, tag_names_join

EXPORT_CHUNK = 2000


def batched(items, size: int):
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


class ApplicationTransferMixin:
    """The export and import views of the application admin."""

    def _can_export(self, request):
        return request.user.is_superuser or bool(company_ids_for(request, self.export_roles))

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        extra_context["can_export"] = self._can_export(request)
        extra_context["can_import"] = request.user.is_superuser or bool(
            company_ids_for(request, self.import_roles)
        )
        return super().changelist_view(request, extra_context)

    EXPORT_COLUMNS = (
        ("application_id", "pk"),
        ("candidate_name", "candidate__name"),
        ("candidate_email", "candidate__email"),
        ("job_id", "job_id"),
        ("job_title", "job__title"),
        ("stage", "stage__name"),
        ("status", "status"),
        ("source", "source"),
        ("applied_at", "applied_at"),
        ("stage_entered_at", "stage_entered_at"),
        ("rejection_reason", "rejection_reason__name"),
        ("decided_at", "decided_at"),
        ("hired_at", "hired_at"),
    )
    # Then "tags": the candidate's tags, comma-separated (the import reads the same column back).

    def import_view(self, request):
        return import_view(self, request)

    def export_view(self, request):
        """The filtered list as CSV, streamed; only companies where the user may export."""
        if not self._can_export(request):
            raise PermissionDenied
        try:
            queryset = self.get_changelist_instance(request).get_queryset(request)
        except IncorrectLookupParameters:
            return HttpResponseRedirect(reverse("admin:hiring_application_changelist") + "?e=1")
        if not request.user.is_superuser:
            queryset = queryset.filter(company_id__in=company_ids_for(request, self.export_roles))
        fields = [field for _, field in self.EXPORT_COLUMNS]
        rows = queryset.order_by("pk").values_list(*fields, "candidate_id")

        class Echo:
            def write(self, value):
                return value

        writer = csv.writer(Echo())

        def lines():
            yield writer.writerow([name for name, _ in self.EXPORT_COLUMNS] + ["tags"])
            for chunk in batched(rows.iterator(chunk_size=EXPORT_CHUNK), EXPORT_CHUNK):
                tags = tag_names_for(row[-1] for row in chunk)  # one query per chunk
                for *values, candidate_id in chunk:
                    names = tag_names_join(tag.name for tag in tags[candidate_id])
                    yield writer.writerow([_csv_safe(value) for value in [*values, names]])

        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="applications-{stamp}.csv"'
        return response


def _csv_safe(value):
    """Cells that a spreadsheet would run as a formula are quoted."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


IMPORT_SALT = "hiring.application-import"


IMPORT_MAX_BYTES = 50 * 1024 * 1024


class ImportUploadForm(forms.Form):
    file = forms.FileField(help_text="A .csv (UTF-8) or .xlsx file, one application per row.")
    notify_candidates = forms.BooleanField(
        required=False,
        initial=False,
        label="Send the application-received email to imported candidates",
        help_text="Off: imported candidates get no email. On: each new application (not one that "
        "is already there) gets the company's application-received email once.",
    )


def import_view(model_admin, request):
    """Upload, preview with row-level errors, then confirm: nothing is written until confirmed."""
    company_ids = (
        list(Company.objects.values_list("pk", flat=True))
        if request.user.is_superuser
        else sorted(company_ids_for(request, model_admin.import_roles))
    )
    if not company_ids:
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Import candidates and applications",
        "opts": model_admin.model._meta,
        "columns": ", ".join(COLUMN_HELP),
        "max_rows": import_max_rows(),
    }
    template = "admin/hiring/application/import.html"
    if request.method == "POST" and "token" in request.POST:
        if "cancel" in request.POST:
            return _import_cancel(model_admin, request)
        return _import_confirm(model_admin, request, company_ids, context, template)

    form = ImportUploadForm(request.POST or None, request.FILES or None)
    context["form"] = form
    if request.method != "POST" or not form.is_valid():
        return TemplateResponse(request, template, context)
    upload = form.cleaned_data["file"]
    if upload.size > IMPORT_MAX_BYTES:
        form.add_error("file", f"The file is larger than {IMPORT_MAX_BYTES // (1024 * 1024)} MB.")
        return TemplateResponse(request, template, context)
    content = upload.read()
    try:
        rows = import_file_read(content=content, file_name=upload.name)
        report = applications_import(rows=rows, company_ids=company_ids, actor=request.user, dry_run=True)
    except ImportRefused as exc:
        form.add_error("file", _message_from(exc))
        return TemplateResponse(request, template, context)
    context["report"] = report
    context["preview"] = rows[:20]
    if report.ok:
        preview = import_preview_create(
            content=content, upload_name=upload.name, user=request.user, company_ids=company_ids
        )
        notify = form.cleaned_data["notify_candidates"]
        token = {"preview": preview.pk.hex, "user": request.user.pk, "notify": notify}
        context["token"] = signing.dumps(token, salt=IMPORT_SALT)
        context["file_name"] = upload.name
        context["notify_candidates"] = notify
    return TemplateResponse(request, template, context)


def _import_token(request) -> dict:
    """The signed token of the form; 403 for a forged or stale token."""
    try:
        token = signing.loads(request.POST["token"], salt=IMPORT_SALT, max_age=PREVIEW_TTL.total_seconds())
    except signing.BadSignature:
        raise PermissionDenied(ImportPreviewGone.message)
    if token.get("user") != request.user.pk or not isinstance(token.get("preview"), str):
        raise PermissionDenied(ImportPreviewGone.message)
    try:
        uuid.UUID(hex=token["preview"])
    except ValueError:
        raise PermissionDenied(ImportPreviewGone.message)
    return token


def _import_preview_id(request) -> uuid.UUID:
    """The preview named by the signed token of the form."""
    return uuid.UUID(hex=_import_token(request)["preview"])


def _import_confirm(model_admin, request, company_ids, context, template):
    token = _import_token(request)
    try:
        report = import_preview_confirm(
            preview_id=uuid.UUID(hex=token["preview"]),
            user=request.user,
            company_ids=company_ids,
            # Chosen with the file, signed into the token: the confirmation cannot change it.
            notify_candidates=token.get("notify") is True,
        )
    except ImportAlreadyDone:
        model_admin.message_user(request, ImportAlreadyDone.message, messages.WARNING)
        return HttpResponseRedirect(reverse("admin:hiring_application_changelist"))
    except ImportPreviewGone:
        raise PermissionDenied(ImportPreviewGone.message)
    except ImportRefused as exc:
        model_admin.message_user(request, _message_from(exc), messages.ERROR)
        return HttpResponseRedirect(reverse("admin:hiring_application_import"))
    if not report.ok:
        context.update({"report": report, "form": ImportUploadForm()})
        return TemplateResponse(request, template, context)
    model_admin.message_user(request, f"Imported. {report.summary()}", messages.SUCCESS)
    return HttpResponseRedirect(reverse("admin:hiring_application_changelist"))


def _import_cancel(model_admin, request):
    import_preview_cancel(preview_id=_import_preview_id(request), user=request.user)
    model_admin.message_user(request, "Import cancelled; the file was deleted.", messages.INFO)
    return HttpResponseRedirect(reverse("admin:hiring_application_import"))


COLUMN_HELP = (
    "job_id or job_title",
    "email",
    "name",
    "phone",
    "location",
    "linkedin",
    "github",
    "website",
    "source",
    "stage",
    "tags",
)
