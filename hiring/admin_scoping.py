"""Company scoping for the admin: the one place that decides who sees which company's data.

Every ModelAdmin and inline that shows company data uses these mixins. Permissions come from
the user's Membership roles, not from Django's per-model permission tables: a role means the same
thing in every company, and a user can hold different roles in different companies.
"""

from django.contrib import admin
from django.http import Http404

from .admin_pagination import EstimatedCountPaginator
from .models import Role
from .selectors import company_id_of, roles_by_company, scope_to_companies

ALL_ROLES = frozenset(Role.values)
MANAGERS = frozenset({Role.COMPANY_ADMIN})
READERS = frozenset({Role.COMPANY_ADMIN, Role.RECRUITER, Role.HIRING_MANAGER})


def request_roles(request) -> dict[int, str]:
    """The user's roles by company, computed once per request."""
    cached = getattr(request, "_hireloop_roles", None)
    if cached is None:
        cached = roles_by_company(request.user)
        request._hireloop_roles = cached
    return cached


def company_ids_for(request, roles) -> set[int]:
    return {cid for cid, role in request_roles(request).items() if role in roles}


class ScopedFormFieldsMixin:
    """Narrows every foreign-key and many-to-many choice to the user's companies."""

    view_roles = READERS
    manage_roles = MANAGERS

    def scoped_choices(self, request, queryset, *, manage: bool = False):
        if request.user.is_superuser:
            return queryset
        roles = self.manage_roles if manage else self.view_roles | self.manage_roles
        return scope_to_companies(queryset, company_ids_for(request, roles))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            # The company an object is saved into must be one the user may manage.
            field.queryset = self.scoped_choices(request, field.queryset, manage=db_field.name == "company")
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = self.scoped_choices(request, field.queryset)
        return field

    def role_for(self, request, obj) -> str | None:
        return request_roles(request).get(company_id_of(obj))


class CompanyScopedAdminMixin(ScopedFormFieldsMixin):
    """For every ModelAdmin of company data: scoped queryset, object checks, scoped choices.

    `view_roles` may read, `manage_roles` may add, change and delete. Objects of companies the
    user has no role in do not exist for them (404), whatever the URL.
    """

    show_full_result_count = False
    # Unfiltered lists of big tables show PostgreSQL's row estimate instead of a COUNT(*).
    paginator = EstimatedCountPaginator

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return scope_to_companies(qs, company_ids_for(request, self.view_roles | self.manage_roles))

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404("No such object in your companies.")
        return obj

    def _allowed(self, request, obj, roles) -> bool:
        if not request.user.is_active or not request.user.is_staff:
            return False
        if request.user.is_superuser:
            return True
        if obj is None:
            return bool(company_ids_for(request, roles))
        return self.role_for(request, obj) in roles

    def has_module_permission(self, request):
        return self._allowed(request, None, self.view_roles | self.manage_roles)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, obj, self.view_roles | self.manage_roles)

    def has_add_permission(self, request):
        return self._allowed(request, None, self.manage_roles)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, obj, self.manage_roles)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, obj, self.manage_roles)

    def save_formset(self, request, form, formset, change):
        # Rows created inline belong to the parent's company.
        company_id = company_id_of(form.instance)
        for instance in formset.save(commit=False):
            if hasattr(instance, "company_id") and instance.company_id is None:
                instance.company_id = company_id
            instance.save()
        for instance in formset.deleted_objects:
            instance.delete()
        formset.save_m2m()


class CompanyScopedInlineMixin(ScopedFormFieldsMixin):
    """For inlines: permissions follow the role in the parent object's company."""

    def _allowed(self, request, obj, roles) -> bool:
        if request.user.is_superuser:
            return True
        if obj is None:
            return bool(company_ids_for(request, roles))
        return self.role_for(request, obj) in roles

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, obj, self.view_roles | self.manage_roles)

    def has_add_permission(self, request, obj=None):
        return self._allowed(request, obj, self.manage_roles)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, obj, self.manage_roles)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, obj, self.manage_roles)


class HiddenFromIndexMixin:
    """Registered for change pages, autocomplete and links, but not listed on the admin index."""

    def get_model_perms(self, request):
        return {}


class ScopedRelatedFilter(admin.RelatedOnlyFieldListFilter):
    """A related-object filter whose choices come from the already scoped changelist queryset."""
