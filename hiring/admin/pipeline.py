"""Admin for the pipeline: jobs, candidates, applications, their moves, imports and exports.

Presentation only: every write that matters goes through hiring.services (moves, job creation,
stage removal) or hiring.imports (file imports).

Roles: company admins and recruiters open jobs, add and import candidates and export the list;
hiring managers read jobs and candidates and may move applications (they decide on hires);
interviewers see none of this (they get their own interview views). Only company admins delete.
"""

import csv
import re
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

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
from django.utils.html import conditional_escape, format_html
from simple_history.admin import SimpleHistoryAdmin

from hiring.admin import extensions
from hiring.admin_lists import BIG_LIST_PER_PAGE
from hiring.admin_scoping import (
    READERS,
    CompanyScopedAdminMixin,
    CompanyScopedInlineMixin,
    company_ids_for,
    request_roles,
)
from hiring.admin_search import IndexedSearchMixin
from hiring.imports import ImportRefused, applications_import, import_file_read, import_max_rows
from hiring.models import (
    Application,
    ApplicationStatus,
    ApplicationTrack,
    Candidate,
    Company,
    Job,
    JobStatus,
    RejectionKind,
    RejectionReason,
    Role,
    Stage,
)
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
        if self.value() and self.value().isdigit():
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
class CandidateAdmin(IndexedSearchMixin, ScopedHistoryMixin, CompanyScopedAdminMixin, SimpleHistoryAdmin):
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

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].queryset = Stage.objects.filter(job_id=application.job_id)
        self.fields["reason"].queryset = RejectionReason.objects.filter(
            company_id=application.company_id, is_active=True
        )


def _run_move(move: str, application: Application, actor, *, to_stage=None, reason=None, note=""):
    """Call the service for one move; raises MoveError with the reason it was refused."""
    if move == "advance":
        return application_advance(application=application, actor=actor, note=note)
    if move == "move":
        if to_stage is None:
            raise MoveError("Choose the stage to move to.")
        return application_move(application=application, to_stage=to_stage, actor=actor, note=note)
    if move == "reject":
        return application_reject(application=application, reason=reason, actor=actor, note=note)
    if move == "withdraw":
        return application_withdraw(application=application, reason=reason, actor=actor, note=note)
    if move == "hold":
        return application_hold(application=application, actor=actor, note=note)
    if move == "resume":
        return application_resume(application=application, actor=actor, note=note)
    if move == "hire":
        return application_hire(application=application, actor=actor, note=note)
    raise MoveError(f"Unknown move {move!r}.")


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

    def _bulk(self, request, queryset, move: str, **kwargs):
        movable, forbidden = self._movable(request, queryset)
        moved, refused = 0, Counter()
        if forbidden:
            refused["you may not move applications of that company"] += forbidden
        for application in movable.select_related("candidate", "stage"):
            try:
                _run_move(move, application, request.user, **kwargs)
            except MoveError as exc:
                refused[_message_from(exc)] += 1
            else:
                moved += 1
        text = f"{moved} moved"
        if refused:
            reasons = "; ".join(f"{reason} (x{count})" for reason, count in refused.most_common())
            text += f"; {sum(refused.values())} not moved: {reasons}"
        self.message_user(request, text + ".", messages.WARNING if refused else messages.SUCCESS)

    def _too_many(self, request, queryset) -> bool:
        """Refuse a bulk move of more applications than one request should move (each move is a
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

    @admin.action(description="Advance to the next stage", permissions=["change"])
    def advance_selected(self, request, queryset):
        if self._too_many(request, queryset):
            return
        self._bulk(request, queryset, "advance")

    def _confirm(self, request, queryset, form, title, action):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "form": form,
            "action": action,
            "selected": [str(pk) for pk in queryset.values_list("pk", flat=True)],
            "count": queryset.count(),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "select_across": request.POST.get("select_across", "0"),
        }
        return TemplateResponse(request, "admin/hiring/application/action_confirm.html", context)

    @admin.action(description="Move to a stage…", permissions=["change"])
    def move_selected(self, request, queryset):
        if self._too_many(request, queryset):
            return None
        movable, _ = self._movable(request, queryset)
        job_ids = movable.values("job_id")
        if len(set(job_ids.order_by().distinct()[:2].values_list("job_id", flat=True))) > 1:
            # A stage belongs to one job's plan: the choice would list every job's stages.
            self.message_user(
                request,
                "The selected applications are for several jobs; a move to a stage stays within one "
                "job's plan. Filter the list by job first; nothing was moved.",
                messages.ERROR,
            )
            return None
        form = BulkMoveForm(request.POST if "apply" in request.POST else None)
        form.fields["to_stage"] = StageChoiceField(
            queryset=Stage.objects.filter(job_id__in=job_ids)
            .select_related("job")
            .order_by("job__title", "job_id", "position"),
            label="Move to",
        )
        if "apply" in request.POST and form.is_valid():
            self._bulk(
                request,
                queryset,
                "move",
                to_stage=form.cleaned_data["to_stage"],
                note=form.cleaned_data["note"],
            )
            return None
        return self._confirm(request, queryset, form, "Move applications to a stage", "move_selected")

    @admin.action(description="Reject with a reason…", permissions=["change"])
    def reject_selected(self, request, queryset):
        if self._too_many(request, queryset):
            return None
        movable, _ = self._movable(request, queryset)
        form = BulkRejectForm(request.POST if "apply" in request.POST else None)
        form.fields["reason"] = ReasonChoiceField(
            queryset=RejectionReason.objects.filter(
                company_id__in=movable.values("company_id"), is_active=True, kind=RejectionKind.COMPANY
            ).select_related("company"),
        )
        if "apply" in request.POST and form.is_valid():
            data = form.cleaned_data
            self._bulk(request, queryset, "reject", reason=data["reason"], note=data["note"])
            return None
        return self._confirm(request, queryset, form, "Reject applications", "reject_selected")

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
IMPORT_NAME = re.compile(r"^[0-9a-f]{32}\.(csv|xlsx)$")


IMPORT_MAX_BYTES = 50 * 1024 * 1024


def _import_dir() -> Path:
    folder = Path(tempfile.gettempdir()) / "hireloop-imports"
    folder.mkdir(exist_ok=True)
    return folder


def _forget_old_uploads(folder: Path) -> None:
    """Previewed files that were never confirmed are dropped after a day."""
    cutoff = time.time() - 86400
    for old in folder.glob("*"):
        if IMPORT_NAME.match(old.name) and old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)


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
        name = f"{uuid.uuid4().hex}.{'xlsx' if upload.name.lower().endswith('.xlsx') else 'csv'}"
        folder = _import_dir()
        _forget_old_uploads(folder)
        (folder / name).write_bytes(content)
        context["token"] = signing.dumps({"name": name, "user": request.user.pk}, salt=IMPORT_SALT)
        context["file_name"] = upload.name
    return TemplateResponse(request, template, context)


def _import_confirm(model_admin, request, company_ids, context, template):
    try:
        token = signing.loads(request.POST["token"], salt=IMPORT_SALT, max_age=3600)
    except signing.BadSignature:
        raise PermissionDenied("This import has expired; upload the file again.")
    name = token.get("name", "")
    path_ = _import_dir() / name
    if token.get("user") != request.user.pk or not IMPORT_NAME.match(name) or not path_.exists():
        raise PermissionDenied("This import has expired; upload the file again.")
    content = path_.read_bytes()
    try:
        rows = import_file_read(content=content, file_name=name)
        report = applications_import(rows=rows, company_ids=company_ids, actor=request.user)
    except ImportRefused as exc:
        model_admin.message_user(request, _message_from(exc), messages.ERROR)
        return HttpResponseRedirect(reverse("admin:hiring_application_import"))
    if not report.ok:
        context.update({"report": report, "preview": rows[:20], "form": ImportUploadForm()})
        return TemplateResponse(request, template, context)
    path_.unlink(missing_ok=True)
    model_admin.message_user(request, f"Imported. {report.summary()}", messages.SUCCESS)
    return HttpResponseRedirect(reverse("admin:hiring_application_changelist"))


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
