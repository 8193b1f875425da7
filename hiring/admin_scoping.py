"""Company scoping for the admin: the one place that decides who sees which company's data.

Every ModelAdmin and inline that shows company data uses these mixins. Permissions come from
the user's Membership roles, not from Django's per-model permission tables: a role means the same
thing in every company, and a user can hold different roles in different companies.
"""

from collections import defaultdict
from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.filters import FieldListFilter
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteMixin
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Model
from django.db.models.constants import LOOKUP_SEP
from django.http import Http404
from django.utils.html import format_html

from .admin_lists import QuickListMixin
from .admin_pagination import EstimatedCountPaginator
from .middleware import loaded_objects
from .roles import ADMINISTRATORS, READERS
from .selectors import company_id_of, company_path_of, roles_by_company, scope_to_companies


def request_roles(request) -> dict[int, str]:
    """The user's roles by company, computed once per request."""
    cached = getattr(request, "_hireloop_roles", None)
    if cached is None:
        cached = roles_by_company(request.user)
        request._hireloop_roles = cached
    return cached


def company_ids_for(request, roles) -> set[int]:
    """Ids of the companies where the user holds one of `roles` (read with the request's user)."""
    return {cid for cid, role in request_roles(request).items() if role in roles}


# Autocomplete widgets of an object's form ask the search view for that object's company only,
# so a user who works for two companies is never offered the other company's rows.
AUTOCOMPLETE_COMPANY_PARAM = "company"

OTHER_COMPANY_CHOICE = (
    "That choice belongs to another company or no longer exists; choose one of this company's."
)
OTHER_COMPANY_CHOICES = (
    "%(value)s belongs to another company or no longer exists; choose only this company's."
)


def autocomplete_company_hint(request) -> int | None:
    """The company an autocomplete request is narrowed to, or None outside autocomplete."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.url_name != "autocomplete":
        return None
    value = request.GET.get(AUTOCOMPLETE_COMPANY_PARAM, "")
    return int(value) if value.isdigit() else None


class CompanyAutocompleteWidgetMixin:
    """An admin autocomplete widget that names the company of the object being edited, and
    renders already-selected rows from labels the form already holds (no query per row)."""

    company_hint: int | None = None
    known_labels: dict | None = None

    def get_url(self):
        url = super().get_url()
        if self.company_hint is None:
            return url
        return f"{url}?{urlencode({AUTOCOMPLETE_COMPANY_PARAM: self.company_hint})}"

    def optgroups(self, name, value, attr=None):
        # A form re-displayed after bad input may hold values that are not keys at all (" ",
        # "abc"): leave them out rather than let the database lookup fail.
        value = [v for v in value if self._is_key(v)]
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        labels = self.known_labels
        if labels is None or not selected <= labels.keys():
            return super().optgroups(name, value, attr)
        groups = [(None, [], 0)]
        options = groups[0][1]
        if not self.is_required and not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "", False, 0))
        for pk in sorted(selected, key=lambda v: (len(v), v)):
            options.append(self.create_option(name, pk, labels[pk], selected, len(options)))
        return groups

    def _is_key(self, value) -> bool:
        remote = self.field.remote_field
        field_name = getattr(remote, "field_name", None)
        target = remote.model._meta.get_field(field_name) if field_name else remote.model._meta.pk
        try:
            target.to_python(value)
        except ValidationError:
            return False
        return True


_HINTED_WIDGETS: dict[type, type] = {}


def _hinted(widget):
    """The autocomplete widget inside an admin wrapper, switched to the company-aware class."""
    inner = getattr(widget, "widget", widget)
    if not isinstance(inner, AutocompleteMixin):
        return None
    cls = type(inner)
    if not issubclass(cls, CompanyAutocompleteWidgetMixin):
        if cls not in _HINTED_WIDGETS:
            _HINTED_WIDGETS[cls] = type(f"Company{cls.__name__}", (CompanyAutocompleteWidgetMixin, cls), {})
        inner.__class__ = _HINTED_WIDGETS[cls]
    return inner


def narrow_form_to_company(form_class, company_id: int | None, *, keep=("company",)) -> None:
    """Limit every related choice of a form class (dropdowns, autocomplete, validation) to one
    company; models that belong to no company are left alone."""
    if company_id is None:
        return
    for name, field in form_class.base_fields.items():
        queryset = getattr(field, "queryset", None)
        if name in keep or queryset is None or company_path_of(queryset.model) in (None, "pk"):
            continue
        field.queryset = scope_to_companies(queryset, [company_id])
        field.error_messages["invalid_choice"] = (
            OTHER_COMPANY_CHOICES if "invalid_pk_value" in field.error_messages else OTHER_COMPANY_CHOICE
        )
        inner = _hinted(field.widget)
        if inner is not None:
            inner.company_hint = company_id


def hide_company_choice(form_class, company_id: int) -> None:
    """A user who may add to one company only is not asked which: the company field of an add
    form becomes a hidden, disabled input set to it (whatever is posted, the object goes to that
    company), and every other choice of the form comes from it."""
    field = form_class.base_fields.get("company")
    if field is None or getattr(field, "queryset", None) is None:
        return
    field.queryset = field.queryset.filter(pk=company_id)
    field.initial = company_id
    field.widget = forms.HiddenInput()
    field.disabled = True
    narrow_form_to_company(form_class, company_id)


def remember_selected_labels(form) -> None:
    """Give the autocomplete widgets of a bound-to-instance form the labels of the rows already
    selected, taken from select_related / prefetch_related caches, so rendering needs no query."""
    instance = form.instance
    if instance.pk is None:
        return
    prefetched = getattr(instance, "_prefetched_objects_cache", {})
    for name, field in form.fields.items():
        inner = getattr(field.widget, "widget", field.widget)
        if not isinstance(inner, CompanyAutocompleteWidgetMixin):
            continue
        model_field = instance._meta.get_field(name)
        if model_field.many_to_many:
            if name not in prefetched:
                continue
            rows = list(prefetched[name])
        elif model_field.is_cached(instance):
            row = getattr(instance, name)
            rows = [row] if isinstance(row, Model) else []
        else:
            continue
        inner.known_labels = {str(r.pk): field.label_from_instance(r) for r in rows}


def load_choices_once(field, queryset) -> None:
    """Use `queryset` for a select field and load its options once for every row of a formset,
    instead of once per row; validation still runs against the queryset."""
    field.queryset = queryset
    empty = [("", field.empty_label)] if field.empty_label is not None else []
    field.choices = empty + [(obj.pk, field.label_from_instance(obj)) for obj in queryset]


class CompanyFormMixin:
    """For admin forms whose related choices were narrowed to one company."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        remember_selected_labels(self)


def choice_label_of(obj) -> str:
    """How a row is offered as a choice: its model's `choice_label()` (own fields only, like
    __str__), else str(obj). Jobs say their team, location and status."""
    label = getattr(obj, "choice_label", None)
    return label() if callable(label) else str(obj)


def label_choices(field) -> None:
    """Offer a choice field's rows by their choice label (select options and autocomplete)."""
    if callable(getattr(field.queryset.model, "choice_label", None)):
        field.label_from_instance = choice_label_of


class ScopedFormFieldsMixin:
    """Narrows every foreign-key and many-to-many choice to the user's companies."""

    view_roles = READERS
    manage_roles = ADMINISTRATORS

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
            label_choices(field)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = self.scoped_choices(request, field.queryset)
            label_choices(field)
        return field

    def role_for(self, request, obj) -> str | None:
        return request_roles(request).get(company_id_of(obj))


# --- List filters: a value outside the user's scope empties the list ------------------------------


def _model_named_by_lookup(model: type[Model], key: str) -> type[Model] | None:
    """The model whose rows a list lookup names by id (`job`, `job_id`, `job__id__exact`,
    `job__in`, `candidate__company__id__in`), or None for any other kind of lookup."""
    parts = key.split(LOOKUP_SEP)
    if parts[-1] in ("exact", "in"):
        parts = parts[:-1]
    if len(parts) > 1 and parts[-1] in ("id", "pk"):
        parts = parts[:-1]
    target = model
    for part in parts:
        try:
            field = target._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        if not field.is_relation or field.related_model is None:
            return None
        target = field.related_model
    return target if parts else None


def filters_outside_scope(request, model_admin, params: dict[str, list[str]]) -> list[str]:
    """The `key=value` filters of a list that name rows of other companies, or rows that do not
    exist: a filter on a job, a stage, a company... must name one of the user's own."""
    if request.user.is_superuser:
        return []
    wanted: dict[type[Model], set] = defaultdict(set)
    shown: dict[tuple[type[Model], object], str] = {}
    for key, values in params.items():
        target = _model_named_by_lookup(model_admin.model, key)
        if target is None or company_path_of(target) is None:
            continue
        for value in values:
            for part in value.split(",") if key.endswith("__in") else [value]:
                try:
                    pk = target._meta.pk.to_python(part)
                except ValidationError:
                    continue  # not an id: the filter itself answers (nothing, or an error page)
                if pk is None:
                    continue
                wanted[target].add(pk)
                shown.setdefault((target, pk), f"{key}={value}")
    if not wanted:
        return []
    companies = company_ids_for(request, model_admin.view_roles | model_admin.manage_roles)
    outside = []
    for target, pks in wanted.items():
        rows = scope_to_companies(target._default_manager.filter(pk__in=pks), companies)
        found = set(rows.values_list("pk", flat=True))
        outside += [shown[(target, pk)] for pk in pks - found]
    return sorted(set(outside))


def _recorded(list_filter, built: list):
    """A `list_filter` entry that builds the same filter and keeps it in `built`."""

    def keep(spec):
        built.append(spec)
        return spec

    if callable(list_filter):
        return lambda *args, **kwargs: keep(list_filter(*args, **kwargs))
    if isinstance(list_filter, (tuple, list)):
        field, filter_class = list_filter
    else:
        field, filter_class = list_filter, FieldListFilter.create
    return (field, lambda *args, **kwargs: keep(filter_class(*args, **kwargs)))


class ScopedChangeList(ChangeList):
    """A changelist whose filters never fall back to the unfiltered list.

    Django applies only the filters it shows, and shows only those with choices: a company filter
    for a user of one company, a stage filter before a job is chosen, took their value from the
    query string and dropped it, listing everything. Here every filter given a value is applied,
    shown or not; and a value naming another company's rows (or none) empties the list, with a
    message saying which filter did it."""

    hidden_filter_specs: list = []
    outside_scope: list[str] = []

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        if self.outside_scope and not getattr(request, "_hireloop_scope_warned", False):
            request._hireloop_scope_warned = True
            messages.add_message(
                request,
                messages.WARNING,
                format_html(
                    "Nothing is listed: the filter {} names something outside your companies, or "
                    'something that no longer exists. <a href="{}">Show the list without filters</a>.',
                    ", ".join(self.outside_scope),
                    request.path,
                ),
                fail_silently=True,
            )

    def get_filters(self, request):
        built: list = []
        declared = self.list_filter
        self.list_filter = [_recorded(item, built) for item in declared]
        try:
            specs, has_filters, remaining, duplicates, active = super().get_filters(request)
        finally:
            self.list_filter = declared
        shown = {id(spec) for spec in specs}
        self.hidden_filter_specs = [s for s in built if id(s) not in shown and s.used_parameters]
        self.outside_scope = filters_outside_scope(request, self.model_admin, self.get_filters_params())
        return specs, has_filters, remaining, duplicates, active or bool(self.hidden_filter_specs)

    def get_queryset(self, request, exclude_parameters=None):
        qs = super().get_queryset(request, exclude_parameters)
        for spec in self.hidden_filter_specs:
            filtered = spec.queryset(request, qs)
            if filtered is not None:
                qs = filtered
        return qs.none() if self.outside_scope else qs


_SCOPED_CHANGELISTS: dict[type, type] = {}


class CompanyScopedAdminMixin(QuickListMixin, ScopedFormFieldsMixin):
    """For every ModelAdmin of company data: scoped queryset, object checks, scoped choices.

    `view_roles` may read, `manage_roles` may add, change and delete. Objects of companies the
    user has no role in do not exist for them (404), whatever the URL.
    """

    show_full_result_count = False

    def get_changelist(self, request, **kwargs):
        changelist = super().get_changelist(request, **kwargs)
        if issubclass(changelist, ScopedChangeList):
            return changelist
        if changelist not in _SCOPED_CHANGELISTS:
            _SCOPED_CHANGELISTS[changelist] = type(
                f"Scoped{changelist.__name__}", (ScopedChangeList, changelist), {}
            )
        return _SCOPED_CHANGELISTS[changelist]

    def response_action(self, request, queryset):
        # Ids of rows the user cannot see (another company's) select nothing: the action is not run,
        # so no action has to cope with an empty selection.
        selected = request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME)
        if selected and request.POST.get("select_across") != "1" and "action" in request.POST:
            try:
                found = queryset.filter(pk__in=selected).exists()
            except (ValueError, ValidationError):
                found = False
            if not found:
                self.message_user(request, "None of the selected items could be found.", messages.WARNING)
                return None
        return super().response_action(request, queryset)

    # Unfiltered lists of big tables show PostgreSQL's row estimate instead of a COUNT(*).
    paginator = EstimatedCountPaginator

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return scope_to_companies(qs, company_ids_for(request, self.view_roles | self.manage_roles))

    def sole_company_id(self, request) -> int | None:
        """The company a new object goes to when the user may add to exactly one (else None)."""
        if request.user.is_superuser:
            return None
        ids = company_ids_for(request, self.manage_roles)
        return next(iter(ids)) if len(ids) == 1 else None

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None:
            # An existing object's choices come from its own company only.
            form = type(form.__name__, (CompanyFormMixin, form), {})
            narrow_form_to_company(form, company_id_of(obj))
        elif (sole := self.sole_company_id(request)) is not None:
            hide_company_choice(form, sole)
        return form

    def get_object(self, request, object_id, from_field=None):
        # A page that reads its object twice (its own context, then Django's change view) gets
        # the row loaded once. Only while reading: a POST must see what it is about to change.
        reading = request.method in ("GET", "HEAD")
        key = (self.model, str(object_id), from_field)
        loaded = loaded_objects(request)
        if reading and key in loaded:
            return loaded[key]
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404("No such object in your companies.")
        if reading:
            loaded[key] = obj
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
    """For inlines: permissions follow the role in the parent object's company, and every
    related choice of a row comes from the parent's company."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None:
            formset.form = type(formset.form.__name__, (CompanyFormMixin, formset.form), {})
            narrow_form_to_company(formset.form, company_id_of(obj))
        return formset

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


class ScopedRelatedFilter(admin.RelatedFieldListFilter):
    """A filter on the company of the listed rows, offering the companies the list is scoped to.

    The choices are read from the company table (at most 100), not with a DISTINCT over the listed
    rows: for a superuser that would read a whole big table (notifications, the access log) on
    every page of the list."""

    max_choices = 100

    def field_choices(self, field, request, model_admin):
        rows = field.related_model._default_manager.all()
        if not request.user.is_superuser:
            roles = model_admin.view_roles | model_admin.manage_roles
            rows = scope_to_companies(rows, company_ids_for(request, roles))
        ordering = self.field_admin_ordering(field, request, model_admin) or rows.model._meta.ordering
        return [(row.pk, str(row)) for row in rows.order_by(*ordering, "pk")[: self.max_choices]]


class ScopedAutocompleteJsonView(AutocompleteJsonView):
    """The admin's autocomplete, limited to one company when the asking form says which (the
    form of an existing object offers that object's company's rows only). Scoping and the view
    permission come from the admin, with the roles read together with the user: the rows are
    the view's only query of its own."""

    def get_queryset(self):
        queryset = super().get_queryset()
        hint = autocomplete_company_hint(self.request)
        if hint is not None and isinstance(self.model_admin, CompanyScopedAdminMixin):
            queryset = scope_to_companies(queryset, [hint])
        return queryset

    def serialize_result(self, obj, to_field_name):
        # An admin may name its rows better than __str__ can without a query (autocomplete_label).
        result = super().serialize_result(obj, to_field_name)
        label = getattr(self.model_admin, "autocomplete_label", None)
        result["text"] = label(obj) if label is not None else choice_label_of(obj)
        return result
