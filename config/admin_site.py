"""The Hireloop admin site: the product's main interface."""

from django.contrib import admin
from django.urls import path, reverse


class HireloopAdminSite(admin.AdminSite):
    site_header = "Hireloop"
    site_title = "Hireloop"
    index_title = "Hiring"
    enable_nav_sidebar = True

    # --- manager dashboard (interviews.dashboard) ---------------------------------------
    def get_urls(self):
        dashboard = path("dashboard/", self.admin_view(self.dashboard_view), name="dashboard")
        return [dashboard, *super().get_urls()]

    def dashboard_view(self, request):
        from interviews.dashboard.views import dashboard_view

        return dashboard_view(request, admin_site=self)

    def get_app_list(self, request, app_label=None):
        from interviews.dashboard.views import may_see_dashboard

        app_list = super().get_app_list(request, app_label)
        if app_label is None and may_see_dashboard(request):
            url = reverse("admin:dashboard", current_app=self.name)
            dashboards = {
                "name": "Dashboards",
                "app_label": "dashboards",
                "app_url": url,
                "has_module_perms": True,
                "models": [
                    {
                        "name": "Manager dashboard",
                        "object_name": "Dashboard",
                        "perms": {"view": True},
                        "admin_url": url,
                        "add_url": None,
                        "view_only": True,
                    }
                ],
            }
            app_list = [dashboards, *app_list]
        return app_list
