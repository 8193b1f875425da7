"""Admin for scorecards: the interviewer's form (draft, submit, amend) and the read-only page.

Which scorecards a user may open comes from `scorecards_visible_to` (independence), applied to
the changelist, the change page and every other URL of this admin through `get_queryset`.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from hiring.admin.shared import local_time
from hiring.admin_lists import BIG_LIST_PER_PAGE
from hiring.admin_scoping import CompanyScopedAdminMixin, request_roles
from hiring.roles import EVERYONE
from interviews.forms import AMEND, SUBMIT, ScorecardForm
from interviews.judging import scorecard_candidate_material
from interviews.models import Scorecard, ScorecardStatus
from interviews.portal_selectors import scorecard_handins
from interviews.selectors import scorecard_sheet, scorecards_visible_to
from interviews.services import ScorecardConflict, scorecard_amend, scorecard_save_draft, scorecard_submit


@admin.register(Scorecard)
class ScorecardAdmin(CompanyScopedAdminMixin, admin.ModelAdmin):
    view_roles = EVERYONE
    manage_roles = frozenset()  # scorecards are created by scheduling and written by their author
    list_display = (
        "interview_start",
        "candidate",
        "kit",
        "interviewer_name",
        "status",
        "recommendation",
        "submitted",
    )
    list_select_related = ("interview__kit", "interview__application__candidate", "interviewer")
    list_filter = ("status", "recommendation")
    search_fields = ("interview__application__candidate__name", "interviewer__display_name")
    # The interview's start, copied onto the scorecard: an index of this table serves the order.
    ordering = ("-interview_starts_at", "-id")
    list_per_page = BIG_LIST_PER_PAGE

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return scorecards_visible_to(request.user, qs, roles=request_roles(request))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # Only the author writes a scorecard: a draft through the form, a submitted one by amending.
        return obj is not None and obj.interviewer.user_id == request.user.pk

    @admin.display(description="Interview", ordering="interview_starts_at")
    def interview_start(self, obj):
        return local_time(obj.interview.starts_at)

    @admin.display(description="Interviewer", ordering="interviewer__display_name")
    def interviewer_name(self, obj):
        return obj.interviewer.display_name

    @admin.display(description="Submitted", ordering="submitted_at")
    def submitted(self, obj):
        return local_time(obj.submitted_at) if obj.submitted_at else "—"

    @admin.display(description="Candidate", ordering="interview__application__candidate__name")
    def candidate(self, obj):
        return obj.interview.application.candidate.name

    @admin.display(description="Kit")
    def kit(self, obj):
        return obj.interview.kit.name

    def change_view(self, request, object_id, form_url="", extra_context=None):
        scorecard = self.get_object(request, unquote(object_id))
        if not self.has_view_permission(request, scorecard):
            raise PermissionDenied
        sheet = scorecard_sheet(scorecard_id=scorecard.pk)
        own = sheet.scorecard.interviewer.user_id == request.user.pk
        submitted = sheet.scorecard.status == ScorecardStatus.SUBMITTED
        if own and not submitted:
            return self._form_view(request, sheet, amend=False)
        if own and submitted and (request.GET.get("amend") or AMEND in request.POST):
            return self._form_view(request, sheet, amend=True)
        if own and request.method == "POST":
            # A draft's page, left open while the scorecard was submitted from another one.
            typed = ScorecardForm(request.POST, sheet=sheet)
            return self._conflict_view(request, sheet, typed, submitted_meanwhile=True)
        if request.method == "POST":
            raise PermissionDenied
        return self._detail_view(request, sheet, can_amend=own and submitted)

    def _context(self, request, sheet, title):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "sheet": sheet,
            "material": scorecard_candidate_material(application=sheet.scorecard.interview.application),
            "handins": scorecard_handins(
                scorecard=sheet.scorecard, user=request.user, roles=request_roles(request)
            ),
        }

    def _form_view(self, request, sheet, *, amend: bool):
        scorecard = sheet.scorecard
        candidate = scorecard.interview.application.candidate.name
        if request.method == "POST":
            form = ScorecardForm(request.POST, sheet=sheet, amend=amend)
            submitting = SUBMIT in request.POST or amend
            valid = form.check_complete() if submitting else form.is_valid()
            if valid:
                values = {
                    "scorecard": scorecard,
                    "ratings": form.rating_inputs(),
                    "red_flag_ids": form.cleaned_data.get("red_flags", []),
                    "recommendation": form.cleaned_data.get("recommendation", ""),
                    "summary": form.cleaned_data.get("summary", ""),
                    "gates": form.gate_inputs(),
                    "checks": form.check_inputs(),
                    "ai_use": form.ai_use_input(),
                    "reference": form.reference_input(),
                }
                try:
                    if amend:
                        scorecard_amend(
                            reason=form.cleaned_data["amend_reason"],
                            actor=request.user,
                            expected_version=form.cleaned_data.get("amends_version"),
                            **values,
                        )
                        done = "Amendment saved; the previous version is kept."
                    elif submitting:
                        scorecard_submit(**values)
                        done = f"Scorecard for {candidate} submitted."
                    else:
                        scorecard_save_draft(**values)
                        done = "Draft saved. You can come back to it."
                except ScorecardConflict:
                    fresh = scorecard_sheet(scorecard_id=scorecard.pk)
                    return self._conflict_view(request, fresh, form, submitted_meanwhile=not amend)
                except ValidationError as exc:
                    form.add_service_error(exc)
                else:
                    self.message_user(request, done, messages.SUCCESS)
                    if submitting:
                        return HttpResponseRedirect(reverse("admin:interviews_interview_my"))
                    return HttpResponseRedirect(request.path)
        else:
            form = ScorecardForm(sheet=sheet, amend=amend)
        return self._render_form(request, sheet, form, amend=amend)

    def _render_form(self, request, sheet, form, *, amend: bool, conflict=None):
        scorecard = sheet.scorecard
        candidate = scorecard.interview.application.candidate.name
        verb = "Amend scorecard" if amend else "Scorecard"
        context = {
            **self._context(request, sheet, f"{verb}: {candidate}, {scorecard.interview.kit.name}"),
            "form": form,
            "amend": amend,
            "cancel_url": request.path,
            "conflict": conflict,
        }
        return TemplateResponse(request, "interviews/admin/scorecard_form.html", context)

    def _conflict_view(self, request, sheet, typed, *, submitted_meanwhile: bool):
        """The scorecard was submitted, or amended, since this page was loaded: nothing is saved;
        the page comes back as an amendment of the scorecard as it is now, with what was typed,
        saying what happened and linking to the version saved meanwhile."""
        scorecard = sheet.scorecard
        latest = sheet.amendments[-1] if sheet.amendments else None
        conflict = {
            "submitted_meanwhile": submitted_meanwhile,
            "at": scorecard.submitted_at if submitted_meanwhile or latest is None else latest.created_at,
            "version": sheet.version,
            "url": reverse("admin:interviews_scorecard_change", args=[scorecard.pk]),
        }
        form = ScorecardForm.keeping_typed(typed, sheet=sheet)
        return self._render_form(request, sheet, form, amend=True, conflict=conflict)

    def _detail_view(self, request, sheet, *, can_amend: bool):
        ratings = sheet.ratings
        rows = []
        for c in sheet.competencies:
            rating = ratings.get(c.pk)
            score = rating.score if rating else None
            anchors = dict(c.level_anchors)
            rows.append(
                {
                    "competency": c,
                    "score": score,
                    "anchor": anchors.get(score, "") if score is not None else "",
                    "evidence": rating.evidence if rating else "",
                }
            )
        flags = [f for f in sheet.red_flags if f.pk in sheet.flag_ids]
        scorecard = sheet.scorecard
        title = f"Scorecard: {scorecard.interview.application.candidate.name}, {scorecard.interview.kit.name}"
        context = {
            **self._context(request, sheet, title),
            "rows": rows,
            "flags": flags,
            "can_amend": can_amend,
        }
        return TemplateResponse(request, "interviews/admin/scorecard_detail.html", context)
