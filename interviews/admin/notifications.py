"""Admin for notifications: the outbox (what was sent, what failed and why) and the templates."""

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from hiring.admin.extensions import register_application_list, register_application_panel
from hiring.admin_lists import BIG_LIST_PER_PAGE
from hiring.admin_scoping import (
    CompanyScopedAdminMixin,
    ScopedRelatedFilter,
    company_ids_for,
)
from hiring.display import local_time
from hiring.json_rows import json_rows, read_with, rows_from_json
from hiring.models import Application
from hiring.roles import ADMINISTRATORS, READERS, RECRUITERS
from interviews.notifications.delivery import notification_email, notifications_retry
from interviews.notifications.events import VARIABLES, NotificationEvent
from interviews.notifications.models import Notification, NotificationStatus, NotificationTemplate
from interviews.notifications.outbox import notification_shown_to_staff
from interviews.notifications.rendering import TemplateTooLarge
from interviews.notifications.templates import notification_template_preview


@admin.register(Notification)
class NotificationAdmin(CompanyScopedAdminMixin, admin.ModelAdmin):
    """The outbox: read-only rows; failed ones can be sent again (delivery-unknown ones after a warning)."""

    view_roles = READERS
    manage_roles = frozenset()
    list_display = ("created_at", "event", "to", "subject", "status", "attempts", "sent_at", "company")
    list_filter = ("status", "event", ("company", ScopedRelatedFilter))
    list_select_related = ("company",)
    search_fields = ("recipient",)
    ordering = ("-created_at", "-id")
    list_per_page = BIG_LIST_PER_PAGE
    actions = ["retry"]
    fields = (
        "company",
        "event",
        "status",
        "recipient",
        "recipient_name",
        "subject",
        "attempts",
        "last_error",
        "created_at",
        "claimed_at",
        "sent_at",
        "application_link",
        "interview_id",
        "idempotency_key",
        "rendered",
    )
    readonly_fields = fields

    @admin.display(description="To", ordering="recipient_name")
    def to(self, obj):
        return f"{obj.recipient_name} <{obj.recipient}>" if obj.recipient_name else obj.recipient

    def has_add_permission(self, request):
        return False

    def has_retry_permission(self, request):
        return request.user.is_superuser or bool(company_ids_for(request, RECRUITERS))

    @admin.action(
        description="Send the selected failed or delivery-unknown notifications again", permissions=["retry"]
    )
    def retry(self, request, queryset):
        if not request.user.is_superuser:
            queryset = queryset.filter(company_id__in=company_ids_for(request, RECRUITERS))
        rows = dict(
            queryset.filter(status__in=[NotificationStatus.FAILED, NotificationStatus.UNKNOWN]).values_list(
                "pk", "status"
            )
        )
        unknown = [pk for pk, status in rows.items() if status == NotificationStatus.UNKNOWN]
        choice = request.POST.get("duplicates", "")
        if unknown and choice not in ("send", "skip"):
            return self._retry_confirmation(request, queryset, unknown, len(rows) - len(unknown))
        include_unknown = choice == "send"
        ids = [pk for pk in rows if include_unknown or pk not in unknown]
        count = notifications_retry(notification_ids=ids, include_unknown=include_unknown)
        if count:
            self.message_user(request, f"{count} notification{'s' if count != 1 else ''} queued again.")
        else:
            self.message_user(
                request,
                "Only failed or delivery-unknown notifications can be sent again (not those too large "
                "to render: shorten the template; the next event writes a new email).",
                messages.WARNING,
            )

    def _retry_confirmation(self, request, queryset, unknown: list[int], failed: int):
        """Rows whose delivery is unknown were probably delivered: say so, and ask first."""
        context = {
            **self.admin_site.each_context(request),
            "title": "Send notifications again?",
            "opts": self.model._meta,
            "unknown": queryset.filter(pk__in=unknown).order_by("pk"),
            "failed": failed,
            "selected": request.POST.getlist(ACTION_CHECKBOX_NAME),
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/interviews/notification/retry_confirm.html", context)

    @admin.display(description="Application")
    def application_link(self, obj):
        if obj.application_id is None:
            return "-"
        try:
            url = reverse("admin:hiring_application_change", args=[obj.application_id])
        except Exception:
            return f"#{obj.application_id}"
        return format_html('<a href="{}">Application #{}</a>', url, obj.application_id)

    @admin.display(description="Email as sent")
    def rendered(self, obj):
        return format_html(
            '<pre style="white-space: pre-wrap; max-width: 60em">{}</pre>',
            notification_email(notification_shown_to_staff(obj)).message().as_string(),
        )


@admin.register(NotificationTemplate)
class NotificationTemplateAdmin(CompanyScopedAdminMixin, admin.ModelAdmin):
    """Each company's wording per event; saving refuses a template that does not render."""

    view_roles = READERS
    manage_roles = ADMINISTRATORS
    list_display = ("event", "subject", "enabled", "company", "updated_at")
    list_filter = ("enabled", "event", ("company", ScopedRelatedFilter))
    list_select_related = ("company",)
    search_fields = ("subject",)
    ordering = ("company__name", "event")
    fields = ("company", "event", "enabled", "subject", "body", "preview_link", "variables")
    readonly_fields = ("preview_link", "variables")
    actions = ["preview"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return (*self.readonly_fields, "company", "event")
        return self.readonly_fields

    @admin.display(description="Variables")
    def variables(self, obj):
        events = [obj.event] if obj and obj.event else list(NotificationEvent.values)
        parts = []
        for event in events:
            rows = format_html_join(
                "", "<li><code>{{{{ {} }}}}</code>: {}</li>", sorted(VARIABLES[event].items())
            )
            parts.append(
                format_html("<p><strong>{}</strong></p><ul>{}</ul>", NotificationEvent(event).label, rows)
            )
        return format_html_join("", "{}", ((p,) for p in parts))

    @admin.display(description="Preview")
    def preview_link(self, obj):
        if obj is None or obj.pk is None:
            return "Save first, then preview."
        url = reverse("admin:interviews_notificationtemplate_preview", args=[obj.pk])
        return format_html('<a href="{}">Preview on a sample application</a>', url)

    @admin.action(description="Preview on a sample application")
    def preview(self, request, queryset):
        template = queryset.order_by("pk").first()
        if template is None:
            self.message_user(request, "Choose a template to preview.", messages.WARNING)
            return None
        return self.preview_view(request, str(template.pk))

    def get_urls(self):
        return [
            path(
                "<path:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="interviews_notificationtemplate_preview",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request, object_id):
        template = self.get_object(request, object_id)
        if not self.has_view_permission(request, template):
            raise PermissionDenied
        applications = Application.objects.filter(company_id=template.company_id)
        chosen = request.GET.get("application", "")
        application = None
        if chosen.isdigit():
            application = applications.filter(pk=int(chosen)).first()
        if application is None:
            application = applications.order_by("-applied_at", "-pk").first()
        try:
            subject, body = notification_template_preview(template=template, application=application)
            error = ""
        except TemplateTooLarge as exc:
            subject, body, error = "", "", str(exc)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Preview: {template.get_event_display()}",
            "opts": self.model._meta,
            "original": template,
            "application": application,
            "subject": subject,
            "body": body,
            "error": error,
        }
        return TemplateResponse(request, "admin/interviews/notificationtemplate/preview.html", context)


EMAILS_SHOWN = 10
EMAIL_COLUMNS = ("id", "created_at", "event", "recipient", "status")


def _emails_rows(request):
    same = Notification.objects.filter(application_id=OuterRef(OuterRef("pk")))
    newest = same.order_by("-created_at", "-id")
    emails = Notification.objects.filter(
        application_id=OuterRef("pk"), pk__in=newest.values("pk")[:EMAILS_SHOWN]
    )
    return json_rows(emails, group="application_id", fields=list(EMAIL_COLUMNS))


# Read with the application on its page (hiring.json_rows): no query of the panel's own there.
register_application_list("page_emails", _emails_rows)


@register_application_panel
def application_emails_panel(request, application) -> str:
    """The application page lists the emails sent about it, newest first (one query, none on the
    page, which reads them with the application)."""
    if not request.user.is_superuser and application.company_id not in company_ids_for(request, READERS):
        return ""
    read = read_with(application, "page_emails")
    if read is not None:
        emails = sorted(rows_from_json(Notification, read), key=lambda n: (n.created_at, n.pk), reverse=True)
        rows = [tuple(getattr(n, c) for c in EMAIL_COLUMNS) for n in emails]
    else:
        rows = list(
            Notification.objects.filter(application_id=application.pk)
            .order_by("-created_at", "-id")
            .values_list(*EMAIL_COLUMNS)[:EMAILS_SHOWN]
        )
    if not rows:
        return ""
    items = format_html_join(
        "",
        '<li><a href="{}">{}</a> {} to {}: {}</li>',
        (
            (
                reverse("admin:interviews_notification_change", args=[pk]),
                local_time(created),
                NotificationEvent(event).label,
                recipient,
                NotificationStatus(status).label.lower(),
            )
            for pk, created, event, recipient, status in rows
        ),
    )
    return format_html('<div class="module"><h2>Emails</h2><ul>{}</ul></div>', items)
