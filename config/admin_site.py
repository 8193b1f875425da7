"""The Hireloop admin site: the product's main interface."""

from django.contrib import admin


class HireloopAdminSite(admin.AdminSite):
    site_header = "Hireloop"
    site_title = "Hireloop"
    index_title = "Hiring"
    enable_nav_sidebar = True
