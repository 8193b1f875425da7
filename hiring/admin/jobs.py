"""Admin for jobs (opened from a process template, with their plan of stages) and rejection reasons.

Company admins and recruiters open and edit jobs; hiring managers read them. Only company admins
delete a job or manage the rejection reasons.
"""

from adminsortable2.admin import SortableAdminBase, SortableTabularInline
from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.forms.formsets import DELETION_FIELD_NAME
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from hiring.admin.board import JobBoardMixin
from hiring.admin.questions import JobQuestionInline
from hiring.admin.shared import PAY_FIELDS, CompanyFilter, ScopedHistoryMixin, ServiceErrorsAsMessagesMixin
from hiring.admin_lists import object_url
from hiring.admin_scoping import CompanyScopedAdminMixin, CompanyScopedInlineMixin
from hiring.models import ApplicationStatus, Job, JobStatus, RejectionReason, RemoteOption, Stage
from hiring.roles import ADMINISTRATORS, READERS, RECRUITERS
from hiring.services import job_stage_delete, job_stage_deletion_refusal
from interviews.openings import job_opening_refusal
from interviews.plans import job_check, job_create_from_template


class _RemoteDefault:
    """The remote option defaults to on-site when a post leaves it out (a form built before the
    field existed, a script)."""

    def clean_remote(self):
        return self.cleaned_data.get("remote") or RemoteOption.ONSITE


class JobAddForm(_RemoteDefault, forms.ModelForm):
    class Meta:
        model = Job
        fields = (
            "company",
            "template",
            "title",
            "team",
            "location",
            "level",
            "remote",
            "hiring_manager",
            "status",
            "headcount",
            "salary_band_max",
            "is_published",
            "description",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].required = True
        if "remote" in self.fields:
            self.fields["remote"].required = False
        self.fields["template"].help_text = "The job gets its own copy of the template's stages and kits."

    def clean(self):
        cleaned = super().clean()
        company = cleaned.get("company")
        if company:
            try:
                job_check(
                    company_id=company.pk,
                    template=cleaned.get("template"),
                    hiring_manager=cleaned.get("hiring_manager"),
                )
            except ValidationError as exc:
                self.add_error(None, exc)  # keyed by field: template, hiring_manager
            _opening_checked(self, Job(company=company), was_status=None)
        return cleaned


def _opening_checked(form, job: Job, *, was_status) -> None:
    """Refuse to open a job the company's approval policy has not approved (it stays a draft)."""
    cleaned = form.cleaned_data
    for name in ("status", "headcount", "hiring_manager", "salary_band_max"):
        if name in cleaned:
            setattr(job, name, cleaned[name])
    job.headcount = job.headcount or 1
    refusal = job_opening_refusal(job, was_status=was_status)
    if refusal:
        form.add_error("status", refusal)


class JobChangeForm(_RemoteDefault, forms.ModelForm):
    class Meta:
        model = Job
        fields = (
            "title",
            "team",
            "location",
            "level",
            "remote",
            "hiring_manager",
            "status",
            "headcount",
            "salary_band_max",
            "opened_on",
            "closed_on",
            "is_published",
            "description",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "remote" in self.fields:
            self.fields["remote"].required = False

    def clean(self):
        cleaned = super().clean()
        try:
            job_check(company_id=self.instance.company_id, hiring_manager=cleaned.get("hiring_manager"))
        except ValidationError as exc:
            self.add_error(None, exc)
        was = Job.objects.filter(pk=self.instance.pk).values_list("status", flat=True).first()
        copy = Job(pk=self.instance.pk, company_id=self.instance.company_id, status=was)
        _opening_checked(self, copy, was_status=was)
        return cleaned


class JobStageInline(CompanyScopedInlineMixin, SortableTabularInline):
    model = Stage
    fk_name = "job"
    fields = ("position", "name", "kind", "sla_days", "is_optional", *PAY_FIELDS, "plan_summary")
    readonly_fields = ("plan_summary",)
    extra = 0
    show_change_link = True
    verbose_name = "stage of the plan"
    verbose_name_plural = "plan (open a stage for its tracks and interview kits)"
    view_roles = READERS
    manage_roles = RECRUITERS

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
    JobBoardMixin,
    ScopedHistoryMixin,
    ServiceErrorsAsMessagesMixin,
    CompanyScopedAdminMixin,
    SortableAdminBase,
    SimpleHistoryAdmin,
):
    view_roles = READERS
    manage_roles = RECRUITERS
    list_display = (
        "title",
        "company",
        "status",
        "is_published",
        "team",
        "manager_name",
        "headcount",
        "active_applications",
        "board_link",
        "opened_on",
    )
    list_filter = ("status", "is_published", CompanyFilter)
    search_fields = ("title", "team", "location")
    list_select_related = ("company", "hiring_manager")
    autocomplete_fields = ("hiring_manager", "template")
    ordering = ("title", "id")
    inlines = (JobStageInline, JobQuestionInline)

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

    @admin.display(description="Board")
    def board_link(self, obj):
        return format_html('<a href="{}">Board</a>', object_url("admin:hiring_job_board", obj.pk))

    def view_on_site(self, obj):
        """The job's stable public URL (by id) on the careers site; 404 there until published and open."""
        return reverse("careers:job", args=[obj.company.slug, obj.pk])

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
            ("team", "location", "level", "remote"),
            "hiring_manager",
            ("status", "headcount", "salary_band_max"),
            ("opened_on", "closed_on"),
            "is_published",
            "description",
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
            remote=data.get("remote") or RemoteOption.ONSITE,
            hiring_manager=data.get("hiring_manager"),
            status=data.get("status") or JobStatus.DRAFT,
            headcount=data.get("headcount") or 1,
            salary_band_max=data.get("salary_band_max"),
            is_published=bool(data.get("is_published")),
            description=data.get("description", ""),
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
        return self._allowed(request, obj, ADMINISTRATORS)


# --- Rejection reasons --------------------------------------------------------------------------


@admin.register(RejectionReason)
class RejectionReasonAdmin(CompanyScopedAdminMixin, admin.ModelAdmin):
    view_roles = READERS
    manage_roles = ADMINISTRATORS
    list_display = ("name", "kind", "is_active", "company")
    list_filter = ("kind", "is_active", CompanyFilter)
    search_fields = ("name",)
    list_select_related = ("company",)
