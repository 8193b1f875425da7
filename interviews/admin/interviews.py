"""Admin for interviews: scheduling from the application page, the panel, status actions, the
.ics invite and "My interviews" (the interviewer's entry point)."""

import datetime
import zoneinfo

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from hiring.admin.applications import application_label
from hiring.admin.shared import local_time
from hiring.admin_lists import BIG_LIST_PER_PAGE, object_url
from hiring.admin_scoping import (
    CompanyScopedAdminMixin,
    company_ids_for,
    request_roles,
)
from hiring.models import Application, Membership
from hiring.roles import EVERYONE, READERS, SCHEDULERS
from hiring.selectors import company_time_zone
from interviews.availability import time_zone_choices
from interviews.ics import interview_ics, interview_ics_filename
from interviews.models import Interview, InterviewKit, Scorecard
from interviews.selectors import (
    interview_conflicts,
    interviewer_conflicts,
    interviewer_owed_scorecards,
    interviewer_upcoming_interviews,
    interviews_visible_to,
)
from interviews.services import (
    interview_cancel,
    interview_check,
    interview_check_panel,
    interview_complete,
    interview_mark_no_show,
    interview_reschedule,
    interview_schedule,
    interview_set_interviewers,
    interview_time_zone,
)

TIME_FIELDS = ("starts_at", "ends_at")
CONFLICTS_MAX_INTERVIEWERS = 50


def _zone(name: str):
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return None


def _local(value: str | None, tz):
    """A "YYYY-MM-DD HH:MM" typed in the form, in zone `tz`, or None."""
    if not value or tz is None:
        return None
    try:
        naive = datetime.datetime.fromisoformat(value.strip()[:16])
    except ValueError:
        return None
    return None if naive.tzinfo else timezone.make_aware(naive, tz)


class TimeZoneField(forms.ChoiceField):
    """A select of the IANA zones; what it accepts (and the refusal) is the service's rule."""

    def validate(self, value):
        if value in self.empty_values:
            return super().validate(value)
        if len(value) > Interview._meta.get_field("timezone").max_length:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value[:64]}
            )
        interview_time_zone(value)


class InterviewForm(forms.ModelForm):
    """Start and end are typed in the interview's own time zone; the panel is a set of members."""

    video_url = forms.URLField(label="Video link", required=False, max_length=200, assume_scheme="https")
    timezone = TimeZoneField(
        label="Time zone", choices=time_zone_choices, help_text="The invite shows the times in this zone."
    )
    panel = forms.ModelMultipleChoiceField(
        label="Interviewers",
        queryset=Membership.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Each interviewer gets a scorecard to write.",
    )

    class Meta:
        model = Interview
        fields = ("application", "kit", "starts_at", "ends_at", "timezone", "location", "video_url")
        help_texts = {
            "starts_at": "In the interview's time zone.",
            "ends_at": "In the interview's time zone. Empty: the kit's duration.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "ends_at" in self.fields:
            self.fields["ends_at"].required = False
        tz = _zone(self.instance.timezone) if self.instance.pk else None
        if tz is not None:
            for name in TIME_FIELDS:
                value = getattr(self.instance, name)
                self.initial[name] = timezone.make_naive(value, tz)
        if self.instance.pk:
            self.initial["panel"] = [sc.interviewer_id for sc in self.instance.scorecards.all()]
            zone = self.instance.timezone
            if "timezone" in self.fields and zone not in dict(time_zone_choices()):
                # An older interview's zone outside the list stays choosable.
                self.fields["timezone"].choices = [(zone, zone), *time_zone_choices()]

    def _in_zone(self, value, tz):
        """Re-read a time typed in the interview's zone (the form parsed it in the server's zone)."""
        if value is None or tz is None:
            return value
        naive = timezone.make_naive(value)
        return timezone.make_aware(naive, tz)

    def clean(self):
        cleaned = super().clean()
        tz = None
        if cleaned.get("timezone"):
            try:
                tz = interview_time_zone(cleaned["timezone"])
            except ValidationError as exc:
                self.add_error("timezone", exc)
        for name in TIME_FIELDS:
            if name in cleaned:
                cleaned[name] = self._in_zone(cleaned[name], tz)
        application = cleaned.get("application") or getattr(self.instance, "application", None)
        kit = cleaned.get("kit") or getattr(self.instance, "kit", None)
        starts_at, panel = cleaned.get("starts_at"), cleaned.get("panel")
        if application is None or kit is None or starts_at is None or panel is None or tz is None:
            return cleaned
        if not cleaned.get("ends_at"):
            cleaned["ends_at"] = starts_at + datetime.timedelta(minutes=kit.duration_minutes)
        try:
            interview_check(
                application=application,
                kit=kit,
                starts_at=starts_at,
                ends_at=cleaned["ends_at"],
                time_zone=cleaned["timezone"],
                interviewers=panel,
            )
            if self.instance.pk:
                interview_check_panel(interview=self.instance, interviewers=panel)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc
        return cleaned


@admin.register(Interview)
class InterviewAdmin(CompanyScopedAdminMixin, admin.ModelAdmin):
    """Readers of a company see its interviews; interviewers see the interviews they are on."""

    view_roles = EVERYONE
    manage_roles = SCHEDULERS
    form = InterviewForm
    list_display = ("starts", "candidate", "job", "kit", "status", "panel_names", "invite")
    list_select_related = ("kit", "application__candidate", "application__job")
    list_filter = ("status",)
    search_fields = ("application__candidate__name", "kit__name")
    ordering = ("-starts_at", "-id")
    list_per_page = BIG_LIST_PER_PAGE
    # Searched by the candidate's name or email, scoped like the application list.
    autocomplete_fields = ("application",)
    actions = ("mark_completed", "mark_no_show", "cancel")

    class Media:
        js = ("interviews/interview_conflicts.js",)
        css = {"all": ("interviews/interview_form.css",)}

    def get_queryset(self, request):
        qs = (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch(
                    "scorecards", queryset=Scorecard.objects.select_related("interviewer").order_by("id")
                )
            )
        )
        return interviews_visible_to(request.user, qs, roles=request_roles(request))

    # --- permissions: only schedulers of the interview's company change it -------------------

    def has_delete_permission(self, request, obj=None):
        # Interviews are cancelled, not deleted: their scorecards and invites must stay explainable.
        return request.user.is_superuser and obj is not None and not obj.scorecards.exists()

    # --- the form ---------------------------------------------------------------------------

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ("status",)
        return ("candidate_and_job", "candidate_resume", "kit", "status", "sequence", "panel_names", "invite")

    def get_fields(self, request, obj=None):
        fields = ["application", "kit", "starts_at", "ends_at", "timezone", "location", "video_url"]
        if obj is None:
            return [*fields, "panel"]
        fields[0:1] = ["candidate_and_job", "candidate_resume"]
        fields[3:3] = ["status", "sequence", "invite"]
        # Who may not change the interview sees the panel's names instead of the checkboxes.
        return [*fields, "panel" if self.has_change_permission(request, obj) else "panel_names"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        companies = (
            [obj.company_id]
            if obj is not None
            else company_ids_for(request, self.manage_roles)
            if not request.user.is_superuser
            else None
        )
        members = Membership.objects.order_by("company_id", "display_name")
        if companies is not None:
            members = members.filter(company_id__in=companies)
        form.base_fields["panel"].queryset = members
        # The form asks this view for the panel's other interviews while the time is typed.
        form.base_fields["panel"].widget.attrs["data-conflicts-url"] = reverse(
            "admin:interviews_interview_conflicts"
        )
        application_field = form.base_fields.get("application")
        if application_field is not None:
            if companies is not None:
                # Interviews are scheduled only in companies where the user schedules.
                application_field.queryset = application_field.queryset.filter(company_id__in=companies)
            application_field.queryset = application_field.queryset.select_related("candidate", "job")
            application_field.label_from_instance = application_label
        kit_field = form.base_fields.get("kit")
        if kit_field is not None:
            kits = InterviewKit.objects.filter(stage__job__isnull=False).select_related("stage")
            application = self._application_from_request(request)
            if application is not None:
                kits = kits.filter(stage__job_id=application.job_id)
                form.base_fields["panel"].queryset = members.filter(company_id=application.company_id)
            elif companies is not None:
                kits = kits.filter(company_id__in=companies)
            kit_field.queryset = kits.order_by("stage__position", "position", "id")
            kit_field.label_from_instance = lambda k: f"{k.stage.name} · {k.name}"
        return form

    def _application_from_request(self, request):
        raw = request.POST.get("application") or request.GET.get("application")
        if not raw or not str(raw).isdigit():
            return None
        qs = Application.objects.filter(pk=raw)
        if not request.user.is_superuser:
            qs = qs.filter(company_id__in=company_ids_for(request, self.manage_roles))
        return qs.first()

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        application = self._application_from_request(request)
        # The zone the company works in: the application's company, else the user's only one.
        companies = company_ids_for(request, self.manage_roles)
        company_id = application.company_id if application is not None else None
        if company_id is None and len(companies) == 1:
            company_id = next(iter(companies))
        if company_id is not None:
            initial.setdefault("timezone", company_time_zone(company_id))
        if application is not None:
            kit = (
                InterviewKit.objects.filter(stage_id=application.stage_id).order_by("position", "id").first()
            )
            if kit is not None:
                initial.setdefault("kit", kit)
                initial.setdefault("panel", list(kit.default_interviewers.values_list("pk", flat=True)))
        return initial

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            created = interview_schedule(
                application=data["application"],
                kit=data["kit"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                time_zone=data["timezone"],
                location=data.get("location", ""),
                video_url=data.get("video_url", ""),
                interviewers=data["panel"],
            )
            obj.pk, obj.company_id, obj.ends_at = created.pk, created.company_id, created.ends_at
        else:
            # Panel first: new interviewers get the invite, then everyone gets the new time.
            interview_set_interviewers(interview=obj, interviewers=data["panel"])
            interview_reschedule(
                interview=obj,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                time_zone=data["timezone"],
                location=data.get("location", ""),
                video_url=data.get("video_url", ""),
            )
        for member, other in interview_conflicts(interview=obj):
            messages.warning(
                request,
                f"{member.display_name} is double-booked: another interview overlaps "
                f"({local_time(other.starts_at)}).",
            )

    def save_related(self, request, form, formsets, change):
        # The panel is saved by the services through scorecards; nothing else is related.
        pass

    # --- columns ----------------------------------------------------------------------------

    @admin.display(description="Starts", ordering="starts_at")
    def starts(self, obj):
        return local_time(obj.starts_at)

    @admin.display(description="Candidate", ordering="application__candidate__name")
    def candidate(self, obj):
        return obj.application.candidate.name

    @admin.display(description="Job", ordering="application__job__title")
    def job(self, obj):
        return obj.application.job.title

    @admin.display(description="Application")
    def candidate_and_job(self, obj):
        # Text, not a link: interviewers see the interview, not the application behind it.
        return f"{obj.application.candidate.name}, {obj.application.job.title}"

    @admin.display(description="Résumé")
    def candidate_resume(self, obj):
        # The permission-checked download (the panel may read the candidate's résumé).
        resume = obj.application.candidate.resume
        return format_html('<a href="{}">Download the résumé</a>', resume.url) if resume else "-"

    @admin.display(description="Interviewers")
    def panel_names(self, obj):
        return ", ".join(sc.interviewer.display_name for sc in obj.scorecards.all())

    @admin.display(description="Invite")
    def invite(self, obj):
        return format_html('<a href="{}">.ics</a>', object_url("admin:interviews_interview_ics", obj.pk))

    # --- status actions ---------------------------------------------------------------------

    def _run(self, request, queryset, service, done: str):
        count = 0
        for interview in queryset:
            if not self.has_change_permission(request, interview):
                self.message_user(request, f"You may not change {interview}.", messages.ERROR)
                continue
            try:
                service(interview=interview)
            except ValidationError as exc:
                self.message_user(request, f"{interview}: {' '.join(exc.messages)}", messages.ERROR)
            else:
                count += 1
        if count:
            self.message_user(request, f"{count} interview(s) {done}.", messages.SUCCESS)

    @admin.action(description="Mark as completed")
    def mark_completed(self, request, queryset):
        self._run(request, queryset, interview_complete, "marked as completed")

    @admin.action(description="Mark as no-show")
    def mark_no_show(self, request, queryset):
        self._run(request, queryset, interview_mark_no_show, "marked as no-show")

    @admin.action(description="Cancel interview")
    def cancel(self, request, queryset):
        self._run(request, queryset, interview_cancel, "cancelled")

    # --- extra views: the invite and "My interviews" ----------------------------------------

    def get_urls(self):
        return [
            path("my/", self.admin_site.admin_view(self.my_interviews_view), name="interviews_interview_my"),
            path(
                "conflicts/",
                self.admin_site.admin_view(self.conflicts_view),
                name="interviews_interview_conflicts",
            ),
            path(
                "<path:object_id>/ics/",
                self.admin_site.admin_view(self.ics_view),
                name="interviews_interview_ics",
            ),
            *super().get_urls(),
        ]

    def ics_view(self, request, object_id):
        interview = self.get_object(request, unquote(object_id))
        if not self.has_view_permission(request, interview):
            raise PermissionDenied
        interview = Interview.objects.select_related("kit", "application__candidate", "application__job").get(
            pk=interview.pk
        )
        response = HttpResponse(interview_ics(interview), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{interview_ics_filename(interview)}"'
        return response

    def conflicts_view(self, request):
        """JSON for the scheduling form, before saving: the scheduled interviews that overlap the
        time typed, of the interviewers ticked (members of companies where the user schedules).
        Times are read in the form's time zone: ?interviewers=1,2&start=2026-01-05 10:00
        &end=2026-01-05 11:00&timezone=Europe/Paris[&interview=<the one being changed>]."""
        if not request.user.is_superuser and not company_ids_for(request, self.manage_roles):
            raise PermissionDenied
        raw = [v for v in request.GET.get("interviewers", "").split(",") if v.strip()]
        if not all(v.strip().isdigit() for v in raw) or len(raw) > CONFLICTS_MAX_INTERVIEWERS:
            return JsonResponse({"error": "Choose the interviewers again."}, status=400)
        ids = {int(v) for v in raw}
        members = Membership.objects.filter(pk__in=ids)
        if not request.user.is_superuser:
            members = members.filter(company_id__in=company_ids_for(request, self.manage_roles))
        if len(ids) != members.count():
            # Another company's people (or no one): not for this user to look at.
            raise PermissionDenied
        tz = _zone(request.GET.get("timezone", ""))
        starts_at, ends_at = _local(request.GET.get("start"), tz), _local(request.GET.get("end"), tz)
        if tz is None or starts_at is None:
            return JsonResponse({"conflicts": []})
        if ends_at is None or ends_at <= starts_at:
            # No end typed: the kit's duration, as the form will save it.
            kit = request.GET.get("kit", "")
            minutes = (
                InterviewKit.objects.filter(pk=kit, company_id__in=members.values("company_id"))
                .values_list("duration_minutes", flat=True)
                .first()
                if kit.isdigit()
                else None
            )
            ends_at = starts_at + datetime.timedelta(minutes=minutes or 60)
        interview_id = request.GET.get("interview", "")
        conflicts = interviewer_conflicts(
            interviewers=ids,
            starts_at=starts_at,
            ends_at=ends_at,
            exclude_interview_id=int(interview_id) if interview_id.isdigit() else None,
        )
        return JsonResponse(
            {
                "conflicts": [
                    {
                        "interviewer": member.display_name,
                        "starts_at": f"{timezone.localtime(other.starts_at, tz):%Y-%m-%d %H:%M}",
                        "ends_at": f"{timezone.localtime(other.ends_at, tz):%H:%M}",
                        "time_zone": tz.key,
                        "kit": other.kit.name,
                    }
                    for member, other in conflicts
                ]
            }
        )

    def my_interviews_view(self, request):
        """The interviewer's entry point: upcoming interviews and the scorecards they still owe."""
        if not self.has_module_permission(request):
            raise PermissionDenied
        now = timezone.now()
        context = {
            **self.admin_site.each_context(request),
            "title": "My interviews",
            "opts": self.opts,
            "upcoming": list(interviewer_upcoming_interviews(request.user, now=now)),
            "owed": list(interviewer_owed_scorecards(request.user, now=now)),
        }
        return TemplateResponse(request, "interviews/admin/my_interviews.html", context)

    def changelist_view(self, request, extra_context=None):
        # People who only interview have one list: their own interviews and scorecards.
        roles = set(request_roles(request).values())
        if not request.user.is_superuser and not roles & READERS:
            return HttpResponseRedirect(reverse("admin:interviews_interview_my"))
        return super().changelist_view(request, extra_context)
