"""Admin for candidates: their details, résumé and applications.

Company admins and recruiters add and edit candidates; hiring managers read them. Only company
admins delete one, and a deletion is an erasure (hiring.privacy).
"""

from django import forms
from django.contrib import admin
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from simple_history.admin import SimpleHistoryAdmin

from hiring.admin.files import PrivateFileDownloadMixin
from hiring.admin.notes import candidate_notes_panel
from hiring.admin.shared import CompanyFilter, ScopedHistoryMixin
from hiring.admin.tags import TagBulkActionsMixin, TagFilter, TagsColumnMixin
from hiring.admin_lists import BIG_LIST_PER_PAGE
from hiring.admin_scoping import CompanyScopedAdminMixin, CompanyScopedInlineMixin
from hiring.admin_search import IndexedSearchMixin
from hiring.models import Application, Candidate
from hiring.privacy import candidates_delete
from hiring.resume_text import candidate_resume_text_refresh
from hiring.roles import ADMINISTRATORS, READERS, RECRUITERS


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
            "time_zone",
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
        tags = cleaned.get("tags")
        if company and tags and any(tag.company_id != company.pk for tag in tags):
            self.add_error("tags", f"Choose tags of {company} only.")
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
    TagBulkActionsMixin,
    TagsColumnMixin,
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
    manage_roles = RECRUITERS
    list_display = ("name", "email", "source", "tag_list", "application_count", "company", "created_at")
    list_filter = ("source", TagFilter, CompanyFilter)
    # Any word of the name (or its start), an email or its start, a tag, a word of the résumé
    # (hiring/search.py; answered by indexes on big tables).
    search_fields = ("name", "^email")
    autocomplete_fields = ("tags",)
    actions = ("tag_selected", "untag_selected")
    list_select_related = ("company",)
    list_per_page = BIG_LIST_PER_PAGE
    inlines = (CandidateApplicationInline,)
    fieldsets = (
        (None, {"fields": ("company", "name", "email", "phone", "location", "source", "tags")}),
        ("Links and résumé", {"fields": ("linkedin_url", "github_url", "website_url", "resume")}),
        ("Personal data", {"fields": ("consent_on", "retain_until")}),
        # Chosen by the candidate in the candidate portal (their interview times are shown in it).
        ("Candidate portal", {"fields": ("time_zone",)}),
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

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "resume" in form.changed_data:
            # Read for search; a file that cannot be read is kept all the same.
            candidate_resume_text_refresh(candidate=obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra_context = {**(extra_context or {}), "notes_panel": candidate_notes_panel(request, obj)}
        return super().change_view(request, object_id, form_url, extra_context)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, obj, ADMINISTRATORS)

    # A deletion is an erasure first: Django logs it and simple-history records it with the
    # candidate's values as they are when the rows go, which are then anonymised.
    def delete_model(self, request, obj):
        candidates_delete(candidates=[obj], actor=request.user)

    def delete_queryset(self, request, queryset):
        candidates_delete(candidates=queryset.order_by("pk"), actor=request.user)
