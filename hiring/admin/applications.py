"""Admin for the pipeline: jobs, candidates, applications, their moves, imports and exports.

Presentation only: every write that matters goes through hiring.services (moves, job creation,
stage removal) or hiring.imports (file imports).

Roles: company admins and recruiters open jobs, add and import candidates and export the list;
hiring managers read jobs and candidates and may move applications (they decide on hires);
interviewers see none of this (they get their own interview views). Only company admins delete.
"""

import csv
import uuid
from collections import Counter

from adminsortable2.admin import SortableAdminBase, SortableTabularInline
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.forms.formsets import DELETION_FIELD_NAME
from django.http import Http404, HttpResponseRedirect, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import conditional_escape, format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from hiring.admin import extensions
from hiring.admin.files import PrivateFileDownloadMixin
from hiring.admin_lists import BIG_LIST_PER_PAGE
from hiring.admin_scoping import (
    READERS,
    CompanyScopedAdminMixin,
    CompanyScopedInlineMixin,
    company_ids_for,
    request_roles,
)
from hiring.admin_search import IndexedSearchMixin
from hiring.bulk import (
    Seen,
    applications_bulk_move,
    bulk_job_create,
    bulk_job_enqueue,
    bulk_job_is_stalled,
)
from hiring.import_previews import (
    PREVIEW_TTL,
    ImportAlreadyDone,
    ImportPreviewGone,
    import_preview_cancel,
    import_preview_confirm,
    import_preview_create,
)
from hiring.imports import ImportRefused, applications_import, import_file_read, import_max_rows
from hiring.models import (
    Application,
    ApplicationStatus,
    ApplicationTrack,
    BulkAction,
    BulkJob,
    BulkJobStatus,
    Candidate,
    Company,
    Job,
    JobStatus,
    RejectionKind,
    RejectionReason,
    Role,
    Stage,
)
from hiring.privacy import candidates_delete
from hiring.selectors import (
    application_overdue_q,
    application_timeline,
    applications_with_time_in_stage,
    is_past_sla,
)
from hiring.services import (
    MoveError,
    application_advance,
    application_create,
    application_hire,
    application_hold,
    application_move,
    application_reject,
    application_resume,
    application_withdraw,
    job_create_from_template,
    job_stage_delete,
    job_stage_deletion_refusal,
)

ADMINS = frozenset({Role.COMPANY_ADMIN})
RECRUITING = frozenset({Role.COMPANY_ADMIN, Role.RECRUITER})
MOVERS = frozenset({Role.COMPANY_ADMIN, Role.RECRUITER, Role.HIRING_MANAGER})
MAX_FILTER_CHOICES = 100


# --- Shared pieces ------------------------------------------------------------------------------


class ScopedHistoryMixin:
    """Change history, read-only, for objects of the user's companies only (others are a 404).

    Reverting is refused: it would bypass the services (an application's stage only changes
    through a move that leaves a StageChange).
    """

    def _in_scope_or_404(self, request, object_id):
        if not self.get_queryset(request).filter(pk=object_id).exists():
            raise Http404("No such object in your companies.")

    def history_view(self, request, object_id, extra_context=None):
        self._in_scope_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._in_scope_or_404(request, object_id)
        if request.method == "POST":
            raise PermissionDenied("Past versions are read-only.")
        return super().history_form_view(request, object_id, version_id, extra_context)

    def has_change_history_permission(self, request, obj=None):
        return False

    def revert_disabled(self, request, obj=None):
        return True


class CompanyFilter(admin.SimpleListFilter):
    """The user's companies; shown only to people who work for more than one."""

    title = "company"
    parameter_name = "company"

    def lookups(self, request, model_admin):
        if request.user.is_superuser:
            return list(Company.objects.values_list("pk", "name")[:MAX_FILTER_CHOICES])
        ids = request_roles(request)
        if len(ids) < 2:
            return []
        return list(Company.objects.filter(pk__in=ids).values_list("pk", "name"))

    def queryset(self, request, queryset):
        if self.value():
            if not self.value().isdigit():
                return queryset.none()
            return queryset.filter(company_id=self.value())
        return queryset


def _message_from(exc: ValidationError) -> str:
    return " ".join(exc.messages)


class ServiceErrorsAsMessagesMixin:
    """A ValidationError raised by a service after the form was valid (a race) becomes a message."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as exc:
            self.message_user(request, _message_from(exc), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


# --- Jobs ---------------------------------------------------------------------------------------


class JobAddForm(forms.ModelForm):
    class Meta:
        model = Job
        fields = (
            "company",
            "template",
            "title",
            "team",
            "location",
            "level",
            "hiring_manager",
            "status",
            "headcount",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].required = True
        self.fields["template"].help_text = "The job gets its own copy of the template's stages and kits."

    def clean(self):
        cleaned = super().clean()
        company, template = cleaned.get("company"), cleaned.get("template")
        manager = cleaned.get("hiring_manager")
        if company and template and template.company_id != company.pk:
            self.add_error("template", "This template belongs to another company.")
        if company and manager and manager.company_id != company.pk:
            self.add_error("hiring_manager", "The hiring manager must be a member of the job's company.")
        if template and not template.stages.exists():
            self.add_error("template", "This template has no stages yet; add stages before opening a job.")
        return cleaned


class JobChangeForm(forms.ModelForm):
    class Meta:
        model = Job
        fields = (
            "title",
            "team",
            "location",
            "level",
            "hiring_manager",
            "status",
            "headcount",
            "opened_on",
            "closed_on",
        )

    def clean(self):
        cleaned = super().clean()
        manager = cleaned.get("hiring_manager")
        if manager and manager.company_id != self.instance.company_id:
            self.add_error("hiring_manager", "The hiring manager must be a member of the job's company.")
        return cleaned


class JobStageInline(CompanyScopedInlineMixin, SortableTabularInline):
    model = Stage
    fk_name = "job"
    fields = ("position", "name", "kind", "sla_days", "is_optional", "is_paid", "plan_summary")
    readonly_fields = ("plan_summary",)
    extra = 0
    show_change_link = True
    verbose_name = "stage of the plan"
    verbose_name_plural = "plan (open a stage for its tracks and interview kits)"
    view_roles = READERS
    manage_roles = RECRUITING

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(kit_count=Count("kits", distinct=True), track_count=Count("tracks", distinct=True))
        )

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        def hand_clean_DELETE(form):  # noqa: N802 (Django's hook name)
            # Removing a stage that holds or held applications is refused with the service's reason.
            if form.cleaned_data.get(DELETION_FIELD_NAME) and form.instance.pk:
                refusal = job_stage_deletion_refusal(stage=form.instance)
                if refusal:
                    raise ValidationError(refusal)

        formset.form = type(formset.form.__name__, (formset.form,), {"hand_clean_DELETE": hand_clean_DELETE})
        return formset

    @admin.display(description="Kits and tracks")
    def plan_summary(self, obj):
        if obj.pk is None:
            return "Save, then open the stage to add its interview kits."
        kits, tracks = getattr(obj, "kit_count", 0), getattr(obj, "track_count", 0)
        text = f"{kits} kit{'s' if kits != 1 else ''}"
        if tracks:
            text += f", {tracks} track{'s' if tracks != 1 else ''}"
        return text


@admin.register(Job)
class JobAdmin(
    ScopedHistoryMixin,
    ServiceErrorsAsMessagesMixin,
    CompanyScopedAdminMixin,
    SortableAdminBase,
    SimpleHistoryAdmin,
):
    view_roles = READERS
    manage_roles = RECRUITING
    list_display = (
        "title",
        "company",
        "status",
        "team",
        "manager_name",
        "headcount",
        "active_applications",
        "opened_on",
    )
    list_filter = ("status", CompanyFilter)
    search_fields = ("title", "team", "location")
    list_select_related = ("company", "hiring_manager")
    autocomplete_fields = ("hiring_manager", "template")
    ordering = ("title", "id")
    inlines = (JobStageInline,)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                active_count=Count("applications", filter=Q(applications__status=ApplicationStatus.ACTIVE))
            )
        )

    @admin.display(description="Hiring manager", ordering="hiring_manager__display_name")
    def manager_name(self, obj):
        return obj.hiring_manager.display_name if obj.hiring_manager else "-"

    @admin.display(description="Active applications", ordering="active_count")
    def active_applications(self, obj):
        url = reverse("admin:hiring_application_changelist")
        return format_html('<a href="{}?job={}">{}</a>', url, obj.pk, obj.active_count)

    def get_form(self, request, obj=None, **kwargs):
        kwargs["form"] = JobAddForm if obj is None else JobChangeForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return JobAddForm.Meta.fields
        return (
            "company",
            "template",
            "title",
            ("team", "location", "level"),
            "hiring_manager",
            ("status", "headcount"),
            ("opened_on", "closed_on"),
        )

    def get_readonly_fields(self, request, obj=None):
        return ("company", "template") if obj else ()

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else ()

    def save_model(self, request, obj, form, change):
        if change:
            obj._history_user = request.user
            obj.save()
            return
        data = form.cleaned_data
        job = job_create_from_template(
            company=data["company"],
            template=data["template"],
            title=data["title"],
            actor=request.user,
            team=data.get("team", ""),
            location=data.get("location", ""),
            level=data.get("level", ""),
            hiring_manager=data.get("hiring_manager"),
            status=data.get("status") or JobStatus.DRAFT,
            headcount=data.get("headcount") or 1,
        )
        obj.pk, obj.opened_on, obj.created_at = job.pk, job.opened_on, job.created_at
        obj._state.adding = False

    def save_formset(self, request, form, formset, change):
        if formset.model is not Stage:
            return super().save_formset(request, form, formset, change)
        for instance in formset.save(commit=False):
            if instance.company_id is None:
                instance.company_id = form.instance.company_id
            instance.save()
        for stage in formset.deleted_objects:
            job_stage_delete(stage=stage)
        formset.save_m2m()

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, obj, ADMINS)


# --- Candidates ---------------------------------------------------------------------------------


class CandidateForm(forms.ModelForm):
    class Meta:
        model = Candidate
        fields = (
            "company",
            "name",
            "email",
            "phone",
            "location",
            "source",
            "tags",
            "linkedin_url",
            "github_url",
            "website_url",
            "resume",
            "consent_on",
            "retain_until",
        )

    def clean(self):
        cleaned = super().clean()
        company = cleaned.get("company") or (self.instance.company if self.instance.company_id else None)
        email = cleaned.get("email")
        if company and email:
            clash = Candidate.objects.filter(company=company, email__iexact=email.strip())
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("email", f"A candidate with the email {email} already exists in {company}.")
        return cleaned


class CandidateApplicationInline(CompanyScopedInlineMixin, admin.TabularInline):
    """All the candidate's applications, read-only, each linking to its page."""

    model = Application
    fk_name = "candidate"
    fields = ("job", "stage", "status", "source", "applied_at")
    readonly_fields = fields
    extra = 0
    show_change_link = True
    can_delete = False
    verbose_name_plural = "applications"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("job", "stage")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Candidate)
class CandidateAdmin(
    PrivateFileDownloadMixin,
    IndexedSearchMixin,
    ScopedHistoryMixin,
    CompanyScopedAdminMixin,
    SimpleHistoryAdmin,
):
    """The résumé is downloaded through `<id>/download/resume/` (PrivateFileDownloadMixin), never
    from a URL of its storage."""

    form = CandidateForm
    view_roles = READERS
    manage_roles = RECRUITING
    list_display = ("name", "email", "source", "application_count", "company", "created_at")
    list_filter = ("source", CompanyFilter)
    # An exact email, or the start of a name or email (answered by indexes on big tables).
    search_fields = ("name", "^email")
    list_select_related = ("company",)
    list_per_page = BIG_LIST_PER_PAGE
    inlines = (CandidateApplicationInline,)
    fieldsets = (
        (None, {"fields": ("company", "name", "email", "phone", "location", "source", "tags")}),
        ("Links and résumé", {"fields": ("linkedin_url", "github_url", "website_url", "resume")}),
        ("Personal data", {"fields": ("consent_on", "retain_until")}),
    )

    def get_queryset(self, request):
        # Scale: a correlated count, computed for the rows of the page only (a JOIN with GROUP BY
        # would count the applications of every candidate in the table first).
        applications = (
            Application.objects.filter(candidate=OuterRef("pk"))
            .order_by()
            .values("candidate")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(application_count=Coalesce(Subquery(applications, output_field=IntegerField()), 0))
        )

    @admin.display(description="Applications", ordering="application_count")
    def application_count(self, obj):
        return obj.application_count

    def get_readonly_fields(self, request, obj=None):
        return ("company",) if obj else ()

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, obj, ADMINS)

    # A deletion is an erasure first: Django logs it and simple-history records it with the
    # candidate's values as they are when the rows go, which are then anonymised.
    def delete_model(self, request, obj):
        candidates_delete(candidates=[obj], actor=request.user)

    def delete_queryset(self, request, queryset):
        candidates_delete(candidates=queryset.order_by("pk"), actor=request.user)


# --- Rejection reasons --------------------------------------------------------------------------


@admin.register(RejectionReason)
class RejectionReasonAdmin(CompanyScopedAdminMixin, admin.ModelAdmin):
    view_roles = READERS
    manage_roles = ADMINS
    list_display = ("name", "kind", "is_active", "company")
    list_filter = ("kind", "is_active", CompanyFilter)
    search_fields = ("name",)
    list_select_related = ("company",)


# --- Applications -------------------------------------------------------------------------------


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
            .values_list("pk", "title")[:MAX_FILTER_CHOICES]
        )
        return [(str(pk), title) for pk, title in rows]

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
        candidate, job = cleaned.get("candidate"), cleaned.get("job")
        if candidate and job:
            if candidate.company_id != job.company_id:
                self.add_error("job", "The candidate and the job belong to different companies.")
            elif job.status == JobStatus.CLOSED:
                self.add_error("job", f"The job {job.title} is closed and takes no new applications.")
            elif Application.objects.filter(candidate=candidate, job=job).exists():
                self.add_error("job", f"{candidate.name} has already applied to {job.title}.")
            elif not job.stages.exists():
                self.add_error("job", f"The job {job.title} has no stages yet.")
        return cleaned


class MoveForm(forms.Form):
    """One move of one application, posted from its page."""

    MOVES = ("advance", "move", "reject", "withdraw", "hold", "resume", "hire")

    move = forms.ChoiceField(choices=[(m, m) for m in MOVES])
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
        self.fields["to_stage"].queryset = Stage.objects.filter(job_id=application.job_id)
        self.fields["reason"].queryset = RejectionReason.objects.filter(
            company_id=application.company_id, is_active=True
        )


def _run_move(
    move: str,
    application: Application,
    actor,
    *,
    to_stage=None,
    reason=None,
    note="",
    expected_stage_id: int | None = None,
    expected_status: str | None = None,
):
    """Call the service for one move; raises MoveError with the reason it was refused.

    `expected_stage_id` / `expected_status`: the state the user saw, refused if it no longer holds.
    """
    common = {
        "application": application,
        "actor": actor,
        "note": note,
        "expected_stage_id": expected_stage_id,
        "expected_status": expected_status or None,
    }
    if move == "advance":
        return application_advance(**common)
    if move == "move":
        if to_stage is None:
            raise MoveError("Choose the stage to move to.")
        return application_move(to_stage=to_stage, **common)
    if move == "reject":
        return application_reject(reason=reason, **common)
    if move == "withdraw":
        return application_withdraw(reason=reason, **common)
    if move == "hold":
        return application_hold(**common)
    if move == "resume":
        return application_resume(**common)
    if move == "hire":
        return application_hire(**common)
    raise MoveError(f"Unknown move {move!r}.")


class BulkAdvanceForm(forms.Form):
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class BulkMoveForm(forms.Form):
    to_stage = forms.ModelChoiceField(queryset=Stage.objects.none(), label="Move to")
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed when moving back or skipping a stage.",
    )


class BulkRejectForm(forms.Form):
    reason = forms.ModelChoiceField(queryset=RejectionReason.objects.none())
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class StageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.job.title}: {obj.name}"


class ReasonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.company.name})"


@admin.register(Application)
class ApplicationAdmin(
    IndexedSearchMixin,
    ScopedHistoryMixin,
    ServiceErrorsAsMessagesMixin,
    CompanyScopedAdminMixin,
    SimpleHistoryAdmin,
):
    view_roles = READERS
    manage_roles = MOVERS
    export_roles = RECRUITING
    import_roles = RECRUITING
    list_display = (
        "candidate_name",
        "job_title",
        "stage_name",
        "status",
        "days_in_stage",
        "source",
        "applied_at",
    )
    list_display_links = ("candidate_name",)
    list_filter = ("status", JobFilter, StageFilter, "source", OverdueFilter, CompanyFilter)
    list_select_related = ("candidate", "job", "stage")
    # An exact email, or the start of a name or email (answered by indexes on big tables).
    search_fields = ("candidate__name", "^candidate__email")
    show_full_result_count = False
    list_per_page = BIG_LIST_PER_PAGE
    autocomplete_fields = ("candidate", "job")
    actions = ("advance_selected", "move_selected", "reject_selected")
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

    # forms

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ApplicationAddForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        return ApplicationAddForm.Meta.fields if obj is None else self.fields

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
        return self._allowed(request, None, RECRUITING)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, obj, ADMINS)

    # change page: timeline, panels, moves

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        obj = self.get_object(request, object_id)
        if obj is not None:
            extra_context.update(self._page_context(request, obj))
        return super().change_view(request, object_id, form_url, extra_context)

    def _page_context(self, request, obj):
        can_move = self.has_change_permission(request, obj)
        # The job's plan, each stage with the track the candidate chose there (if it offers tracks).
        chosen = ApplicationTrack.objects.filter(application_id=obj.pk, stage_id=OuterRef("pk"))
        stages = list(
            Stage.objects.filter(job_id=obj.job_id)
            .annotate(chosen_track=Subquery(chosen.values("track__name")[:1]))
            .order_by("position", "id")
        )
        reasons = list(RejectionReason.objects.filter(company_id=obj.company_id, is_active=True))
        return {
            "timeline": application_timeline(obj.pk),
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
        data = form.cleaned_data
        try:
            _run_move(
                data["move"],
                obj,
                request.user,
                to_stage=data.get("to_stage"),
                reason=data.get("reason"),
                note=data.get("note") or "",
                expected_stage_id=data.get("expected_stage_id"),
                expected_status=data.get("expected_status"),
            )
        except MoveError as exc:
            self.message_user(request, _message_from(exc), messages.ERROR)
        else:
            self.message_user(
                request,
                f"{obj.candidate.name}: {obj.get_status_display().lower()}, now in {obj.stage.name}.",
                messages.SUCCESS,
            )
        return HttpResponseRedirect(change_url)

    # bulk actions

    def _movable(self, request, queryset):
        """Applications of the selection that the user may move (manage role in their company)."""
        if request.user.is_superuser:
            return queryset, 0
        allowed = company_ids_for(request, self.manage_roles)
        return queryset.filter(company_id__in=allowed), queryset.exclude(company_id__in=allowed).count()

    def _too_many(self, request, queryset) -> bool:
        """Refuse a bulk move of more applications than one action should move (each move is a
        transaction with its history and emails): say so and move nothing."""
        limit = settings.HIRELOOP_BULK_MAX
        count = queryset[: limit + 1].count()
        if count <= limit:
            return False
        self.message_user(
            request,
            f"More than {limit:,} applications are selected; nothing was moved. Filter the list (by "
            f"job, stage or status) or select fewer, at most {limit:,} at a time.",
            messages.ERROR,
        )
        return True

    def _bulk_action(self, request, queryset, *, action, name, title, make_form, check=None):
        """A bulk move in two steps. First a confirmation page: the count, the filters a "select
        all" applies to, the applications, and a signed copy of the stage and status of each.
        Then, confirmed, those applications are moved (each only if still as the user saw it),
        inline up to HIRELOOP_BULK_INLINE_MAX, else by a background job with a progress page."""
        applying = "apply" in request.POST
        if applying:
            seen = _selection_read(request, name)
            if seen is None:
                self.message_user(request, SELECTION_EXPIRED, messages.ERROR)
                return None
            chosen = self.get_queryset(request).filter(pk__in=[s.application_id for s in seen])
            if len(seen) > settings.HIRELOOP_BULK_MAX:
                self._too_many(request, chosen)
                return None
            across = request.POST.get("across") == "1"
        else:
            if self._too_many(request, queryset):
                return None
            chosen = queryset
            across = request.POST.get("select_across") == "1"
        movable, forbidden = self._movable(request, chosen)
        if check is not None:
            refusal = check(movable)
            if refusal:
                self.message_user(request, refusal, messages.ERROR)
                return None
        form = make_form(request.POST if applying else None, movable)
        if not applying:
            seen = [
                Seen(pk, company_id, stage_id, status)
                for pk, company_id, stage_id, status in movable.order_by("pk").values_list(
                    "pk", "company_id", "stage_id", "status"
                )
            ]
            if not seen:
                self.message_user(
                    request,
                    "None of the selected applications is one you may move; nothing was moved.",
                    messages.WARNING,
                )
                return None
        elif form.is_valid():
            data = form.cleaned_data
            run = {key: data[key] for key in ("to_stage", "reason", "note") if key in data}
            return self._bulk_run(request, action=action, seen=seen, run=run)
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "form": form,
            "action": name,
            "count": len(seen),
            "forbidden": forbidden,
            "across": across,
            "filters": self._selection_filters(request) if across else [],
            "rows": self._selection_rows(request, seen[:BULK_ROWS_SHOWN]),
            "more": max(0, len(seen) - BULK_ROWS_SHOWN),
            "background": len(seen) > settings.HIRELOOP_BULK_INLINE_MAX,
            "selection": _selection_sign(request, name, seen),
            "selected": [str(s.application_id) for s in seen],
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/hiring/application/action_confirm.html", context)

    def _selection_rows(self, request, seen):
        wanted = {s.application_id: s for s in seen}
        rows = (
            self.get_queryset(request)
            .filter(pk__in=wanted)
            .order_by("pk")
            .values_list("pk", "candidate__name", "job__title", "stage__name", "status")
        )
        return [
            {"candidate": cand, "job": job, "stage": stage, "status": ApplicationStatus(status).label}
            for pk, cand, job, stage, status in rows
        ]

    def _selection_filters(self, request) -> list[str]:
        """What a "select all" applies to, in words: each filter in use and the search."""
        try:
            cl = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return ["(filters that could not be read)"]
        described, consumed = [], set()
        for spec in [*cl.filter_specs, *cl.hidden_filter_specs]:
            if not spec.used_parameters:
                continue
            consumed.update(spec.used_parameters)
            chosen = []
            if spec in cl.filter_specs:
                chosen = [str(c["display"]) for c in spec.choices(cl) if c.get("selected")]
            if not chosen:
                chosen = [
                    v if isinstance(v, str) else ", ".join(map(str, v)) for v in spec.used_parameters.values()
                ]
            described.append(f"{spec.title}: {', '.join(chosen)}")
        for key, values in cl.get_filters_params().items():
            if key not in consumed:
                described.append(f"{key} = {', '.join(values)}")
        if cl.query:
            described.append(f'search: "{cl.query}"')
        return described

    def _bulk_run(self, request, *, action, seen, run):
        company_ids = None if request.user.is_superuser else company_ids_for(request, self.manage_roles)
        if len(seen) <= settings.HIRELOOP_BULK_INLINE_MAX:
            results = applications_bulk_move(
                items=seen, action=action, actor=request.user, company_ids=company_ids, **run
            )
            moved = sum(1 for _, ok, _ in results if ok)
            refused = Counter(why for _, ok, why in results if not ok)
            text = f"{moved} moved"
            if refused:
                reasons = "; ".join(f"{reason} (x{count})" for reason, count in refused.most_common())
                text += f"; {sum(refused.values())} not moved: {reasons}"
            self.message_user(request, text + ".", messages.WARNING if refused else messages.SUCCESS)
            return None
        by_company: dict[int, list[Seen]] = {}
        for item in seen:
            by_company.setdefault(item.company_id, []).append(item)
        jobs = [
            bulk_job_create(company_id=company_id, actor=request.user, action=action, items=items, **run)
            for company_id, items in sorted(by_company.items())
        ]
        links = format_html_join(
            ", ", '<a href="{}">bulk job #{}</a>', ((_bulk_job_url(job), job.pk) for job in jobs)
        )
        self.message_user(
            request,
            format_html("{} applications are moved in the background: {}.", len(seen), links),
            messages.INFO,
        )
        return HttpResponseRedirect(_bulk_job_url(jobs[0]))

    @admin.action(description="Advance to the next stage…", permissions=["change"])
    def advance_selected(self, request, queryset):
        return self._bulk_action(
            request,
            queryset,
            action=BulkAction.ADVANCE,
            name="advance_selected",
            title="Advance applications to the next stage",
            make_form=lambda data, movable: BulkAdvanceForm(data),
        )

    @admin.action(description="Move to a stage…", permissions=["change"])
    def move_selected(self, request, queryset):
        def several_jobs(movable):
            job_ids = movable.order_by().values_list("job_id", flat=True).distinct()[:2]
            if len(set(job_ids)) > 1:
                # A stage belongs to one job's plan: the choice would list every job's stages.
                return (
                    "The selected applications are for several jobs; a move to a stage stays within one "
                    "job's plan. Filter the list by job first; nothing was moved."
                )
            return None

        def make_form(data, movable):
            form = BulkMoveForm(data)
            form.fields["to_stage"] = StageChoiceField(
                queryset=Stage.objects.filter(job_id__in=movable.values("job_id"))
                .select_related("job")
                .order_by("job__title", "job_id", "position"),
                label="Move to",
            )
            return form

        return self._bulk_action(
            request,
            queryset,
            action=BulkAction.MOVE,
            name="move_selected",
            title="Move applications to a stage",
            make_form=make_form,
            check=several_jobs,
        )

    @admin.action(description="Reject with a reason…", permissions=["change"])
    def reject_selected(self, request, queryset):
        def make_form(data, movable):
            form = BulkRejectForm(data)
            form.fields["reason"] = ReasonChoiceField(
                queryset=RejectionReason.objects.filter(
                    company_id__in=movable.values("company_id"), is_active=True, kind=RejectionKind.COMPANY
                ).select_related("company"),
            )
            return form

        return self._bulk_action(
            request,
            queryset,
            action=BulkAction.REJECT,
            name="reject_selected",
            title="Reject applications",
            make_form=make_form,
        )

    # bulk jobs: the progress page

    def _may_see_bulk_job(self, request, job: BulkJob) -> bool:
        user = request.user
        if user.is_superuser or job.user_id == user.pk:
            return True
        return request_roles(request).get(job.company_id) == Role.COMPANY_ADMIN

    def bulk_job_view(self, request, bulkjob_id):
        job = BulkJob.objects.select_related("company").filter(pk=bulkjob_id).first()
        if job is None or not self._may_see_bulk_job(request, job):
            raise Http404("No such bulk job in your companies.")
        if request.method == "POST":
            if "resume" in request.POST and bulk_job_is_stalled(job, after_seconds=BULK_STALLED_AFTER):
                queued = bulk_job_enqueue(job_id=job.pk)
                self.message_user(
                    request,
                    "The job was handed to a worker again." if queued else "The job could not be queued: "
                    "the task broker is unreachable. Try again in a moment.",
                    messages.SUCCESS if queued else messages.ERROR,
                )
            return HttpResponseRedirect(_bulk_job_url(job))
        finished = job.status in (BulkJobStatus.DONE, BulkJobStatus.FAILED)
        results = list(
            job.results.select_related("application__candidate", "application__job", "application__stage")
        )
        context = {
            **self.admin_site.each_context(request),
            "title": f"Bulk job #{job.pk}: {job.get_action_display().lower()}",
            "opts": self.model._meta,
            "job": job,
            "finished": finished,
            "refresh": None if finished else BULK_REFRESH_SECONDS,
            "stalled": bulk_job_is_stalled(job, after_seconds=BULK_STALLED_AFTER),
            "moved": [r for r in results if r.moved],
            "refused": [r for r in results if not r.moved],
        }
        return TemplateResponse(request, "admin/hiring/application/bulk_job.html", context)

    # export and import

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
        rows = queryset.order_by("pk").values_list(*(field for _, field in self.EXPORT_COLUMNS))

        class Echo:
            def write(self, value):
                return value

        writer = csv.writer(Echo())

        def lines():
            yield writer.writerow([name for name, _ in self.EXPORT_COLUMNS])
            for row in rows.iterator(chunk_size=2000):
                yield writer.writerow([_csv_safe(value) for value in row])

        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="applications-{stamp}.csv"'
        return response


# --- Bulk selections ----------------------------------------------------------------------------

BULK_SALT = "hiring.bulk-selection"
BULK_CONFIRM_MAX_AGE = 3600  # seconds a confirmation page stays valid
BULK_ROWS_SHOWN = 50
BULK_REFRESH_SECONDS = 2
BULK_STALLED_AFTER = 120
SELECTION_EXPIRED = (
    "This confirmation has expired or was not made here; nothing was moved. Select the "
    "applications again."
)


def _selection_sign(request, action: str, seen: list[Seen]) -> str:
    """The confirmed selection, with the state of each application, signed for this user."""
    data = {"u": request.user.pk, "a": action, "i": [s.as_row() for s in seen]}
    return signing.dumps(data, salt=BULK_SALT, compress=True)


def _selection_read(request, action: str) -> list[Seen] | None:
    try:
        data = signing.loads(request.POST.get("selection", ""), salt=BULK_SALT, max_age=BULK_CONFIRM_MAX_AGE)
    except signing.BadSignature:
        return None
    if data.get("u") != request.user.pk or data.get("a") != action:
        return None
    try:
        return [Seen.from_row(row) for row in data.get("i", [])]
    except (TypeError, ValueError):
        return None


def _bulk_job_url(job: BulkJob) -> str:
    return reverse("admin:hiring_application_bulkjob", args=[job.pk])


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


# --- Import -------------------------------------------------------------------------------------

IMPORT_SALT = "hiring.application-import"


IMPORT_MAX_BYTES = 50 * 1024 * 1024


class ImportUploadForm(forms.Form):
    file = forms.FileField(help_text="A .csv (UTF-8) or .xlsx file, one application per row.")


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
        token = {"preview": preview.pk.hex, "user": request.user.pk}
        context["token"] = signing.dumps(token, salt=IMPORT_SALT)
        context["file_name"] = upload.name
    return TemplateResponse(request, template, context)


def _import_preview_id(request) -> str:
    """The preview named by the signed token of the form; 403 for a forged or stale token."""
    try:
        token = signing.loads(request.POST["token"], salt=IMPORT_SALT, max_age=PREVIEW_TTL.total_seconds())
    except signing.BadSignature:
        raise PermissionDenied(ImportPreviewGone.message)
    if token.get("user") != request.user.pk or not isinstance(token.get("preview"), str):
        raise PermissionDenied(ImportPreviewGone.message)
    try:
        return uuid.UUID(hex=token["preview"])
    except ValueError:
        raise PermissionDenied(ImportPreviewGone.message)


def _import_confirm(model_admin, request, company_ids, context, template):
    preview_id = _import_preview_id(request)
    try:
        report = import_preview_confirm(preview_id=preview_id, user=request.user, company_ids=company_ids)
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
