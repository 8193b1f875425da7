"""Admin for privacy: who viewed candidate data, erased candidates, retention, candidate rights.

The access and erasure logs are read-only and visible to company admins of their company only.
The candidate actions (export everything held, erase now) are added to the candidate admin,
whichever module registers it.
"""

from django.contrib import admin, messages
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import slugify

from hiring.admin.shared import person_column
from hiring.admin_scoping import CompanyScopedAdminMixin, ScopedRelatedFilter, company_ids_for
from hiring.models import AccessLog, Candidate, ErasureLog
from hiring.privacy import (
    candidate_erase,
    candidate_export_json,
    candidates_export_json,
    candidates_past_retention,
)
from hiring.roles import ADMINISTRATORS
from interviews.selectors import scorecards_owed_by


class ReadOnlyLogAdmin(CompanyScopedAdminMixin, admin.ModelAdmin):
    """Audit rows: company admins read their company's rows; nobody adds, changes or deletes."""

    view_roles = ADMINISTRATORS
    manage_roles = frozenset()
    list_filter = (("company", ScopedRelatedFilter),)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyLogAdmin):
    list_display = ("viewed_at", "username", "object_type", "object_id", "view", "company")
    list_filter = ("object_type", ("company", ScopedRelatedFilter))
    search_fields = ("username", "object_id")
    list_select_related = ("company",)
    date_hierarchy = "viewed_at"


@admin.register(ErasureLog)
class ErasureLogAdmin(ReadOnlyLogAdmin):
    list_display = ("erased_at", "candidate_id", "reason", "actor_name", "company")
    list_filter = ("reason", ("company", ScopedRelatedFilter))
    list_select_related = ("company", "actor")
    change_list_template = "admin/hiring/erasurelog/change_list.html"
    actor_name = person_column("actor", "Erased by")

    def changelist_view(self, request, extra_context=None):
        # Dry run of tonight's retention task, for the companies the user administers.
        due = candidates_past_retention()
        if not request.user.is_superuser:
            due = due.filter(company_id__in=company_ids_for(request, ADMINISTRATORS))
        extra_context = {**(extra_context or {}), "retention_due": due.count()}
        return super().changelist_view(request, extra_context)


# -- candidate rights: actions on the candidate admin -------------------------------------------


def _administered(request, queryset):
    """The selected candidates of companies where the user is a company admin."""
    if request.user.is_superuser:
        return list(queryset)
    allowed = company_ids_for(request, ADMINISTRATORS)
    return list(queryset.filter(company_id__in=allowed))


@admin.action(description="Export everything held about the candidate (JSON)")
def export_candidate_data(modeladmin, request, queryset):
    candidates = _administered(request, queryset)
    if not candidates:
        modeladmin.message_user(request, "Only a company admin can export candidate data.", messages.ERROR)
        return None
    # The export holds every scorecard: not while the admin still owes one on the candidate.
    owing = set(
        scorecards_owed_by(request.user)
        .filter(interview__application__candidate__in=[c.pk for c in candidates])
        .values_list("interview__application__candidate_id", flat=True)
    )
    if owing:
        names = ", ".join(sorted(c.name for c in candidates if c.pk in owing))
        modeladmin.message_user(
            request,
            f"You still owe a scorecard for {names}: submit it before exporting their data.",
            messages.ERROR,
        )
        return None
    if len(candidates) == 1:
        body = candidate_export_json(candidate=candidates[0])
        name = f"candidate-{candidates[0].pk}"
    else:
        body = candidates_export_json(candidates=candidates)
        name = f"candidates-{slugify(timezone.now().isoformat())}"
    response = HttpResponse(body, content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    return response


@admin.action(description="Erase now (anonymise the candidate everywhere)")
def erase_candidates(modeladmin, request, queryset):
    candidates = _administered(request, queryset)
    if not candidates:
        modeladmin.message_user(request, "Only a company admin can erase candidates.", messages.ERROR)
        return None
    if request.POST.get("confirm") != "yes":
        context = {
            **modeladmin.admin_site.each_context(request),
            "title": "Erase candidates now?",
            "opts": modeladmin.model._meta,
            "candidates": candidates,
            "action": "erase_candidates",
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/hiring/candidate/erase_confirmation.html", context)
    erased = sum(1 for c in candidates if candidate_erase(candidate=c, actor=request.user) is not None)
    modeladmin.message_user(
        request,
        f"Erased {erased} candidate{'s' if erased != 1 else ''}; the erasure log keeps no personal data.",
        messages.SUCCESS,
    )
    return None


CANDIDATE_ACTIONS = (export_candidate_data, erase_candidates)


def candidate_privacy_actions_install(site=admin.site) -> bool:
    """Add the candidate-rights actions to the registered candidate admin (idempotent)."""
    candidate_admin = site._registry.get(Candidate)
    if candidate_admin is None:
        return False
    current = tuple(candidate_admin.actions or ())
    candidate_admin.actions = current + tuple(a for a in CANDIDATE_ACTIONS if a not in current)
    return True
