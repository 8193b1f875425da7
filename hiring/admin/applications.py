"""Admin for applications: the list with its filters, the page with its timeline, plan and panels,
and the moves posted from it. Bulk moves live in hiring.admin.bulk, import and export in
hiring.admin.transfer; this module composes them into the one registered admin.

Presentation only: every write that matters goes through hiring.services (moves, creation).
Company admins, recruiters and hiring managers move applications (hiring managers decide on hires);
adding, importing and exporting is recruiting work; only company admins delete. Interviewers see
none of this (they get their own interview views).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Q, Subquery
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import conditional_escape, format_html
from simple_history.admin import SimpleHistoryAdmin

from hiring.admin import extensions
from hiring.admin.bulk import ApplicationBulkMixin
from hiring.admin.notes import page_notes, timeline_with_notes, write_to_candidates
from hiring.admin.shared import (
    MAX_FILTER_CHOICES,
    CompanyFilter,
    ScopedHistoryMixin,
    ServiceErrorsAsMessagesMixin,
    _message_from,
)
from hiring.admin.tags import ApplicationTagFilter, TagBulkActionsMixin, TagsColumnMixin
from hiring.admin.transfer import ApplicationTransferMixin
from hiring.admin_lists import BIG_LIST_PER_PAGE
from hiring.admin_scoping import CompanyScopedAdminMixin
from hiring.admin_search import IndexedSearchMixin
from hiring.display import job_label
from hiring.json_rows import json_rows, own_fields, read_with, rows_from_json
from hiring.models import (
    Application,
    ApplicationStatus,
    ApplicationTrack,
    Job,
    JobStatus,
    RejectionKind,
    RejectionReason,
    Stage,
)
from hiring.moves import MOVE_ACTIONS, application_move_run
from hiring.roles import ADMINISTRATORS, MOVERS, READERS, RECRUITERS
from hiring.selectors import (
    application_overdue_q,
    application_timeline,
    application_timeline_rows,
    applications_with_time_in_stage,
    candidate_files_readable_by,
    is_past_sla,
)
from hiring.services import MoveError, application_create, application_create_check
from hiring.tagging import tag_names_for


def header_tags(application) -> list[str]:
    """The tags shown in the application page's header (the candidate's, by name): one query."""
    return [tag.name for tag in tag_names_for([application.candidate_id]).get(application.candidate_id, ())]


def application_label(application) -> str:
    """How pickers name an application: "Sabas Soria — Backend Engineer" (read with both)."""
    return f"{application.candidate.name} — {application.job.title}"


# The page's header shows these (with the candidate's contact details); the form below keeps the
# editable source and the read-only facts that have a value.
HEADER_FIELDS = ("candidate", "job", "stage", "status")
OPEN_STATUSES = (ApplicationStatus.ACTIVE, ApplicationStatus.ON_HOLD)


def _reasons(request):
    reasons = RejectionReason.objects.filter(company_id=OuterRef("company_id"), is_active=True)
    return json_rows(reasons, group="company_id", fields=own_fields(RejectionReason))


# Read with the application on its page (hiring.json_rows): the move form's reasons, the timeline.
extensions.register_application_list("page_reasons", _reasons)
extensions.register_application_list("page_timeline", application_timeline_rows)


class IdListFilter(admin.SimpleListFilter):
    """A filter on one related id; a value that is not an id matches nothing."""

    id_field = ""

    def queryset(self, request, queryset):
        if self.value():
            if not self.value().isdigit():
                return queryset.none()
            return queryset.filter(**{self.id_field: self.value()})
        return queryset


class JobFilter(IdListFilter):
    """Open and on-hold jobs of the user's companies (at most 100; the job list links here too)."""

    title = "job"
    parameter_name = "job"

    def lookups(self, request, model_admin):
        jobs = model_admin.scoped_choices(request, Job.objects.all())
        chosen = self.value() if (self.value() or "").isdigit() else None
        rows = list(
            jobs.filter(Q(status__in=[JobStatus.OPEN, JobStatus.ON_HOLD]) | Q(pk=chosen or 0))
            .order_by("title", "id")
            .values_list("pk", "title", "team", "location", "status")[:MAX_FILTER_CHOICES]
        )
        return [
            (str(pk), job_label(title, team, place, JobStatus(status).label))
            for pk, title, team, place, status in rows
        ]

    id_field = "job_id"


class StageFilter(IdListFilter):
    """The stages of the chosen job's plan; offered once a job is chosen."""

    title = "stage"
    parameter_name = "stage"

    def lookups(self, request, model_admin):
        job = request.GET.get(JobFilter.parameter_name, "")
        if not job.isdigit():
            return []
        stages = model_admin.scoped_choices(request, Stage.objects.filter(job_id=job))
        return [(str(pk), name) for pk, name in stages.order_by("position", "id").values_list("pk", "name")]

    id_field = "stage_id"


class OverdueFilter(admin.SimpleListFilter):
    title = "SLA"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "Past the stage's SLA"), ("no", "Within the SLA")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(application_overdue_q())
        if self.value() == "no":
            return queryset.exclude(application_overdue_q())
        return queryset


class ApplicationAddForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ("candidate", "job", "source")

    def clean(self):
        cleaned = super().clean()
        candidate, job, source = cleaned.get("candidate"), cleaned.get("job"), cleaned.get("source")
        if candidate and job and source:
            try:
                application_create_check(candidate=candidate, job=job, source=source)
            except ValidationError as exc:
                self.add_error("job", exc)
        return cleaned


class MoveForm(forms.Form):
    """One move of one application, posted from its page."""

    move = forms.ChoiceField(choices=[(m, m) for m in MOVE_ACTIONS])
    to_stage = forms.ModelChoiceField(queryset=Stage.objects.none(), required=False)
    reason = forms.ModelChoiceField(queryset=RejectionReason.objects.none(), required=False)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    # The state the page showed: a move from a tab opened before someone else's move is refused.
    # A post without them (a script) is checked against the state when it arrives only.
    expected_stage_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    expected_status = forms.ChoiceField(
        choices=ApplicationStatus.choices, required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        self.fields["to_stage"].queryset = Stage.objects.filter(job_id=application.job_id)
        self.fields["reason"].queryset = RejectionReason.objects.filter(
            company_id=application.company_id, is_active=True
        )

    def run(self, *, actor) -> None:
        """Make the valid form's move through the move service (the application page, the board);
        raises MoveError with the reason when it is refused."""
        data = self.cleaned_data
        application_move_run(
            action=data["move"],
            application=self.application,
            actor=actor,
            to_stage=data.get("to_stage"),
            reason=data.get("reason"),
            note=data.get("note") or "",
            expected_stage_id=data.get("expected_stage_id"),
            expected_status=data.get("expected_status"),
        )


@admin.register(Application)
class ApplicationAdmin(
    TagBulkActionsMixin,
    TagsColumnMixin,
    ApplicationBulkMixin,
    ApplicationTransferMixin,
    IndexedSearchMixin,
    ScopedHistoryMixin,
    ServiceErrorsAsMessagesMixin,
    CompanyScopedAdminMixin,
    SimpleHistoryAdmin,
):
    view_roles = READERS
    manage_roles = MOVERS
    export_roles = RECRUITERS
    import_roles = RECRUITERS
    list_display = (
        "candidate_name",
        "job_title",
        "stage_name",
        "status",
        "days_in_stage",
        "source",
        "tag_list",
        "applied_at",
    )
    list_display_links = ("candidate_name",)
    list_filter = (
        "status",
        JobFilter,
        StageFilter,
        "source",
        OverdueFilter,
        "knockout_flagged",
        ApplicationTagFilter,
        CompanyFilter,
    )
    list_select_related = ("candidate", "job", "stage")
    # The candidate's name words, email, tags and résumé (hiring/search.py, answered by indexes).
    search_fields = ("candidate__name", "^candidate__email")
    person_path = candidate_path = "candidate_id"
    show_full_result_count = False
    list_per_page = BIG_LIST_PER_PAGE
    autocomplete_fields = ("candidate", "job")
    actions = (
        "advance_selected",
        "move_selected",
        "reject_selected",
        "tag_selected",
        "untag_selected",
        write_to_candidates,
    )
    change_form_template = "admin/hiring/application/change_form.html"
    change_list_template = "admin/hiring/application/change_list.html"
    fields = (
        "candidate",
        "job",
        "stage",
        "status",
        "source",
        "rejection_reason",
        "rejection_note",
        "applied_at",
        "stage_entered_at",
        "decided_at",
        "hired_at",
    )
    readonly_fields = (
        "candidate",
        "job",
        "stage",
        "status",
        "rejection_reason",
        "rejection_note",
        "applied_at",
        "stage_entered_at",
        "decided_at",
        "hired_at",
    )
    # The tracks a candidate chose are shown in the page's plan (read with the plan's stages).
    inlines = ()

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("candidate", "job", "stage", "rejection_reason")
        if getattr(request, "_application_page", False):
            # The page's short lists, read in the same query (extensions.register_application_list).
            qs = qs.annotate(**{name: make(request) for name, make in extensions.APPLICATION_LISTS.items()})
        return applications_with_time_in_stage(qs)

    # list columns

    @admin.display(description="Candidate", ordering="candidate__name")
    def candidate_name(self, obj):
        return obj.candidate.name

    @admin.display(description="Job", ordering="job__title")
    def job_title(self, obj):
        return obj.job.title

    @admin.display(description="Stage", ordering="stage__position")
    def stage_name(self, obj):
        return obj.stage.name

    @admin.display(description="Days in stage", ordering="-stage_entered_at")
    def days_in_stage(self, obj):
        if obj.status not in (ApplicationStatus.ACTIVE, ApplicationStatus.ON_HOLD):
            return "-"
        days = obj.time_in_stage.days if obj.time_in_stage is not None else 0
        if is_past_sla(obj):
            return format_html(
                '<strong class="sla-overdue" style="color:#ba2121" title="Past the stage SLA of {} days">'
                "{} ⚠</strong>",
                obj.stage.sla_days,
                days,
            )
        return days

    def autocomplete_label(self, obj):
        return application_label(obj)

    # forms

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ApplicationAddForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ApplicationAddForm.Meta.fields
        # Empty facts (no rejection yet, not hired) are not shown as blank rows.
        return tuple(
            name
            for name in self.fields
            if name not in HEADER_FIELDS and (name == "source" or getattr(obj, name) not in (None, ""))
        )

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    def get_inlines(self, request, obj):
        if obj is None:
            return ()
        # Read at request time: other apps register their inlines when their admin is imported.
        return (*self.inlines, *extensions.APPLICATION_INLINES)

    def save_model(self, request, obj, form, change):
        if change:
            obj._history_user = request.user
            obj.save(update_fields=["source"])
            return
        data = form.cleaned_data
        created = application_create(
            candidate=data["candidate"], job=data["job"], source=data["source"], actor=request.user
        )
        obj.pk, obj.company_id, obj.stage_id = created.pk, created.company_id, created.stage_id
        obj.applied_at, obj.stage_entered_at = created.applied_at, created.stage_entered_at
        obj._state.adding = False

    def has_add_permission(self, request):
        # Adding candidates to the pipeline is recruiting work; hiring managers move and decide.
        return self._allowed(request, None, RECRUITERS)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, obj, ADMINISTRATORS)

    # change page: timeline, panels, moves

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        request._application_page = True
        obj = self.get_object(request, object_id)
        if obj is not None:
            extra_context.update(self._page_context(request, obj))
            # "Sabas Soria — Backend Engineer", in the heading and the browser's title.
            extra_context.update(title=f"{obj.candidate.name} — {obj.job.title}", subtitle=None)
        return super().change_view(request, object_id, form_url, extra_context)

    def _header_context(self, request, obj):
        candidate = obj.candidate
        links = [
            (label, url)
            for label, url in (
                ("LinkedIn", candidate.linkedin_url),
                ("GitHub", candidate.github_url),
                ("Website", candidate.website_url),
            )
            # Only web addresses become links (a stored "javascript:" address is not one).
            if url and url.lower().startswith(("https://", "http://"))
        ]
        is_open = obj.status in OPEN_STATUSES
        return {
            "candidate": candidate,
            "candidate_links": links,
            "resume_url": (
                candidate.resume.url
                if candidate.resume and candidate_files_readable_by(user=request.user, candidate=candidate)
                else ""
            ),
            "header_tags": header_tags(obj),
            "days_in_stage": obj.time_in_stage.days if is_open and obj.time_in_stage is not None else None,
            "overdue": is_past_sla(obj),
            "actions": [conditional_escape(act(request, obj)) for act in extensions.APPLICATION_ACTIONS],
        }

    def _page_context(self, request, obj):
        can_move = self.has_change_permission(request, obj)
        # The job's plan, each stage with the track the candidate chose there (if it offers tracks).
        chosen = ApplicationTrack.objects.filter(application_id=obj.pk, stage_id=OuterRef("pk"))
        stages = list(
            Stage.objects.filter(job_id=obj.job_id)
            .annotate(
                chosen_track=Subquery(chosen.values("track__name")[:1]),
                chosen_track_id=Subquery(chosen.values("track_id")[:1]),
                **{name: make() for name, make in extensions.APPLICATION_PLAN_ANNOTATIONS.items()},
            )
            .order_by("position", "id")
        )
        obj.plan = stages  # read by the panels (extensions.register_plan_annotation)
        reasons = sorted(rows_from_json(RejectionReason, read_with(obj, "page_reasons")), key=lambda r: r.pk)
        return {
            # Stage changes, notes and emails written to the candidate (the notes panel's one read).
            **self._header_context(request, obj),
            "timeline": timeline_with_notes(
                application_timeline(obj.pk, rows=read_with(obj, "page_timeline")), page_notes(request, obj)
            ),
            # Registered by other apps at start-up, read per request. A panel returns HTML built with
            # format_html or a template (marked safe); a plain string is text and is escaped.
            "panels": [conditional_escape(panel(request, obj)) for panel in extensions.APPLICATION_PANELS],
            "can_move": can_move,
            "move_url": reverse("admin:hiring_application_move", args=[obj.pk]),
            "plan": stages,
            "reject_reasons": [r for r in reasons if r.kind == RejectionKind.COMPANY],
            "withdraw_reasons": [r for r in reasons if r.kind == RejectionKind.CANDIDATE],
            "application": obj,
            "is_last_stage": bool(stages) and stages[-1].pk == obj.stage_id,
        }

    def get_urls(self):
        urls = super().get_urls()
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/move/", view(self.move_view), name="hiring_application_move"),
            path("export/", view(self.export_view), name="hiring_application_export"),
            path("bulk/<int:bulkjob_id>/", view(self.bulk_job_view), name="hiring_application_bulkjob"),
            path("import/", view(self.import_view), name="hiring_application_import"),
            *urls,
        ]

    def move_view(self, request, object_id):
        if request.method != "POST":
            raise PermissionDenied("Moves are posted from the application page.")
        obj = self.get_object(request, object_id)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        change_url = reverse("admin:hiring_application_change", args=[obj.pk])
        form = MoveForm(request.POST, application=obj)
        if not form.is_valid():
            errors = "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())
            self.message_user(request, f"The move was not made: {errors}", messages.ERROR)
            return HttpResponseRedirect(change_url)
        try:
            form.run(actor=request.user)
        except MoveError as exc:
            self.message_user(request, _message_from(exc), messages.ERROR)
        else:
            self.message_user(
                request,
                f"{obj.candidate.name}: {obj.get_status_display().lower()}, now in {obj.stage.name}.",
                messages.SUCCESS,
            )
        return HttpResponseRedirect(change_url)
