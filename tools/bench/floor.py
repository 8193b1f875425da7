"""The bench's floor: the cheapest pages the admin can serve, measured in the same run as the
others so that a page's time can be read against the machine's speed at that moment.

- the 50-row floor: an admin list of a plain model, Django's `auth.Group` (no company, no join, no
  filter, one column), 50 groups named "Bench floor 01".."50", with `ModelAdmin` defaults;
- the empty floor: the same list filtered to no row (the chrome, the session and the user only).

Both are served to the company user the company lists are measured with, by a second site of the
same admin class (`floor_site`, its own sidebar listing only the groups) mounted at /bench-floor/
by `urlpatterns` here; the bench uses these URLs only while it measures the floor (the product's
URLs do not include them).
"""

from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import include, path

import config.urls
from config.admin_site import HireloopAdminSite

FLOOR_ROWS = 50
FLOOR_PREFIX = "Bench floor "
FLOOR_URLCONF = "tools.bench.floor"


class FloorGroupAdmin(admin.ModelAdmin):
    """A plain list: one column, Django's defaults; readable by any staff user, nothing else."""

    list_display = ("name",)
    ordering = ("name",)
    show_full_result_count = False

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


floor_site = HireloopAdminSite(name="bench_floor")
# The product's site hands models it does not scope to superusers only; the floor's list is plain.
admin.AdminSite.register(floor_site, Group, FloorGroupAdmin)

urlpatterns = [path("bench-floor/", floor_site.urls), path("", include(config.urls))]


def floor_groups() -> None:
    """The FLOOR_ROWS groups of the floor list (created once; a group grants nothing by itself)."""
    names = [f"{FLOOR_PREFIX}{k:02}" for k in range(1, FLOOR_ROWS + 1)]
    Group.objects.bulk_create([Group(name=name) for name in names], ignore_conflicts=True)
    if Group.objects.filter(name__startswith=FLOOR_PREFIX).count() != FLOOR_ROWS:
        raise RuntimeError(f"The floor list needs exactly {FLOOR_ROWS} groups named {FLOOR_PREFIX}NN.")
