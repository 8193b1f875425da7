"""Pieces shared by the pipeline admin modules: scoped history, the company filter, service
errors shown as messages, and the one way a time or a person is shown (hiring.display)."""

import datetime

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from simple_history.template_utils import HistoricalRecordContextHelper

from hiring.admin_scoping import request_roles
from hiring.display import EMPTY, local_time, person_name
from hiring.models import Company

__all__ = ["local_time", "person_name"]


def person_column(field: str, description: str):
    """A list column or read-only field naming the user of `field` by name (hiring.display.
    person_name), not by username; the admin's list_select_related must include `field`."""

    @admin.display(description=description, ordering=f"{field}__last_name")
    def column(self, obj):
        return person_name(getattr(obj, field))

    column.__name__ = f"{field}_name"
    return column


class HistoryChangeHelper(HistoricalRecordContextHelper):
    """The changes of a history row as a recruiter reads them: choice labels ("On hold", not
    on_hold), times in the viewer's zone with the zone named, "Yes"/"No", a dash for nothing."""

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        field = self.model._meta.get_field(change.field)
        if value is None or value == "":
            return EMPTY
        if field.choices and not isinstance(value, list):
            return dict(field.flatchoices).get(value, value)
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if isinstance(value, datetime.datetime):
            return local_time(value)
        return value


MAX_FILTER_CHOICES = 100


class ScopedHistoryMixin:
    """Change history, read-only, for objects of the user's companies only (others are a 404).

    Reverting is refused: it would bypass the services (an application's stage only changes
    through a move that leaves a StageChange).
    """

    def _in_scope_or_404(self, request, object_id):
        if not self.get_queryset(request).filter(pk=object_id).exists():
            raise Http404("No such object in your companies.")

    def history_view(self, request, object_id, extra_context=None):
        self._in_scope_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._in_scope_or_404(request, object_id)
        if request.method == "POST":
            raise PermissionDenied("Past versions are read-only.")
        return super().history_form_view(request, object_id, version_id, extra_context)

    def has_change_history_permission(self, request, obj=None):
        return False

    def get_historical_record_context_helper(self, request, historical_record):
        return HistoryChangeHelper(self.model, historical_record)

    def revert_disabled(self, request, obj=None):
        return True


class CompanyFilter(admin.SimpleListFilter):
    """The user's companies; shown only to people who work for more than one."""

    title = "company"
    parameter_name = "company"

    def lookups(self, request, model_admin):
        if request.user.is_superuser:
            return list(Company.objects.values_list("pk", "name")[:MAX_FILTER_CHOICES])
        ids = request_roles(request)
        if len(ids) < 2:
            return []
        return list(Company.objects.filter(pk__in=ids).values_list("pk", "name"))

    def queryset(self, request, queryset):
        if self.value():
            if not self.value().isdigit():
                return queryset.none()
            return queryset.filter(company_id=self.value())
        return queryset


def _message_from(exc: ValidationError) -> str:
    return " ".join(exc.messages)


class ServiceErrorsAsMessagesMixin:
    """A ValidationError raised by a service after the form was valid (a race) becomes a message."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as exc:
            self.message_user(request, _message_from(exc), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


# Every form of a stage carries its pay terms: Stage.clean checks them together with "paid".
PAY_FIELDS = ("is_paid", "pay_amount", "pay_currency", "pay_unit", "pay_expenses")
