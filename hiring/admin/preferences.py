"""My preferences: every staff user chooses the time zone their admin pages are shown in."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path

from config.admin_site import PlatformAdminMixin
from hiring.display import time_zone_choices
from hiring.memberships import staff_profile_set_time_zone
from hiring.models import StaffProfile
from hiring.selectors import company_time_zone_of


class PreferencesForm(forms.Form):
    time_zone = forms.ChoiceField(
        label="Time zone",
        required=False,
        help_text="Every time in Hireloop is shown to you in this zone, with the zone named.",
    )

    def __init__(self, *args, company_zone: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [("", f"My company's ({company_zone})"), *time_zone_choices()]


@admin.register(StaffProfile)
class StaffProfileAdmin(PlatformAdminMixin, admin.ModelAdmin):
    """One page, /admin/hiring/staffprofile/, always the user's own: no list, no object pages.
    Nobody sees or changes another person's preferences (superusers included: theirs to choose)."""

    def _platform(self, request) -> bool:
        return request.user.is_active and request.user.is_staff

    def get_queryset(self, request):
        return super().get_queryset(request).filter(user_id=request.user.pk)

    def has_add_permission(self, request, *args):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return self._platform(request) and (obj is None or obj.user_id == request.user.pk)

    def has_view_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def get_urls(self):
        mine = path(
            "", self.admin_site.admin_view(self.preferences_view), name="hiring_staffprofile_changelist"
        )
        return [mine]

    def preferences_view(self, request):
        own = StaffProfile.objects.filter(user_id=request.user.pk).values_list("time_zone", flat=True).first()
        company_zone = company_time_zone_of(request.user)
        form = PreferencesForm(
            request.POST or None, initial={"time_zone": own or ""}, company_zone=company_zone
        )
        if request.method == "POST" and form.is_valid():
            try:
                staff_profile_set_time_zone(user=request.user, time_zone=form.cleaned_data["time_zone"])
            except ValidationError as exc:
                form.add_error("time_zone", exc)
            else:
                messages.success(request, "Your preferences are saved.")
                return redirect("admin:hiring_staffprofile_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": "My preferences",
            "form": form,
            "opts": self.model._meta,
            "zone": own or company_zone,
        }
        return TemplateResponse(request, "admin/hiring/staffprofile/preferences.html", context)
