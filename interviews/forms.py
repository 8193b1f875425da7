"""Forms of the interviews app: the scorecard (crispy layout) and the admin forms that call services."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError

from .ai_policy import AIUse, PolicyRespected
from .ai_use import AIUseInput, kit_asks_ai_use
from .models import GateStatus, Recommendation
from .outcomes import CheckInput, GateInput
from .reference_checks import ReferenceInput, kit_is_reference_check
from .references import Relationship
from .selectors import ScorecardSheet
from .services import RatingInput, scorecard_check_complete

SAVE_DRAFT, SUBMIT, AMEND = "_save_draft", "_submit", "_amend"


class ScorecardForm(forms.Form):
    """One field pair per competency of the kit's rubric (score on the anchored scale or "not
    assessed", evidence), the rubric's red flags, a recommendation without a neutral option and a
    summary. `amend` adds the reason the amendment needs.

    Each competency is shown with its description, suggested questions and the anchor text of
    every level next to the score choice; the kit's AI policy comes first.
    """

    red_flags = forms.TypedMultipleChoiceField(
        label="Red flags observed", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    recommendation = forms.ChoiceField(
        label="Overall recommendation",
        choices=Recommendation.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    summary = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 4}), help_text="What should the team know?"
    )

    def __init__(self, *args, sheet: ScorecardSheet, amend: bool = False, **kwargs):
        self.sheet = sheet
        self.amend = amend
        if not kwargs.get("data") and not args:
            kwargs.setdefault("initial", self._initial(sheet))
        super().__init__(*args, **kwargs)
        self.competency_list = sheet.competencies
        for c in sheet.competencies:
            self.fields[f"score_{c.pk}"] = forms.TypedChoiceField(
                label="Score",
                choices=[("", "Not assessed")]
                + [(score, f"{score} · {text}" if text else str(score)) for score, text in c.level_anchors],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"evidence_{c.pk}"] = forms.CharField(
                label="Evidence",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text="What the candidate said or did that supports the score. Required for every score.",
            )
        for g in sheet.gates:
            self.fields[f"gate_{g.pk}"] = forms.ChoiceField(
                label=f"Gate {g.position}: {g.name}",
                choices=[("", "Open")] + list(GateStatus.choices),
                required=False,
                widget=forms.RadioSelect,
                help_text=(g.anchor + (" Unlocks the next gate." if g.unlocks_next else "")).strip(),
            )
            self.fields[f"gate_evidence_{g.pk}"] = forms.CharField(
                label="Evidence", required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
        for c in sheet.checks:
            self.fields[f"check_{c.pk}"] = forms.TypedChoiceField(
                label=f"Check: {c.name}",
                choices=[("", "Open"), ("1", "Passed"), ("0", "Failed")],
                coerce=lambda v: v == "1",
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                help_text=c.anchor,
            )
            self.fields[f"check_evidence_{c.pk}"] = forms.CharField(
                label="Evidence", required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
        kit = sheet.scorecard.interview.kit
        self.is_reference = kit_is_reference_check(kit)
        if self.is_reference:
            self.fields["referee_name"] = forms.CharField(label="Referee", max_length=200, required=False)
            self.fields["referee_relationship"] = forms.ChoiceField(
                label="How they know the candidate",
                choices=[("", "---------")] + list(Relationship.choices),
                required=False,
            )
            self.fields["referee_context"] = forms.CharField(
                label="Where they worked together",
                max_length=300,
                required=False,
                help_text="Company, team, years.",
            )
            for c in sheet.competencies:
                for q in c.question_list:
                    self.fields[f"answer_{q.pk}"] = forms.CharField(
                        label=f"Answer: {q.text}",
                        required=False,
                        max_length=5000,
                        widget=forms.Textarea(attrs={"rows": 2}),
                    )
        if kit_asks_ai_use(kit) and not self.is_reference:
            self.fields["ai_uses"] = forms.MultipleChoiceField(
                label="How AI was used",
                choices=AIUse.choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text="What you saw the candidate do with AI tools.",
            )
        self.fields["ai_policy_respected"] = forms.ChoiceField(
            label="Was the AI policy respected?"
            + (" (including the no-AI blocks)" if kit.ai_policy == "no_ai_block" else ""),
            choices=[("", "Not said")] + list(PolicyRespected.choices),
            required=False,
            widget=forms.RadioSelect,
        )
        self.fields["ai_note"] = forms.CharField(
            label="AI notes", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
        )
        self.fields["red_flags"].choices = [
            (f.pk, f"{f.description} (blocking)" if f.is_blocking else f.description) for f in sheet.red_flags
        ]
        if amend:
            self.fields["amend_reason"] = forms.CharField(
                label="Why are you amending this scorecard?",
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="Kept with the previous version of the scorecard.",
            )
            # The version this amendment is written against: a second amendment written against
            # the same version (another tab) is refused instead of silently replacing the first.
            self.fields["amends_version"] = forms.IntegerField(
                required=False, widget=forms.HiddenInput, initial=sheet.version
            )
        self.helper = self._helper()

    @classmethod
    def keeping_typed(cls, typed: "ScorecardForm", *, sheet: ScorecardSheet) -> "ScorecardForm":
        """An amendment form for the scorecard as it is now, filled with what was typed in `typed`
        (a page whose post was refused because the scorecard changed meanwhile)."""
        initial = {name: typed[name].value() for name in typed.fields if name != "amends_version"}
        initial["amends_version"] = sheet.version
        return cls(sheet=sheet, amend=True, initial=initial)

    @staticmethod
    def _initial(sheet: ScorecardSheet) -> dict:
        initial = {
            "recommendation": sheet.scorecard.recommendation,
            "summary": sheet.scorecard.summary,
            "red_flags": sorted(sheet.flag_ids),
        }
        for cid, rating in sheet.ratings.items():
            initial[f"score_{cid}"] = "" if rating.score is None else rating.score
            initial[f"evidence_{cid}"] = rating.evidence
        if sheet.reference is not None:
            initial["referee_name"] = sheet.reference.referee_name
            initial["referee_relationship"] = sheet.reference.relationship
            initial["referee_context"] = sheet.reference.referee_context
        for qid, answer in sheet.reference_answers.items():
            initial[f"answer_{qid}"] = answer.answer
        if sheet.ai_use is not None:
            initial["ai_uses"] = list(sheet.ai_use.uses)
            initial["ai_policy_respected"] = sheet.ai_use.policy_respected
            initial["ai_note"] = sheet.ai_use.note
        for g in sheet.gates:
            if g.result is not None:
                initial[f"gate_{g.pk}"], initial[f"gate_evidence_{g.pk}"] = g.result.status, g.result.evidence
        for c in sheet.checks:
            if c.result is not None:
                initial[f"check_{c.pk}"] = "1" if c.result.passed else "0"
                initial[f"check_evidence_{c.pk}"] = c.result.evidence
        return initial

    def _helper(self) -> FormHelper:
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True
        blocks = [
            HTML(
                '{% include "interviews/admin/scorecard_policy.html" '
                "with kit=form.sheet.scorecard.interview.kit %}"
            )
        ]
        if self.is_reference:
            blocks.append(
                Fieldset(
                    "The referee",
                    "referee_name",
                    "referee_relationship",
                    "referee_context",
                    css_class="hl-referee",
                )
            )
        for i, c in enumerate(self.sheet.competencies):
            answers = [Field(f"answer_{q.pk}") for q in c.question_list] if self.is_reference else []
            blocks.append(
                Div(
                    HTML(
                        '{% include "interviews/admin/scorecard_competency.html" '
                        f"with competency=form.competency_list.{i} %}}"
                    ),
                    *answers,
                    Field(f"score_{c.pk}"),
                    Field(f"evidence_{c.pk}"),
                    css_class="hl-competency",
                    css_id=f"competency-{c.pk}",
                )
            )
        if self.sheet.gates:
            names = [n for g in self.sheet.gates for n in (f"gate_{g.pk}", f"gate_evidence_{g.pk}")]
            blocks.append(Fieldset("Gates, in order", *names, css_class="hl-gates"))
        if self.sheet.checks:
            names = [n for c in self.sheet.checks for n in (f"check_{c.pk}", f"check_evidence_{c.pk}")]
            blocks.append(Fieldset("Checks", *names, css_class="hl-checks"))
        ai_names = [n for n in ("ai_uses", "ai_policy_respected", "ai_note") if n in self.fields]
        blocks.append(Fieldset("AI use in the session", *ai_names, css_class="hl-ai-use"))
        closing = ["red_flags", "recommendation", "summary"]
        if self.amend:
            closing += ["amend_reason", "amends_version"]
        blocks.append(Fieldset("Overall", *closing, css_class="hl-overall"))
        helper.layout = Layout(*blocks)
        return helper

    def rating_inputs(self) -> list[RatingInput]:
        return [
            RatingInput(
                c.pk, self.cleaned_data.get(f"score_{c.pk}"), self.cleaned_data.get(f"evidence_{c.pk}", "")
            )
            for c in self.sheet.competencies
        ]

    def gate_inputs(self) -> list[GateInput]:
        data = self.cleaned_data
        return [
            GateInput(g.pk, data.get(f"gate_{g.pk}") or None, data.get(f"gate_evidence_{g.pk}", ""))
            for g in self.sheet.gates
        ]

    def check_inputs(self) -> list[CheckInput]:
        data = self.cleaned_data
        return [
            CheckInput(c.pk, data.get(f"check_{c.pk}"), data.get(f"check_evidence_{c.pk}", ""))
            for c in self.sheet.checks
        ]

    def reference_input(self) -> ReferenceInput | None:
        if not self.is_reference:
            return None
        data = self.cleaned_data
        return ReferenceInput(
            referee_name=data.get("referee_name", ""),
            relationship=data.get("referee_relationship", ""),
            referee_context=data.get("referee_context", ""),
            answers={
                q.pk: data.get(f"answer_{q.pk}", "") for c in self.sheet.competencies for q in c.question_list
            },
        )

    def ai_use_input(self) -> AIUseInput:
        data = self.cleaned_data
        return AIUseInput(
            uses=list(data.get("ai_uses", [])),
            policy_respected=data.get("ai_policy_respected", ""),
            note=data.get("ai_note", ""),
        )

    def check_complete(self) -> bool:
        """Apply the rules of a submitted scorecard (the service's `scorecard_check_complete`), as
        field errors; True when it may be submitted."""
        if not self.is_valid():
            return False
        try:
            scorecard_check_complete(
                ratings=self.rating_inputs(),
                recommendation=self.cleaned_data.get("recommendation", ""),
                scores_required=bool(self.sheet.competencies),
            )
        except ValidationError as exc:
            self.add_error(None, exc)  # keyed by field: evidence_<competency id>, recommendation
        return not self.errors

    def add_service_error(self, exc: ValidationError) -> None:
        self.add_error(None, exc.messages)
