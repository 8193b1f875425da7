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
from django.middleware.csrf import get_token
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe

from hiring.admin.applications import MoveForm
from hiring.admin.shared import _message_from
from hiring.admin_scoping import request_roles
from hiring.board import BOARD_STATUSES, board_columns, board_counts
from hiring.models import Application, ApplicationStatus, RejectionKind, RejectionReason, Stage
from hiring.roles import MOVERS
from hiring.services import MoveError
from interviews.board import application_card_annotations
from interviews.models import Recommendation

RECOMMENDATION_LABELS = dict(Recommendation.choices)
PK = "0123456789"  # a stand-in id, replaced by each card's


def _int_or_none(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


# A board shows up to 50 cards per stage, several hundred in all: each card is put together from
# escaped pieces (as hiring.admin_lists does for list rows) rather than a template render of its
# dozen fields, and the parts of its move form that are the same on every card of a column (the
# stage and reason choices) are built once per column.
ADVANCE = '<button type="submit" name="move" value="advance" class="button board-advance">Advance</button>'
RESUME = '<button type="submit" name="move" value="resume" class="button">Resume</button>'


def _column_form_tail(*, stage_options: str, reason_options: str, active: bool) -> str:
    """The "Move or reject" part of a card's form, the same for every card of a column."""
    move = (
        f'<label>Move to <select name="to_stage">{stage_options}</select></label>'
        '<button type="submit" name="move" value="move" class="button">Move</button>'
        if active
        else ""
    )
    return (
        f'<details class="board-more"><summary>Move or reject</summary>{move}'
        '<label>Note <input type="text" name="note" maxlength="500" '
        'placeholder="Why (moving back, skipping, rejecting)"></label>'
        f'<label>Reason <select name="reason">{reason_options}</select></label>'
        '<button type="submit" name="move" value="reject" class="button">Reject</button>'
        "</details></form>"
    )


def card_html(card, *, column, form_head: str | None) -> str:
    """One card of the board; `form_head` opens its move form (None: the user does not move)."""
    active = card.status == ApplicationStatus.ACTIVE
    name = escape(card.candidate.name)
    late = " board-card-late" if card.past_sla else ""
    drag = ' draggable="true"' if form_head is not None and active else ""
    days = card.days_in_stage
    sla = (
        f' <strong class="sla-overdue">⚠ past the {int(column.stage.sla_days)}-day SLA</strong>'
        if card.past_sla
        else ""
    )
    parts = [
        f'<li class="board-card{late}" id="card-{card.pk}" data-application="{card.pk}" '
        f'data-name="{name}"{drag}>'
        f'<h3><a href="{escape(card.change_url)}">{name}</a></h3>'
        f'<p class="board-days">{days} day{"" if days == 1 else "s"} in stage{sla}</p>'
        f'<p class="board-scorecards">Scorecards: {int(card.scorecards_done)} done, '
        f"{int(card.scorecards_owed)} owed</p>"
    ]
    if card.recommendation_label:
        parts.append(
            f'<p class="board-recommendation board-rec-{escape(card.latest_recommendation)}">'
            f"Latest recommendation: <strong>{escape(card.recommendation_label)}</strong></p>"
        )
    if card.tag_names:
        tags = "".join(f"<li>{escape(tag)}</li>" for tag in card.tag_names)
        parts.append(f'<ul class="board-tags" aria-label="Tags">{tags}</ul>')
    parts.append('<p class="board-card-error errornote" role="alert" hidden></p>')
    if form_head is not None:
        buttons = ("" if column.is_last else ADVANCE) if active else RESUME
        parts.append(
            f"{form_head}"
            f'<input type="hidden" name="application" value="{card.pk}">'
            f'<input type="hidden" name="expected_stage_id" value="{card.stage_id}">'
            f'<input type="hidden" name="expected_status" value="{escape(card.status)}">'
            f"{buttons}{column.form_tail_active if active else column.form_tail_on_hold}"
        )
    parts.append("</li>")
    return "".join(parts)


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
        # The job row alone, scoped to the user's companies (another company's job is a 404):
        # the job list's annotations, counted over every application of the job, are not needed.
        scoped = super().get_queryset(request)
        job = scoped.filter(pk=object_id).first() if str(object_id).isdigit() else None
        if job is None:
            raise Http404("No such job in your companies.")
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
            company_id=job.company_id,
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
        moves = can_move and status in (ApplicationStatus.ACTIVE, ApplicationStatus.ON_HOLD)
        form_head = None
        if moves:
            form_head = format_html(
                '<form method="post" action="{}" class="board-move">'
                '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
                '<input type="hidden" name="next" value="{}">',
                reverse("admin:hiring_job_board_move", args=[job.pk]),
                get_token(request),
                request.get_full_path(),
            )
        # The application page's address, reversed once for every card.
        change_url = reverse("admin:hiring_application_change", args=[PK])
        for col in columns:
            stage_options = format_html(
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
            col.form_tail_active = _column_form_tail(
                stage_options=stage_options, reason_options=reason_options, active=True
            )
            col.form_tail_on_hold = _column_form_tail(
                stage_options=stage_options, reason_options=reason_options, active=False
            )
            col.is_last = col.stage.pk == stages[-1].pk
            col.more_url = f"{board_url}?status={status}&column={col.stage.pk}&page={col.page + 1}"
            col.previous_url = f"{board_url}?status={status}&column={col.stage.pk}&page={col.page - 1}"
            for card in col.cards:
                card.change_url = change_url.replace(PK, str(card.pk))
                card.recommendation_label = RECOMMENDATION_LABELS.get(card.latest_recommendation, "")
            # Every piece of a card is escaped or built with format_html (card_html).
            col.cards_html = mark_safe(  # noqa: S308
                "".join(card_html(card, column=col, form_head=form_head) for card in col.cards)
            )
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
            "can_move": moves,
            "move_url": reverse("admin:hiring_job_board_move", args=[job.pk]),
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
        try:
            form.run(actor=request.user)
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
