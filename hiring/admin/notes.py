"""Admin for notes: the list of a company's notes, the notes panels of the application and
candidate pages with their add forms, and the page that writes emails to candidates.

Presentation only: notes are written by hiring.note_services, emails by
interviews.notifications.compose. The hiring team (company admins, recruiters, hiring managers)
reads and writes notes; interviewers see no notes list and open neither page. Company admins and
recruiters write to candidates.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import Truncator

from hiring.admin import extensions
from hiring.admin.shared import CompanyFilter, _message_from
from hiring.admin_scoping import CompanyScopedAdminMixin, company_ids_for
from hiring.models import Application, Candidate, Note
from hiring.note_services import MENTION_HELP, application_notes, candidate_notes, note_create, notes_readable
from hiring.notes import NOTE_MAX_CHARS
from hiring.roles import READERS, RECRUITERS
from interviews.notifications.compose import (
    candidate_email_previews,
    candidate_emails_send,
    composable_templates,
    compose_token,
)
from interviews.notifications.events import VARIABLES, NotificationEvent
from interviews.notifications.templates import notification_templates_resolve


class NoteForm(forms.Form):
    body = forms.CharField(max_length=NOTE_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 3}))
    private_to_hiring_team = forms.BooleanField(required=False)


def page_notes(request, application) -> list[Note]:
    """The notes of the application page, read once for the panel and the timeline."""
    if not hasattr(application, "page_notes"):
        application.page_notes = application_notes(application=application, user=request.user)
    return application.page_notes


def _writes_to_candidates(request, company_id: int) -> bool:
    return request.user.is_superuser or company_id in company_ids_for(request, RECRUITERS)


def _panel(request, *, notes, add_url, write_url="", show_job=False):
    return render_to_string(
        "admin/hiring/note/panel.html",
        {
            "notes": [n for n in notes if n.kind == "note"],
            "add_url": add_url,
            "write_url": write_url,
            "mention_help": MENTION_HELP,
            "max_chars": NOTE_MAX_CHARS,
            "show_job": show_job,
        },
        request=request,
    )


def notes_panel(request, application) -> str:
    """The application page's notes (its own and its candidate's) with the add form."""
    write_url = ""
    if _writes_to_candidates(request, application.company_id):
        write_url = f"{reverse('admin:hiring_note_write')}?ids={application.pk}"
    return _panel(
        request,
        notes=page_notes(request, application),
        add_url=reverse("admin:hiring_note_add_to_application", args=[application.pk]),
        write_url=write_url,
    )


def candidate_notes_panel(request, candidate) -> str:
    """The candidate page's notes (on the candidate and each of their applications)."""
    return _panel(
        request,
        notes=candidate_notes(candidate=candidate, user=request.user),
        add_url=reverse("admin:hiring_note_add_to_candidate", args=[candidate.pk]),
        show_job=True,
    )


def timeline_with_notes(changes: list, notes: list[Note]) -> list:
    """The stage changes and the notes and emails of an application page, oldest first."""
    return sorted([*changes, *notes], key=lambda entry: (entry.created_at, isinstance(entry, Note), entry.pk))


extensions.register_application_panel(notes_panel)


@admin.action(description="Write to the selected candidates")
def write_to_candidates(modeladmin, request, queryset):
    """The application list's action: open the compose page for the selected applications."""
    cap = settings.HIRELOOP_BULK_MAX
    companies = set(queryset.order_by().values_list("company_id", flat=True).distinct()[: cap + 1])
    if not all(_writes_to_candidates(request, company_id) for company_id in companies):
        modeladmin.message_user(
            request, "Only company admins and recruiters write to candidates.", messages.ERROR
        )
        return None
    ids = list(queryset.order_by("pk").values_list("pk", flat=True)[: cap + 1])
    if len(ids) > cap:
        modeladmin.message_user(
            request,
            f"More than {cap} applications selected: at most {cap} are written to at once. "
            "Nothing was sent; narrow the list and try again.",
            messages.ERROR,
        )
        return None
    return HttpResponseRedirect(f"{reverse('admin:hiring_note_write')}?ids={','.join(map(str, ids))}")


class ComposeForm(forms.Form):
    subject = forms.CharField(max_length=300)
    body = forms.CharField(max_length=20000, widget=forms.Textarea(attrs={"rows": 12, "cols": 80}))
    template = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    token = forms.CharField(max_length=64, widget=forms.HiddenInput)


@admin.register(Note)
class NoteAdmin(CompanyScopedAdminMixin, admin.ModelAdmin):
    """The notes of the user's companies, read-only: notes are written from the application and
    candidate pages."""

    view_roles = READERS
    manage_roles = frozenset()
    list_display = (
        "created_at",
        "candidate_name",
        "job_title",
        "author_name",
        "kind",
        "private_to_hiring_team",
        "excerpt",
    )
    list_filter = ("kind", "private_to_hiring_team", CompanyFilter)
    list_select_related = ("candidate", "application__job", "author")
    fields = (
        "candidate",
        "application",
        "author",
        "kind",
        "private_to_hiring_team",
        "body",
        "mentions",
        "created_at",
    )
    readonly_fields = fields
    date_hierarchy = None
    ordering = ("-created_at", "-id")

    def get_queryset(self, request):
        return notes_readable(super().get_queryset(request), user=request.user)

    @admin.display(description="Candidate", ordering="candidate__name")
    def candidate_name(self, obj):
        return obj.candidate.name

    @admin.display(description="Job")
    def job_title(self, obj):
        return obj.application.job.title if obj.application_id else "—"

    @admin.display(description="By")
    def author_name(self, obj):
        return (obj.author.get_full_name() or obj.author.get_username()) if obj.author else "—"

    @admin.display(description="Note")
    def excerpt(self, obj):
        return Truncator(obj.body).chars(80)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "add-to/application/<int:application_id>/",
                view(self.add_to_application_view),
                name="hiring_note_add_to_application",
            ),
            path(
                "add-to/candidate/<int:candidate_id>/",
                view(self.add_to_candidate_view),
                name="hiring_note_add_to_candidate",
            ),
            path("write/", view(self.write_view), name="hiring_note_write"),
            *super().get_urls(),
        ]

    # -- notes --------------------------------------------------------------------------------

    def _object(self, request, model, object_id):
        """The object through its own admin's scoping and checks (404 outside the user's companies)."""
        model_admin = self.admin_site._registry[model]
        obj = model_admin.get_object(request, str(object_id))
        if not model_admin.has_view_permission(request, obj):
            raise PermissionDenied
        return obj

    def _add(self, request, *, candidate, application, back):
        if request.method != "POST":
            raise PermissionDenied("Notes are posted from the page they are on.")
        form = NoteForm(request.POST)
        if not form.is_valid():
            errors = "; ".join(" ".join(v) for v in form.errors.values())
            self.message_user(request, f"The note was not saved: {errors}", messages.ERROR)
            return HttpResponseRedirect(back)
        try:
            written = note_create(
                author=request.user,
                candidate=candidate,
                application=application,
                body=form.cleaned_data["body"],
                private_to_hiring_team=form.cleaned_data["private_to_hiring_team"],
            )
        except ValidationError as exc:
            self.message_user(request, f"The note was not saved: {_message_from(exc)}", messages.ERROR)
            return HttpResponseRedirect(back)
        told = ", ".join(m.display_name for m in written.mentioned)
        self.message_user(
            request, f"Note saved.{f' Told by email: {told}.' if told else ''}", messages.SUCCESS
        )
        if written.unknown:
            self.message_user(
                request,
                "Not mentioned (no member of this company has that username or email): "
                + ", ".join(f"@{h}" for h in written.unknown),
                messages.WARNING,
            )
        if written.not_told:
            self.message_user(
                request,
                "Not told (interviewers do not read notes private to the hiring team): "
                + ", ".join(written.not_told),
                messages.WARNING,
            )
        return HttpResponseRedirect(back)

    def add_to_application_view(self, request, application_id):
        application = self._object(request, Application, application_id)
        back = reverse("admin:hiring_application_change", args=[application.pk])
        return self._add(
            request, candidate=application.candidate, application=application, back=f"{back}#notes"
        )

    def add_to_candidate_view(self, request, candidate_id):
        candidate = self._object(request, Candidate, candidate_id)
        back = reverse("admin:hiring_candidate_change", args=[candidate.pk])
        return self._add(request, candidate=candidate, application=None, back=f"{back}#notes")

    # -- writing to candidates ----------------------------------------------------------------

    def _applications(self, request, raw_ids: list[str]) -> list[Application]:
        cap = settings.HIRELOOP_BULK_MAX
        try:
            ids = sorted({int(i) for raw in raw_ids for i in raw.split(",") if i.strip()})
        except ValueError:
            raise Http404("No such applications.") from None
        if not ids:
            raise Http404("Choose the applications to write to in the application list.")
        if len(ids) > cap:
            raise PermissionDenied(f"At most {cap} applications are written to at once.")
        app_admin = self.admin_site._registry[Application]
        found = list(
            app_admin.get_queryset(request)
            .filter(pk__in=ids)
            .select_related("company", "candidate", "job", "stage")
            .order_by("candidate__name", "pk")
        )
        if len(found) != len(ids):
            raise Http404("Some of these applications are not in your companies.")
        if not all(_writes_to_candidates(request, a.company_id) for a in found):
            raise PermissionDenied("Only company admins and recruiters write to candidates.")
        return found

    def write_view(self, request):
        source = request.POST if request.method == "POST" else request.GET
        applications = self._applications(request, source.getlist("ids"))
        templates = list(composable_templates({a.company_id for a in applications}))
        labels = {e.value: e.label for e in NotificationEvent}
        choices = [("", "---------")] + [
            (t.pk, f"{labels.get(t.event, t.event)} [{t.language}]") for t in templates
        ]
        previews, step = [], "compose"
        if request.method == "POST":
            form = ComposeForm(request.POST)
            form.fields["template"].choices = choices
            if form.is_valid() and "load" in request.POST:
                chosen = next((t for t in templates if t.pk == form.cleaned_data["template"]), None)
                if chosen is not None:
                    data = {**form.cleaned_data, "subject": chosen.subject, "body": chosen.body}
                    form = ComposeForm(initial=data)
                    form.fields["template"].choices = choices
            elif form.is_valid() and "edit" not in request.POST:
                data = form.cleaned_data
                try:
                    if "send" in request.POST:
                        ids = candidate_emails_send(
                            applications=applications,
                            subject=data["subject"],
                            body=data["body"],
                            sender=request.user,
                            token=data["token"],
                        )
                        self.message_user(
                            request,
                            f"{len(ids)} email{'s' if len(ids) != 1 else ''} written to the outbox "
                            f"(each is sent once and shown in its application's timeline).",
                            messages.SUCCESS,
                        )
                        if len(applications) == 1:
                            return HttpResponseRedirect(
                                reverse("admin:hiring_application_change", args=[applications[0].pk])
                            )
                        return HttpResponseRedirect(reverse("admin:hiring_application_changelist"))
                    previews = candidate_email_previews(
                        applications=applications,
                        subject=data["subject"],
                        body=data["body"],
                        sender=request.user,
                    )
                    step = "preview"
                except ValidationError as exc:
                    for message in exc.messages:
                        form.add_error(None, message)
        else:
            # The company's own starting wording for written emails, else the default.
            event = NotificationEvent.CANDIDATE_EMAIL
            subject, body = notification_templates_resolve(applications[0].company_id, [event])[event] or (
                "",
                "",
            )
            form = ComposeForm(initial={"subject": subject, "body": body, "token": compose_token()})
            form.fields["template"].choices = choices
        context = {
            **self.admin_site.each_context(request),
            "title": f"Write to {len(applications)} candidate{'s' if len(applications) != 1 else ''}",
            "opts": self.model._meta,
            "applications": applications,
            "form": form,
            "previews": previews,
            "step": step,
            "ids": ",".join(str(a.pk) for a in applications),
            "variables": sorted(VARIABLES[NotificationEvent.CANDIDATE_EMAIL].items()),
        }
        return TemplateResponse(request, "admin/hiring/note/write.html", context)
