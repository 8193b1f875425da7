"""The rows of the big admin lists, rendered with Django's markup at a fraction of its cost.

Django's `items_for_result` works out, for every cell of every row, what kind of column it is
(raising and catching FieldDoesNotExist for each method column), rebuilds a field's choices as a
dict, resolves the change URL's path again to add the list's filters, and formats the cell through
`format_html`; the template then renders each cell as a variable. Here the kind, the CSS class,
the link and the choices of each column are worked out once per page (`_columns`), the filters'
suffix once, and each row is one string of `<td>`s, escaped the same way. The output is the same
markup (tests/hiring/test_admin_rows.py compares it with Django's on every company list).

Used by `QuickChangeList` lists without list_editable and outside popups; the others keep
Django's rendering.
"""

import datetime
from dataclasses import dataclass

from django import template
from django.contrib.admin.templatetags.admin_list import (
    _coerce_field_name,
    result_headers,
    result_hidden_fields,
)
from django.contrib.admin.templatetags.admin_list import result_list as django_result_list
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import display_for_field, display_for_value
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.urls import NoReverseMatch
from django.utils.hashable import make_hashable
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe

_NOWRAP_FIELDS = (models.DateField, models.TimeField, models.ForeignKey)


@dataclass
class _Column:
    name: str
    classes: str  # the cell's class attribute
    link: bool
    tag: str  # "th" for the first link, else "td"
    field: models.Field | None = None  # a model field shown by Django's display_for_field
    admin_attr: object = None  # a ModelAdmin method, or a callable given in list_display
    object_attr: str | None = None  # an attribute (or method) of the object
    choices: dict | None = None
    empty: str = ""
    boolean: bool = False
    foreign_key: bool = False


def _columns(cl) -> list[_Column]:
    model_admin, opts = cl.model_admin, cl.lookup_opts
    default_empty = model_admin.get_empty_value_display()
    columns, first = [], True
    for index, name in enumerate(cl.list_display):
        if cl.list_display_links is None:
            link = False
        elif first and not cl.list_display_links:
            link = True
        else:
            link = name in cl.list_display_links
        tag = "td"
        if link:
            tag = "th" if first else "td"
            first = False
        column = _Column(name=name, classes=f"field-{_coerce_field_name(name, index)}", link=link, tag=tag)
        column.empty = default_empty
        if callable(name):
            column.admin_attr = name
        elif hasattr(model_admin, name) and name != "__str__":
            column.admin_attr = getattr(model_admin, name)
        else:
            try:
                field = opts.get_field(name)
            except FieldDoesNotExist:
                column.object_attr = name
            else:
                if field.is_relation and (field.many_to_many or field.one_to_many):
                    column.object_attr = name  # as lookup_field: not shown as a field
                elif field.auto_created:
                    column.object_attr = name
                else:
                    column.field = field
                    column.foreign_key = isinstance(field.remote_field, models.ManyToOneRel)
                    if getattr(field, "flatchoices", None) and not column.foreign_key:
                        column.choices = dict(make_hashable(field.flatchoices))
                    if isinstance(field, _NOWRAP_FIELDS):
                        column.classes += " nowrap"
        if column.admin_attr is not None:
            column.empty = getattr(column.admin_attr, "empty_value_display", default_empty)
            column.boolean = getattr(column.admin_attr, "boolean", False)
            if name == "action_checkbox":
                column.classes = "action-checkbox"
        columns.append(column)
    return columns


def _cell(column: _Column, obj) -> str:
    """The cell's content (escaped) and its class attribute, as Django's items_for_result makes them."""
    classes = column.classes
    try:
        if column.field is not None:
            field = column.field
            if column.foreign_key:
                related = getattr(obj, field.name)
                return (column.empty if related is None else conditional_escape(related)), classes
            value = getattr(obj, field.attname)
            if isinstance(value, str) and value.strip() == "":
                value = ""
            if column.choices is not None:
                try:
                    return conditional_escape(column.choices.get(make_hashable(value), column.empty)), classes
                except TypeError:
                    pass
            return conditional_escape(
                display_for_field(value, field, column.empty, avoid_link=column.link)
            ), classes
        attr = column.admin_attr
        boolean = column.boolean
        empty = column.empty
        if attr is not None:
            value = attr(obj)
        else:
            attr = getattr(obj, column.object_attr)
            value = attr() if callable(attr) else attr
            empty = getattr(attr, "empty_value_display", empty)
            boolean = getattr(attr, "boolean", False)
            if isinstance(attr, property) and hasattr(attr, "fget"):
                boolean = getattr(attr.fget, "boolean", False)
    except ObjectDoesNotExist:
        return conditional_escape(column.empty), classes
    if isinstance(value, str) and value.strip() == "":
        value = ""
    if isinstance(value, (datetime.date, datetime.time)):
        classes += " nowrap"
    return conditional_escape(display_for_value(value, empty, boolean)), classes


def quick_rows(cl) -> list[list[str]]:
    """The rows of the page, each one safe string of cells (Django's markup)."""
    columns = _columns(cl)
    filters = {"preserved_filters": cl.preserved_filters, "opts": cl.opts}
    suffix = None
    rows = []
    for obj in cl.result_list:
        cells = []
        for column in columns:
            content, classes = _cell(column, obj)
            if column.link:
                try:
                    url = cl.url_for_result(obj)
                except NoReverseMatch:
                    pass
                else:
                    if suffix is None:
                        # The list's filters, the same for every row's change URL.
                        full = add_preserved_filters(filters, url)
                        suffix = full[len(url) :] if full.startswith(url) else ""
                    content = f'<a href="{escape(url + suffix)}">{content}</a>'
            cells.append(f'<{column.tag} class="{classes}">{content}</{column.tag}>')
        # Every part is escaped above (contents, URL) or is the code's own (tags, classes).
        rows.append([mark_safe("".join(cells))])  # noqa: S308
    return rows


def result_list_context(cl) -> dict:
    """The context of admin/change_list_results.html: Django's, with the quick rows where they apply."""
    if getattr(cl, "quick_rows", False) and not cl.formset and not cl.is_popup:
        headers = list(result_headers(cl))
        return {
            "cl": cl,
            "result_hidden_fields": list(result_hidden_fields(cl)),
            "result_headers": headers,
            "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
            "results": quick_rows(cl),
        }
    return django_result_list(cl)


# {% load admin_rows %} (TEMPLATES' "libraries"): {% quick_result_list cl %} in admin/change_list.html.
register = template.Library()


@register.inclusion_tag("admin/change_list_results.html")
def quick_result_list(cl):
    """Django's {% result_list %}, with the rows of the big lists rendered here."""
    return result_list_context(cl)
