"""The pipeline board of a job: a column per stage of its plan, one page of cards each, and the
moves posted from a card (buttons, or drag and drop through hiring/static/hireloop/board.js).

Presentation only. The reads are hiring.board's (constant queries, whatever the job's size); a
move goes through `application_move_run` with the state the card showed, exactly as from the
application page, and a refusal comes back as JSON for the script or as a message on the board.
Readers of the job's company see the board; movers (ApplicationAdmin's change permission) move.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme

from hiring.admin.applications import MoveForm
from hiring.admin.shared import _message_from
from hiring.admin_lists import object_url
from hiring.admin_scoping import request_roles
from hiring.board import BOARD_STATUSES, board_columns, board_counts
from hiring.models import Application, ApplicationStatus, RejectionKind, RejectionReason, Stage
from hiring.moves import application_move_run
from hiring.roles import MOVERS
from hiring.services import MoveError
from interviews.models import Recommendation
from interviews.selectors import application_card_annotations

RECOMMENDATION_LABELS = dict(Recommendation.choices)


def _int_or_none(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


class JobBoardMixin:
    """Mounts the board of a job and its move endpoint on the job admin."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/board/", view(self.board_view), name="hiring_job_board"),
            path("<path:object_id>/board/move/", view(self.board_move_view), name="hiring_job_board_move"),
            *super().get_urls(),
        ]

    def _board_job(self, request, object_id):
        job = self.get_object(request, object_id)  # another company's job is a 404
        if not self.has_view_permission(request, job):
            raise PermissionDenied
        return job

    def board_view(self, request, object_id):
        job = self._board_job(request, object_id)
        status = request.GET.get("status")
        status = status if status in BOARD_STATUSES else ApplicationStatus.ACTIVE
        stages = list(Stage.objects.filter(job_id=job.pk).order_by("position", "id"))
        counts = board_counts(job_id=job.pk)
        columns = board_columns(
            job_id=job.pk,
            stages=stages,
            status=status,
            counts=counts.get(status, {}),
            column=_int_or_none(request.GET.get("column")),
            page=_int_or_none(request.GET.get("page")) or 1,
            annotations=application_card_annotations(request.user, roles=request_roles(request)),
        )
        can_move = self._allowed(request, job, MOVERS)
        reasons = RejectionReason.objects.filter(
            company_id=job.company_id, is_active=True, kind=RejectionKind.COMPANY
        ).order_by("name")
        reason_options = format_html(
            '<option value="">Choose a reason</option>{}',
            format_html_join("", '<option value="{}">{}</option>', ((r.pk, r.name) for r in reasons)),
        )
        board_url = reverse("admin:hiring_job_board", args=[job.pk])
        for col in columns:
            col.stage_options = format_html(
                '<option value="">Choose a stage</option>{}',
                format_html_join(
                    "",
                    '<option value="{}"{}>{}. {}</option>',
                    (
                        (s.pk, " disabled" if s.pk == col.stage.pk else "", i, s.name)
                        for i, s in enumerate(stages, start=1)
                    ),
                ),
            )
            col.is_last = col.stage.pk == stages[-1].pk
            col.more_url = f"{board_url}?status={status}&column={col.stage.pk}&page={col.page + 1}"
            col.previous_url = f"{board_url}?status={status}&column={col.stage.pk}&page={col.page - 1}"
            for card in col.cards:
                card.change_url = object_url("admin:hiring_application_change", card.pk)
                card.recommendation_label = RECOMMENDATION_LABELS.get(card.latest_recommendation, "")
        switch = [
            {
                "status": s,
                "label": ApplicationStatus(s).label,
                "count": sum(counts.get(s, {}).values()),
                "url": f"{board_url}?status={s}",
                "current": s == status,
            }
            for s in BOARD_STATUSES
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": f"{job.title}: pipeline board",
            "subtitle": None,
            "opts": self.model._meta,
            "job": job,
            "status": status,
            "status_label": ApplicationStatus(status).label.lower(),
            "switch": switch,
            "columns": columns,
            "can_move": can_move and status in (ApplicationStatus.ACTIVE, ApplicationStatus.ON_HOLD),
            "move_url": reverse("admin:hiring_job_board_move", args=[job.pk]),
            "reason_options": reason_options,
            "here": request.get_full_path(),
        }
        return TemplateResponse(request, "admin/hiring/job/board.html", context)

    def board_move_view(self, request, object_id):
        if request.method != "POST":
            raise PermissionDenied("Moves are posted from the board.")
        job = self._board_job(request, object_id)
        wants_json = "application/json" in request.headers.get("Accept", "")
        application_admin = self.admin_site._registry[Application]
        application_id = _int_or_none(request.POST.get("application"))
        if application_id is None:
            raise Http404("No such application on this board.")
        application = application_admin.get_object(request, str(application_id))  # 404 outside scope
        if application.job_id != job.pk:
            raise Http404("No such application on this board.")
        if not application_admin.has_change_permission(request, application):
            raise PermissionDenied
        board_url = reverse("admin:hiring_job_board", args=[job.pk])
        back = request.POST.get("next") or board_url
        if not (
            back.startswith(board_url)
            and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})
        ):
            back = board_url
        back = f"{back}#card-{application.pk}"
        name = application.candidate.name

        def refused(reason: str, status: int):
            if wants_json:
                return JsonResponse(
                    {"ok": False, "application": application.pk, "error": reason}, status=status
                )
            self.message_user(request, f"{name}: the move was not made. {reason}", messages.ERROR)
            return HttpResponseRedirect(back)

        form = MoveForm(request.POST, application=application)
        if not form.is_valid():
            errors = " ".join(" ".join(v) for v in form.errors.values())
            return refused(errors, 400)
        data = form.cleaned_data
        try:
            application_move_run(
                action=data["move"],
                application=application,
                actor=request.user,
                to_stage=data.get("to_stage"),
                reason=data.get("reason"),
                note=data.get("note") or "",
                expected_stage_id=data.get("expected_stage_id"),
                expected_status=data.get("expected_status"),
            )
        except MoveError as exc:
            return refused(_message_from(exc), 409)
        done = f"{name}: {application.get_status_display().lower()}, now in {application.stage.name}."
        if wants_json:
            return JsonResponse(
                {
                    "ok": True,
                    "application": application.pk,
                    "stage_id": application.stage_id,
                    "stage_name": application.stage.name,
                    "status": application.status,
                    "message": done,
                }
            )
        self.message_user(request, done, messages.SUCCESS)
        return HttpResponseRedirect(back)
