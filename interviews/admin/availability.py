"""Admin for self-scheduling: each interviewer's availability (weekly hours and exceptions, in
their own time zone) and the company's self-scheduling settings (an inline of the company page).

Who edits an availability: its interviewer, and the company admins of its company. Everyone else
in the company does not see it (404): the list and every URL go through `get_queryset`.
"""

from django import forms
from django.contrib import admin
from django.db.models import Count, Q
from django.utils import timezone

from hiring.admin_scoping import CompanyScopedAdminMixin, company_ids_for
from hiring.models import Membership
from hiring.roles import ADMINISTRATORS, EVERYONE
from interviews.models import Availability, AvailabilityException, SchedulingSettings, WeeklyHours


def _may_edit(request, availability: Availability | None) -> bool:
    """The availability's own interviewer, or a company admin of its company (or a superuser)."""
    user = request.user
    if not (user.is_active and user.is_staff):
        return False
    if user.is_superuser or availability is None:
        return True
    return availability.membership.user_id == user.pk or availability.company_id in company_ids_for(
        request, ADMINISTRATORS
    )


def _editable_q(request) -> Q:
    return Q(membership__user_id=request.user.pk) | Q(company_id__in=company_ids_for(request, ADMINISTRATORS))


class _ParentRuleInline:
    """An inline whose rows are edited by whoever may edit the availability they belong to."""

    extra = 0

    def has_view_permission(self, request, obj=None):
        return _may_edit(request, obj)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


class WeeklyHoursInline(_ParentRuleInline, admin.TabularInline):
    model = WeeklyHours
    fields = ("weekday", "starts_at", "ends_at")
    verbose_name = "weekly hours"
    verbose_name_plural = "Weekly hours (in the time zone above)"


class AvailabilityExceptionInline(_ParentRuleInline, admin.TabularInline):
    model = AvailabilityException
    fields = ("kind", "starts_on", "ends_on", "starts_at", "ends_at", "note")
    verbose_name_plural = "Exceptions: days or hours unavailable, or extra hours"

    def get_queryset(self, request):
        # Past exceptions no longer matter to anyone: the form shows today's and later ones.
        return super().get_queryset(request).filter(ends_on__gte=timezone.localdate())


class AvailabilityForm(forms.ModelForm):
    class Meta:
        model = Availability
        fields = ("membership", "time_zone")


@admin.register(Availability)
class AvailabilityAdmin(CompanyScopedAdminMixin, admin.ModelAdmin):
    view_roles = EVERYONE
    manage_roles = EVERYONE
    form = AvailabilityForm
    list_display = ("interviewer", "time_zone", "weekly_ranges", "upcoming_exceptions", "updated_at")
    list_select_related = ("membership",)
    search_fields = ("membership__display_name",)
    ordering = ("membership__display_name", "id")
    inlines = (WeeklyHoursInline, AvailabilityExceptionInline)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if not request.user.is_superuser:
            qs = qs.filter(_editable_q(request))
        today = timezone.localdate()
        return qs.annotate(
            weekly_count=Count("weekly_hours", distinct=True),
            exception_count=Count("exceptions", filter=Q(exceptions__ends_on__gte=today), distinct=True),
        )

    @admin.display(description="Interviewer", ordering="membership__display_name")
    def interviewer(self, obj):
        return obj.membership.display_name

    @admin.display(description="Weekly ranges", ordering="weekly_count")
    def weekly_ranges(self, obj):
        return obj.weekly_count

    @admin.display(description="Upcoming exceptions", ordering="exception_count")
    def upcoming_exceptions(self, obj):
        return obj.exception_count

    def get_readonly_fields(self, request, obj=None):
        return ("membership",) if obj is not None else ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "membership" and not request.user.is_superuser:
            # One's own memberships, and those of the companies one administers.
            field.queryset = Membership.objects.filter(
                Q(user_id=request.user.pk) | Q(company_id__in=company_ids_for(request, ADMINISTRATORS))
            )
        return field

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and _may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and _may_edit(request, obj)

    def save_model(self, request, obj, form, change):
        obj.company_id = obj.membership.company_id
        super().save_model(request, obj, form, change)


class SchedulingSettingsInline(admin.StackedInline):
    """On the company page: shown to whoever sees the company, changed by its company admins."""

    model = SchedulingSettings
    fields = ("change_notice_hours",)
    can_delete = False
    max_num = 1
    verbose_name_plural = "Self-scheduling"

    def _admin_of(self, request, obj) -> bool:
        return request.user.is_superuser or (
            obj is not None and obj.pk in company_ids_for(request, ADMINISTRATORS)
        )

    def has_add_permission(self, request, obj=None):
        return self._admin_of(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._admin_of(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False
