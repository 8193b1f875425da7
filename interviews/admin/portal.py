"""Admin for what candidates do in the portal: the "Tracks and take-homes" panel of the
application page (the track chosen per stage with its history, and a form for staff to record a
choice with a note; hand-ins with their files and links; requests for more time to accept or
refuse), the lists of hand-ins and requests, the take-home brief files, the company's late
hand-in rule, and the checked download views of hand-in and brief files."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import path, reverse

from hiring.admin.extensions import (
    PANEL_HANDINS,
    register_application_list,
    register_application_panel,
    register_plan_annotation,
)
from hiring.admin.files import PrivateFileDownloadMixin
from hiring.admin.shared import person_column
from hiring.admin_lists import BIG_LIST_PER_PAGE
from hiring.admin_scoping import CompanyScopedAdminMixin, HiddenFromIndexMixin, request_roles
from hiring.json_rows import json_rows, own_fields, rows_from_json, set_prefetched
from hiring.models import Application, Track
from hiring.roles import ADMINISTRATORS, MOVERS, READERS, RECRUITERS
from interviews.handins import (
    ExtensionRequest,
    ExtensionStatus,
    HandIn,
    HandInFile,
    HandInLink,
    HandInPolicy,
    KitBriefFile,
    TrackChange,
)
from interviews.models import WINDOW_FORMATS, Interview, InterviewKit, InterviewStatus
from interviews.portal_actions import application_track_choose, extension_request_decide
from interviews.portal_selectors import (
    application_track_stages,
    handin_visibility,
    handins_visible_to,
    page_track_stages,
)

# --- The application page's panel ------------------------------------------------------------------


def _offers_tracks():
    return Exists(Track.objects.filter(stage_id=OuterRef("pk")))


def _has_take_home():
    return Exists(InterviewKit.objects.filter(stage_id=OuterRef("pk"), format__in=WINDOW_FORMATS))


# Read with the page's plan: the panel runs no query for a job without tracks or take-homes.
register_plan_annotation("offers_tracks", _offers_tracks)
register_plan_annotation("has_take_home", _has_take_home)

# Read with the application (hiring.json_rows): the panel runs no query of its own on the page.
_PEOPLE = ("first_name", "last_name", "username")


def _tracks_rows(request):
    return json_rows(
        Track.objects.filter(stage__job_id=OuterRef("job_id")),
        group="stage__job_id",
        fields=own_fields(Track),
    )


def _track_changes_rows(request):
    people = [f"actor__{f}" for f in _PEOPLE]
    return json_rows(
        TrackChange.objects.filter(application_id=OuterRef("pk")),
        group="application_id",
        fields=[*own_fields(TrackChange), "from_track__name", "to_track__name", *people],
    )


def _scheduled_rows(request):
    scheduled = Interview.objects.filter(application_id=OuterRef("pk")).exclude(
        status=InterviewStatus.CANCELLED
    )
    return json_rows(scheduled, group="application_id", fields=["kit__stage_id"])


def _handins_rows(request):
    visible = handins_visible_to(
        request.user, HandIn.objects.filter(application_id=OuterRef("pk")), roles=request_roles(request)
    )
    return json_rows(visible, group="application_id", fields=[*own_fields(HandIn), "kit__name"])


def _handin_files_rows(request):
    files = HandInFile.objects.filter(handin__application_id=OuterRef("pk"))
    return json_rows(files, group="handin__application_id", fields=own_fields(HandInFile))


def _handin_links_rows(request):
    links = HandInLink.objects.filter(handin__application_id=OuterRef("pk"))
    return json_rows(links, group="handin__application_id", fields=own_fields(HandInLink))


def _extensions_rows(request):
    people = [f"decided_by__{f}" for f in _PEOPLE]
    return json_rows(
        ExtensionRequest.objects.filter(application_id=OuterRef("pk")),
        group="application_id",
        fields=[*own_fields(ExtensionRequest), "kit__name", *people],
    )


for _name, _rows in {
    "page_tracks": _tracks_rows,
    "page_track_changes": _track_changes_rows,
    "page_scheduled": _scheduled_rows,
    "page_handins": _handins_rows,
    "page_handin_files": _handin_files_rows,
    "page_handin_links": _handin_links_rows,
    "page_extensions": _extensions_rows,
}.items():
    register_application_list(_name, _rows)


def _page_context(request, application, plan, with_tracks, with_take_homes) -> dict:
    """The panel's lists from the rows read with the application on its page (no query)."""
    context = {}
    if with_tracks:
        context["track_stages"] = page_track_stages(
            application=application,
            plan=plan,
            tracks=rows_from_json(Track, application.page_tracks or []),
            changes=rows_from_json(TrackChange, application.page_track_changes or []),
            scheduled_stage_ids={row["kit__stage_id"] for row in application.page_scheduled or []},
        )
    if with_take_homes:
        handins = sorted(rows_from_json(HandIn, application.page_handins or []), key=lambda h: h.pk)
        files: dict[int, list] = {}
        for f in sorted(rows_from_json(HandInFile, application.page_handin_files or []), key=lambda f: f.pk):
            files.setdefault(f.handin_id, []).append(f)
        links: dict[int, list] = {}
        for link in sorted(
            rows_from_json(HandInLink, application.page_handin_links or []), key=lambda k: k.pk
        ):
            links.setdefault(link.handin_id, []).append(link)
        for handin in handins:
            set_prefetched(handin, "files", files.get(handin.pk, []))
            set_prefetched(handin, "links", links.get(handin.pk, []))
        context["handins"] = handins
        context["extensions"] = sorted(
            rows_from_json(ExtensionRequest, application.page_extensions or []), key=lambda r: r.pk
        )
    return context


def _may_act(request, application) -> bool:
    user = request.user
    return user.is_superuser or request_roles(request).get(application.company_id) in MOVERS


@register_application_panel(position=PANEL_HANDINS)
def portal_panel(request, application) -> str:
    """Safe HTML: the candidate's track choices and take-homes (a constant number of queries)."""
    roles = request_roles(request)
    if not request.user.is_superuser and roles.get(application.company_id) not in READERS:
        return ""
    plan = getattr(application, "plan", None) or []
    with_tracks = any(getattr(s, "offers_tracks", False) for s in plan)
    with_take_homes = any(getattr(s, "has_take_home", False) for s in plan)
    if not (with_tracks or with_take_homes):
        return ""
    context = {"application": application, "can_act": _may_act(request, application)}
    if hasattr(application, "page_handins"):
        context.update(_page_context(request, application, plan, with_tracks, with_take_homes))
        return render_to_string("interviews/admin/portal_panel.html", context, request=request)
    if with_tracks:
        context["track_stages"] = application_track_stages(application=application, with_changes=True)
    if with_take_homes:
        context["handins"] = list(
            handins_visible_to(
                request.user, HandIn.objects.filter(application_id=application.pk), roles=roles
            )
            .select_related("kit")
            .prefetch_related("files", "links")
        )
        context["extensions"] = list(
            ExtensionRequest.objects.filter(application_id=application.pk).select_related("kit", "decided_by")
        )
    return render_to_string("interviews/admin/portal_panel.html", context, request=request)


def _back(application_id: int) -> HttpResponseRedirect:
    return HttpResponseRedirect(
        reverse("admin:hiring_application_change", args=[application_id]) + "#portal-panel"
    )


# --- Track changes: the list, and staff recording a choice -----------------------------------------


@admin.register(TrackChange)
class TrackChangeAdmin(HiddenFromIndexMixin, CompanyScopedAdminMixin, admin.ModelAdmin):
    view_roles = READERS
    manage_roles = frozenset()
    list_display = (
        "created_at",
        "application",
        "stage",
        "from_track",
        "to_track",
        "by_candidate",
        "actor",
        "note",
    )
    list_select_related = ("application", "stage", "from_track", "to_track", "actor")
    ordering = ("-created_at", "-id")
    list_per_page = BIG_LIST_PER_PAGE

    def get_urls(self):
        return [
            path(
                "record/", self.admin_site.admin_view(self.record_view), name="interviews_trackchange_record"
            ),
            *super().get_urls(),
        ]

    def record_view(self, request):
        """Staff record or change the candidate's track, with a note (POST only)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        application = Application.objects.filter(pk=_int(request.POST.get("application"))).first()
        if application is None or not _may_act(request, application):
            raise Http404("No such application in your companies.")
        track = (
            Track.objects.filter(pk=_int(request.POST.get("track")), stage__job_id=application.job_id)
            .select_related("stage")
            .first()
        )
        if track is None:
            raise Http404("No such track in this job's plan.")
        try:
            change = application_track_choose(
                application=application,
                track=track,
                actor=request.user,
                note=request.POST.get("note", "")[:2100],
            )
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
        else:
            done = f"Track recorded: {track.name}." if change else f"The track was already {track.name}."
            self.message_user(request, done, messages.SUCCESS)
        return _back(application.pk)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- Hand-ins and their files ------------------------------------------------------------------------


@admin.register(HandIn)
class HandInAdmin(CompanyScopedAdminMixin, admin.ModelAdmin):
    view_roles = READERS
    manage_roles = frozenset()  # written by the candidate in the portal
    list_display = ("submitted_at", "application", "kit", "is_late", "deadline")
    list_select_related = ("application", "kit")
    list_filter = ("is_late",)
    ordering = ("-submitted_at", "-id")
    list_per_page = BIG_LIST_PER_PAGE
    fields = ("application", "kit", "submitted_at", "deadline", "is_late", "comment")
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(handin_visibility(request.user, roles=request_roles(request)))
        )


@admin.register(HandInFile)
class HandInFileAdmin(HiddenFromIndexMixin, PrivateFileDownloadMixin, admin.ModelAdmin):
    """Only the download view: who reads a hand-in reads its files (portal_selectors)."""

    def has_module_permission(self, request):
        return False

    def has_view_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def may_download(self, request, obj, field_name: str) -> bool:
        return handins_visible_to(request.user, HandIn.objects.filter(pk=obj.handin_id)).exists()

    def download_filename(self, obj, field_name: str) -> str:
        return f"handin-{obj.handin_id}-{obj.pk}"

    def file_candidate(self, obj):
        return obj.handin.application.candidate


# --- Requests for more time -------------------------------------------------------------------------


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(CompanyScopedAdminMixin, admin.ModelAdmin):
    view_roles = READERS
    manage_roles = frozenset()
    list_display = ("created_at", "application", "kit", "requested_until", "status", "decided_by_name")
    list_select_related = ("application", "kit", "decided_by")
    list_filter = ("status",)
    ordering = ("-created_at", "-id")
    list_per_page = BIG_LIST_PER_PAGE
    fields = (
        "application",
        "kit",
        "created_at",
        "requested_until",
        "reason",
        "status",
        "decided_by_name",
        "decision_note",
    )
    readonly_fields = fields
    decided_by_name = person_column("decided_by", "Decided by")
    actions = ("accept", "refuse")

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "<int:pk>/decide/",
                self.admin_site.admin_view(self.decide_view),
                name="interviews_extensionrequest_decide",
            ),
            *super().get_urls(),
        ]

    def _decide(self, request, queryset, accept: bool, note: str = ""):
        done = 0
        for row in queryset.filter(status=ExtensionStatus.REQUESTED).select_related("application"):
            if not _may_act(request, row.application):
                continue
            try:
                extension_request_decide(request=row, accept=accept, actor=request.user, note=note)
                done += 1
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
        verb = "accepted" if accept else "refused"
        self.message_user(request, f"{done} request(s) for more time {verb}.", messages.SUCCESS)

    @admin.action(description="Accept the selected requests (the date asked becomes the deadline)")
    def accept(self, request, queryset):
        self._decide(request, queryset, True)

    @admin.action(description="Refuse the selected requests")
    def refuse(self, request, queryset):
        self._decide(request, queryset, False)

    def decide_view(self, request, pk):
        """Accept or refuse one request from the application page (POST, with an optional note)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        row = self.get_queryset(request).filter(pk=pk).select_related("application").first()
        if row is None or not _may_act(request, row.application):
            raise Http404("No such request in your companies.")
        accept = request.POST.get("decision") == "accept"
        self._decide(
            request, ExtensionRequest.objects.filter(pk=row.pk), accept, request.POST.get("note", "")[:2000]
        )
        return _back(row.application_id)


# --- Briefs and the company's rule ---------------------------------------------------------------------


@admin.register(KitBriefFile)
class KitBriefFileAdmin(PrivateFileDownloadMixin, CompanyScopedAdminMixin, admin.ModelAdmin):
    """Files of a take-home's brief: uploaded by recruiters, private, downloaded by staff here and
    by the candidate in the portal."""

    view_roles = READERS
    manage_roles = RECRUITERS
    list_display = ("title", "kit", "created_at")
    list_select_related = ("kit",)
    search_fields = ("title", "kit__name")
    fields = ("kit", "title", "file")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "kit" and field is not None:
            field.queryset = field.queryset.filter(format__in=WINDOW_FORMATS)
        return field

    def may_download(self, request, obj, field_name: str) -> bool:
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        return user.is_superuser or request_roles(request).get(obj.company_id) in READERS

    def file_candidate(self, obj):  # not a candidate's file: may_download decides alone
        return None

    def save_model(self, request, obj, form, change):
        obj.company_id = obj.kit.company_id
        super().save_model(request, obj, form, change)


@admin.register(HandInPolicy)
class HandInPolicyAdmin(CompanyScopedAdminMixin, admin.ModelAdmin):
    view_roles = READERS
    manage_roles = ADMINISTRATORS
    list_display = ("company", "late_handins")
    list_select_related = ("company",)
