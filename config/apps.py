from django.contrib.admin.apps import AdminConfig


class HireloopAdminConfig(AdminConfig):
    default_site = "config.admin_site.HireloopAdminSite"
