"""Admin of the candidate portal's records: erasure requests, which staff confirm (or refuse)
here. Company admins of the candidate's company only, like the erasure itself; sign-in links are
never shown (only their hash is kept)."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from careers.models import ErasureRequest, ErasureRequestStatus
from careers.portal.services import erasure_request_confirm, erasure_request_refuse
from hiring.admin_scoping import CompanyScopedAdminMixin, ScopedRelatedFilter, company_ids_for
from hiring.roles import ADMINISTRATORS, RECRUITERS


@admin.register(ErasureRequest)
class ErasureRequestAdmin(CompanyScopedAdminMixin, admin.ModelAdmin):
    """Requests made in the portal; the actions erase the candidates (hiring.privacy) or refuse."""

    view_roles = RECRUITERS
    manage_roles = frozenset()
    list_display = ("requested_at", "candidate_link", "status", "decided_at", "decided_by", "company")
    list_filter = ("status", ("company", ScopedRelatedFilter))
    list_select_related = ("candidate", "company", "decided_by")
    fields = ("candidate_link", "status", "requested_at", "decided_at", "decided_by", "company")
    readonly_fields = fields
    actions = ("confirm_erasure", "refuse_erasure")
    date_hierarchy = "requested_at"

    @admin.display(description="Candidate", ordering="candidate__name")
    def candidate_link(self, obj):
        url = reverse("admin:hiring_candidate_change", args=[obj.candidate_id])
        return format_html('<a href="{}">{}</a>', url, obj.candidate.name)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _decide(self, request, queryset, service, done_message: str) -> None:
        """Run `service` on each pending request of a company the user administers."""
        pending = queryset.filter(status=ErasureRequestStatus.PENDING)
        if not request.user.is_superuser:
            pending = pending.filter(company_id__in=company_ids_for(request, ADMINISTRATORS))
        done = 0
        for erasure in list(pending):
            service(request=erasure, actor=request.user)
            done += 1
        self.message_user(request, done_message.format(done), messages.SUCCESS if done else messages.WARNING)

    @admin.action(description="Confirm: erase the candidates now")
    def confirm_erasure(self, request, queryset):
        self._decide(request, queryset, erasure_request_confirm, "{} candidate(s) erased.")

    @admin.action(description="Refuse the erasure (e.g. a legal hold)")
    def refuse_erasure(self, request, queryset):
        self._decide(request, queryset, erasure_request_refuse, "{} request(s) refused.")
