"""Admin for stage decisions: recorded next to the hire-bar verdict, then read-only."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse

from hiring.admin.shared import person_column
from hiring.admin_scoping import CompanyScopedAdminMixin, company_ids_for, request_roles
from hiring.models import Application, ApplicationStatus, RejectionKind, RejectionReason
from hiring.roles import DECIDERS, READERS
from hiring.services import rejection_reason_check
from interviews.models import Decision, DecisionOutcome
from interviews.overrides import MAX_REASON, decision_bar, failing_clauses, may_override, override_key
from interviews.selectors import application_scores, decisions_visible_to, user_owes_scorecard
from interviews.services import decision_record


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(choices=DecisionOutcome.choices, widget=forms.RadioSelect)
    rejection_reason = forms.ModelChoiceField(
        queryset=RejectionReason.objects.none(), required=False, help_text="Needed to reject."
    )
    reason = forms.CharField(
        label="Why",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when the decision goes against the hire-bar verdict; kept with the decision.",
    )
    # The stage and status this form was opened on: a decision for an application moved meanwhile
    # (another tab, another person) is refused instead of moving the candidate once more.
    expected_stage_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    expected_status = forms.ChoiceField(
        choices=ApplicationStatus.choices, required=False, widget=forms.HiddenInput
    )

    def __init__(
        self, *args, application: Application, verdicts, actor, can_override: bool = False, **kwargs
    ):
        kwargs.setdefault(
            "initial", {"expected_stage_id": application.stage_id, "expected_status": application.status}
        )
        super().__init__(*args, **kwargs)
        self.application, self.actor = application, actor
        self.fields["rejection_reason"].queryset = RejectionReason.objects.filter(
            company_id=application.company_id, kind=RejectionKind.COMPANY, is_active=True
        )
        # The job's hiring manager may override each failing clause, with a reason of its own.
        self.override_fields = []
        for stage, result in failing_clauses(verdicts if can_override else []):
            name = f"override_{override_key(stage.stage_id, result.clause.id)}"
            self.fields[name] = forms.CharField(
                label=f"Override: {result.reason}",
                required=False,
                max_length=MAX_REASON,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="Only the hiring manager can override a failing clause: write why, or leave empty.",
            )
            self.override_fields.append(name)

    def overrides(self) -> dict[str, str]:
        """{"<stage id>-<clause id>": reason} of the override boxes filled in."""
        data = getattr(self, "cleaned_data", {})
        return {
            name.removeprefix("override_"): data[name].strip()
            for name in self.override_fields
            if data.get(name, "").strip()
        }

    def clean(self):
        cleaned = super().clean()
        outcome = cleaned.get("outcome")
        if outcome == DecisionOutcome.REJECT:
            # The service's rule (hiring.services.rejection_reason_check), shown on the field.
            try:
                rejection_reason_check(
                    company_id=self.application.company_id,
                    reason=cleaned.get("rejection_reason"),
                    kind=RejectionKind.COMPANY,
                )
            except ValidationError as exc:
                self.add_error("rejection_reason", exc.messages)
        if outcome:
            # The service's own reading of the bar (the stage's verdict, the loop's for a hire).
            try:
                bar = decision_bar(
                    application=self.application,
                    actor=self.actor,
                    outcome=outcome,
                    overrides=self.overrides(),
                )
            except ValidationError as exc:
                self.add_error(None, exc.messages)
            else:
                if bar.against and not cleaned.get("reason", "").strip():
                    self.add_error(
                        "reason", f"This decision goes against the hire-bar verdict. {bar.against_message}"
                    )
        return cleaned


@admin.register(Decision)
class DecisionAdmin(CompanyScopedAdminMixin, admin.ModelAdmin):
    view_roles = READERS
    manage_roles = DECIDERS
    list_display = (
        "decided_at",
        "candidate",
        "stage",
        "outcome",
        "verdict_passed",
        "against_verdict",
        "decided_by_name",
    )
    list_select_related = ("application__candidate", "stage", "decided_by")
    list_filter = ("outcome", "against_verdict")
    search_fields = ("application__candidate__name", "reason")
    ordering = ("-decided_at", "-id")
    fields = (
        "application",
        "stage",
        "outcome",
        "verdict_passed",
        "against_verdict",
        "reason",
        "verdict_snapshot",
        "clause_overrides",
        "decided_by_name",
        "decided_at",
    )
    readonly_fields = fields
    decided_by_name = person_column("decided_by", "Decided by")

    @admin.display(description="Clauses overridden")
    def clause_overrides(self, obj):
        rows = [f"{o.clause_text} Overridden: {o.reason}" for o in obj.overrides.all()]
        return "\n".join(rows) or "None"

    def get_queryset(self, request):
        # A decision keeps the verdict of the panel's scorecards: hidden where they are (independence).
        qs = super().get_queryset(request)
        return decisions_visible_to(request.user, qs, roles=request_roles(request))

    @admin.display(description="Candidate", ordering="application__candidate__name")
    def candidate(self, obj):
        return obj.application.candidate.name

    def has_change_permission(self, request, obj=None):
        return False  # a decision is a record

    def has_delete_permission(self, request, obj=None):
        return False

    def _application(self, request):
        raw = request.GET.get("application", "")
        if not raw.isdigit():
            return None
        qs = Application.objects.select_related("stage", "candidate", "job__hiring_manager")
        if not request.user.is_superuser:
            qs = qs.filter(company_id__in=company_ids_for(request, self.manage_roles))
        application = qs.filter(pk=raw).first()
        if application is None:
            raise Http404("No such application in your companies.")
        return application

    def add_view(self, request, form_url="", extra_context=None):
        """Record the decision for an application's current stage (?application=<id>)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        application = self._application(request)
        if application is None:
            self.message_user(
                request, "Open the application, then use 'Record decision' on its page.", messages.INFO
            )
            return HttpResponseRedirect(reverse("admin:hiring_application_changelist"))
        if user_owes_scorecard(user=request.user, application_id=application.pk):
            # The verdict reveals the panel's scores: independence first.
            self.message_user(
                request,
                "You still owe a scorecard for this candidate: submit it before deciding.",
                messages.ERROR,
            )
            return HttpResponseRedirect(self._back_url(application))
        # What the application page's panel shows: the score matrix with each scorecard's
        # recommendation, the verdict of every stage and the loop's (a constant number of queries).
        scores = application_scores(application=application, user=request.user, roles=request_roles(request))
        verdicts, loop = scores.stages, scores.loop
        verdict = next((v for v in verdicts if v.stage_id == application.stage_id), None)
        form = DecisionForm(
            request.POST or None,
            application=application,
            verdicts=verdicts,
            actor=request.user,
            can_override=may_override(application=application, user=request.user),
        )
        if request.method == "POST" and form.is_valid():
            try:
                decision = decision_record(
                    application=application,
                    outcome=form.cleaned_data["outcome"],
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                    rejection_reason=form.cleaned_data["rejection_reason"],
                    expected_stage_id=form.cleaned_data["expected_stage_id"],
                    expected_status=form.cleaned_data["expected_status"] or None,
                    overrides=form.overrides(),
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                self.log_addition(request, decision, [{"added": {}}])
                self.message_user(
                    request,
                    f"Decision recorded: {decision.get_outcome_display().lower()} "
                    f"{application.candidate.name} ({decision.stage.name}).",
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(self._back_url(application))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Decision for {application.candidate.name}: {application.stage.name}",
            "application": application,
            "verdict": verdict,
            "loop": loop,
            "scores": scores,
            "form": form,
            "back_url": self._back_url(application),
        }
        return TemplateResponse(request, "interviews/admin/decision_form.html", context)

    def _back_url(self, application):
        try:
            return reverse("admin:hiring_application_change", args=[application.pk])
        except NoReverseMatch:  # the application admin is not installed
            return reverse("admin:interviews_decision_changelist")
