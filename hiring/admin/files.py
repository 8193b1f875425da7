"""Admin download views of private files (hiring/uploads.py).

A ModelAdmin with this mixin gets one URL per `PrivateFileField` of its model,
`<object_id>/download/<field>/` named `<app>_<model>_download_<field>` (the `url` of every stored
private file points there, so widgets, read-only fields and history pages link to it). The view
looks the object up by id outside the admin's own queryset, so that people who do not see the
model's pages (interviewers) can still be granted its files, and answers 404 to everyone whom
`may_download` refuses, whatever the reason. Each download is written to the access log.
"""

from django.contrib.admin.utils import unquote
from django.http import Http404, HttpResponseNotAllowed
from django.urls import path
from django.utils.text import slugify

from hiring.middleware import mark_access_logged
from hiring.privacy import access_log_record
from hiring.selectors import candidate_files_readable_by, company_id_of
from hiring.uploads import PrivateFileField, download_url_name, file_response

ACCEPT = ".pdf,.docx,.odt,.rtf,.txt,application/pdf,text/plain,application/rtf"


class PrivateFileDownloadMixin:
    """For the admin of a model with private file fields: download views, permission-checked."""

    def private_file_fields(self) -> list[PrivateFileField]:
        return [f for f in self.model._meta.get_fields() if isinstance(f, PrivateFileField)]

    def get_urls(self):
        urls = [
            path(
                f"<path:object_id>/download/{field.name}/",
                self.admin_site.admin_view(self.file_download_view),
                {"field_name": field.name},
                name=download_url_name(self.model, field.name),
            )
            for field in self.private_file_fields()
        ]
        return [*urls, *super().get_urls()]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(db_field, PrivateFileField) and field is not None:
            field.widget.attrs.setdefault("accept", ACCEPT)
        return field

    # -- hooks ---------------------------------------------------------------------------------

    def file_candidate(self, obj):
        """The candidate whose file this is (the object itself for a candidate)."""
        return obj

    def may_download(self, request, obj, field_name: str) -> bool:
        return candidate_files_readable_by(user=request.user, candidate=self.file_candidate(obj))

    def download_filename(self, obj, field_name: str) -> str:
        """The saved file's name, without extension (the view adds the content's)."""
        return f"{slugify(str(obj)) or self.model._meta.model_name}-{field_name}"

    # -- the view ------------------------------------------------------------------------------

    def file_download_view(self, request, object_id, field_name):
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        try:
            obj = self.model._default_manager.filter(pk=unquote(object_id)).first()
        except (ValueError, TypeError):
            obj = None
        if obj is None or not self.may_download(request, obj, field_name):
            raise Http404("No such file.")
        file = getattr(obj, field_name)
        if not file:
            raise Http404("No such file.")
        try:
            response = file_response(file, filename=self.download_filename(obj, field_name))
        except FileNotFoundError as exc:
            raise Http404("The file is missing from storage.") from exc
        access_log_record(
            user=request.user,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            view=f"download {field_name}",
            company_id=company_id_of(obj),
        )
        return mark_access_logged(response)
