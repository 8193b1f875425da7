"""The application list's bulk moves: a confirmation page with the count, the filters and the state
seen, then the moves inline or by a background job with its progress page."""

from collections import Counter

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core import signing
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from hiring.admin_scoping import company_ids_for, request_roles
from hiring.bulk import (
    Seen,
    applications_bulk_move,
    bulk_job_create,
    bulk_job_enqueue,
    bulk_job_is_stalled,
)
from hiring.models import (
    ApplicationStatus,
    BulkAction,
    BulkJob,
    BulkJobStatus,
    RejectionKind,
    RejectionReason,
    Stage,
)
from hiring.roles import ADMINISTRATORS

BULK_SALT = "hiring.bulk-selection"
BULK_CONFIRM_MAX_AGE = 3600  # seconds a confirmation page stays valid
BULK_ROWS_SHOWN = 50
BULK_REFRESH_SECONDS = 2
BULK_STALLED_AFTER = 120
SELECTION_EXPIRED = (
    "This confirmation has expired or was not made here; nothing was moved. Select the applications again."
)


def _selection_sign(request, action: str, seen: list[Seen]) -> str:
    """The confirmed selection, with the state of each application, signed for this user."""
    data = {"u": request.user.pk, "a": action, "i": [s.as_row() for s in seen]}
    return signing.dumps(data, salt=BULK_SALT, compress=True)


def _selection_read(request, action: str) -> list[Seen] | None:
    try:
        data = signing.loads(request.POST.get("selection", ""), salt=BULK_SALT, max_age=BULK_CONFIRM_MAX_AGE)
    except signing.BadSignature:
        return None
    if data.get("u") != request.user.pk or data.get("a") != action:
        return None
    try:
        return [Seen.from_row(row) for row in data.get("i", [])]
    except (TypeError, ValueError):
        return None


def _bulk_job_url(job: BulkJob) -> str:
    return reverse("admin:hiring_application_bulkjob", args=[job.pk])


class BulkAdvanceForm(forms.Form):
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class BulkMoveForm(forms.Form):
    to_stage = forms.ModelChoiceField(queryset=Stage.objects.none(), label="Move to")
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed when moving back or skipping a stage.",
    )


class BulkRejectForm(forms.Form):
    reason = forms.ModelChoiceField(queryset=RejectionReason.objects.none())
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class StageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.job.title}: {obj.name}"


class ReasonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.company.name})"


class ApplicationBulkMixin:
    """The bulk actions of the application admin and the progress page of a bulk job."""

    def _movable(self, request, queryset):
        """Applications of the selection that the user may move (manage role in their company)."""
        if request.user.is_superuser:
            return queryset, 0
        allowed = company_ids_for(request, self.manage_roles)
        return queryset.filter(company_id__in=allowed), queryset.exclude(company_id__in=allowed).count()

    def _too_many(self, request, queryset) -> bool:
        """Refuse a bulk move of more applications than one action should move (each move is a
        transaction with its history and emails): say so and move nothing."""
        limit = settings.HIRELOOP_BULK_MAX
        count = queryset[: limit + 1].count()
        if count <= limit:
            return False
        self.message_user(
            request,
            f"More than {limit:,} applications are selected; nothing was moved. Filter the list (by "
            f"job, stage or status) or select fewer, at most {limit:,} at a time.",
            messages.ERROR,
        )
        return True

    def _bulk_action(self, request, queryset, *, action, name, title, make_form, check=None):
        """A bulk move in two steps. First a confirmation page: the count, the filters a "select
        all" applies to, the applications, and a signed copy of the stage and status of each.
        Then, confirmed, those applications are moved (each only if still as the user saw it),
        inline up to HIRELOOP_BULK_INLINE_MAX, else by a background job with a progress page."""
        applying = "apply" in request.POST
        if applying:
            seen = _selection_read(request, name)
            if seen is None:
                self.message_user(request, SELECTION_EXPIRED, messages.ERROR)
                return None
            chosen = self.get_queryset(request).filter(pk__in=[s.application_id for s in seen])
            if len(seen) > settings.HIRELOOP_BULK_MAX:
                self._too_many(request, chosen)
                return None
            across = request.POST.get("across") == "1"
        else:
            if self._too_many(request, queryset):
                return None
            chosen = queryset
            across = request.POST.get("select_across") == "1"
        movable, forbidden = self._movable(request, chosen)
        if check is not None:
            refusal = check(movable)
            if refusal:
                self.message_user(request, refusal, messages.ERROR)
                return None
        form = make_form(request.POST if applying else None, movable)
        if not applying:
            seen = [
                Seen(pk, company_id, stage_id, status)
                for pk, company_id, stage_id, status in movable.order_by("pk").values_list(
                    "pk", "company_id", "stage_id", "status"
                )
            ]
            if not seen:
                self.message_user(
                    request,
                    "None of the selected applications is one you may move; nothing was moved.",
                    messages.WARNING,
                )
                return None
        elif form.is_valid():
            data = form.cleaned_data
            run = {key: data[key] for key in ("to_stage", "reason", "note") if key in data}
            return self._bulk_run(request, action=action, seen=seen, run=run)
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "form": form,
            "action": name,
            "count": len(seen),
            "forbidden": forbidden,
            "across": across,
            "filters": self._selection_filters(request) if across else [],
            "rows": self._selection_rows(request, seen[:BULK_ROWS_SHOWN]),
            "more": max(0, len(seen) - BULK_ROWS_SHOWN),
            "background": len(seen) > settings.HIRELOOP_BULK_INLINE_MAX,
            "selection": _selection_sign(request, name, seen),
            "selected": [str(s.application_id) for s in seen],
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/hiring/application/action_confirm.html", context)

    def _selection_rows(self, request, seen):
        wanted = {s.application_id: s for s in seen}
        rows = (
            self.get_queryset(request)
            .filter(pk__in=wanted)
            .order_by("pk")
            .values_list("pk", "candidate__name", "job__title", "stage__name", "status")
        )
        return [
            {"candidate": cand, "job": job, "stage": stage, "status": ApplicationStatus(status).label}
            for pk, cand, job, stage, status in rows
        ]

    def _selection_filters(self, request) -> list[str]:
        """What a "select all" applies to, in words: each filter in use and the search."""
        try:
            cl = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return ["(filters that could not be read)"]
        described, consumed = [], set()
        for spec in [*cl.filter_specs, *cl.hidden_filter_specs]:
            if not spec.used_parameters:
                continue
            consumed.update(spec.used_parameters)
            chosen = []
            if spec in cl.filter_specs:
                chosen = [str(c["display"]) for c in spec.choices(cl) if c.get("selected")]
            if not chosen:
                chosen = [
                    v if isinstance(v, str) else ", ".join(map(str, v)) for v in spec.used_parameters.values()
                ]
            described.append(f"{spec.title}: {', '.join(chosen)}")
        for key, values in cl.get_filters_params().items():
            if key not in consumed:
                described.append(f"{key} = {', '.join(values)}")
        if cl.query:
            described.append(f'search: "{cl.query}"')
        return described

    def _bulk_run(self, request, *, action, seen, run):
        company_ids = None if request.user.is_superuser else company_ids_for(request, self.manage_roles)
        if len(seen) <= settings.HIRELOOP_BULK_INLINE_MAX:
            results = applications_bulk_move(
                items=seen, action=action, actor=request.user, company_ids=company_ids, **run
            )
            moved = sum(1 for _, ok, _ in results if ok)
            refused = Counter(why for _, ok, why in results if not ok)
            text = f"{moved} moved"
            if refused:
                reasons = "; ".join(f"{reason} (x{count})" for reason, count in refused.most_common())
                text += f"; {sum(refused.values())} not moved: {reasons}"
            self.message_user(request, text + ".", messages.WARNING if refused else messages.SUCCESS)
            return None
        by_company: dict[int, list[Seen]] = {}
        for item in seen:
            by_company.setdefault(item.company_id, []).append(item)
        jobs = [
            bulk_job_create(company_id=company_id, actor=request.user, action=action, items=items, **run)
            for company_id, items in sorted(by_company.items())
        ]
        links = format_html_join(
            ", ", '<a href="{}">bulk job #{}</a>', ((_bulk_job_url(job), job.pk) for job in jobs)
        )
        self.message_user(
            request,
            format_html("{} applications are moved in the background: {}.", len(seen), links),
            messages.INFO,
        )
        return HttpResponseRedirect(_bulk_job_url(jobs[0]))

    @admin.action(description="Advance to the next stage…", permissions=["change"])
    def advance_selected(self, request, queryset):
        return self._bulk_action(
            request,
            queryset,
            action=BulkAction.ADVANCE,
            name="advance_selected",
            title="Advance applications to the next stage",
            make_form=lambda data, movable: BulkAdvanceForm(data),
        )

    @admin.action(description="Move to a stage…", permissions=["change"])
    def move_selected(self, request, queryset):
        def several_jobs(movable):
            job_ids = movable.order_by().values_list("job_id", flat=True).distinct()[:2]
            if len(set(job_ids)) > 1:
                # A stage belongs to one job's plan: the choice would list every job's stages.
                return (
                    "The selected applications are for several jobs; a move to a stage stays within one "
                    "job's plan. Filter the list by job first; nothing was moved."
                )
            return None

        def make_form(data, movable):
            form = BulkMoveForm(data)
            form.fields["to_stage"] = StageChoiceField(
                queryset=Stage.objects.filter(job_id__in=movable.values("job_id"))
                .select_related("job")
                .order_by("job__title", "job_id", "position"),
                label="Move to",
            )
            return form

        return self._bulk_action(
            request,
            queryset,
            action=BulkAction.MOVE,
            name="move_selected",
            title="Move applications to a stage",
            make_form=make_form,
            check=several_jobs,
        )

    @admin.action(description="Reject with a reason…", permissions=["change"])
    def reject_selected(self, request, queryset):
        def make_form(data, movable):
            form = BulkRejectForm(data)
            form.fields["reason"] = ReasonChoiceField(
                queryset=RejectionReason.objects.filter(
                    company_id__in=movable.values("company_id"), is_active=True, kind=RejectionKind.COMPANY
                ).select_related("company"),
            )
            return form

        return self._bulk_action(
            request,
            queryset,
            action=BulkAction.REJECT,
            name="reject_selected",
            title="Reject applications",
            make_form=make_form,
        )

    # bulk jobs: the progress page

    def _may_see_bulk_job(self, request, job: BulkJob) -> bool:
        user = request.user
        if user.is_superuser or job.user_id == user.pk:
            return True
        return request_roles(request).get(job.company_id) in ADMINISTRATORS

    def bulk_job_view(self, request, bulkjob_id):
        job = BulkJob.objects.select_related("company").filter(pk=bulkjob_id).first()
        if job is None or not self._may_see_bulk_job(request, job):
            raise Http404("No such bulk job in your companies.")
        if request.method == "POST":
            if "resume" in request.POST and bulk_job_is_stalled(job, after_seconds=BULK_STALLED_AFTER):
                queued = bulk_job_enqueue(job_id=job.pk)
                self.message_user(
                    request,
                    "The job was handed to a worker again."
                    if queued
                    else "The job could not be queued: "
                    "the task broker is unreachable. Try again in a moment.",
                    messages.SUCCESS if queued else messages.ERROR,
                )
            return HttpResponseRedirect(_bulk_job_url(job))
        finished = job.status in (BulkJobStatus.DONE, BulkJobStatus.FAILED)
        results = list(
            job.results.select_related("application__candidate", "application__job", "application__stage")
        )
        context = {
            **self.admin_site.each_context(request),
            "title": f"Bulk job #{job.pk}: {job.get_action_display().lower()}",
            "opts": self.model._meta,
            "job": job,
            "finished": finished,
            "refresh": None if finished else BULK_REFRESH_SECONDS,
            "stalled": bulk_job_is_stalled(job, after_seconds=BULK_STALLED_AFTER),
            "moved": [r for r in results if r.moved],
            "refused": [r for r in results if not r.moved],
        }
        return TemplateResponse(request, "admin/hiring/application/bulk_job.html", context)
