"""A complete, distinctively named library of one company: rubric with its rows, template with a
stage, a track, a kit and a default interviewer. Used to walk company boundaries in the admin."""

from dataclasses import dataclass
from decimal import Decimal

from hiring.models import Membership, ProcessTemplate, Role, Stage, Track
from interviews.models import InterviewKit
from rubrics.models import ClauseKind, Competency, HireBarClause, LevelAnchor, Question, RedFlag, Rubric
from tests.hiring.factories import (
    MembershipFactory,
    ProcessTemplateFactory,
    TemplateStageFactory,
    TrackFactory,
    UserFactory,
)
from tests.interviews.factories import InterviewKitFactory
from tests.rubrics.factories import (
    CompetencyFactory,
    HireBarClauseFactory,
    LevelAnchorFactory,
    QuestionFactory,
    RedFlagFactory,
    RubricFactory,
)


@dataclass
class Library:
    rubric: Rubric
    competency: Competency
    anchor: LevelAnchor
    question: Question
    red_flag: RedFlag
    clause: HireBarClause
    template: ProcessTemplate
    stage: Stage
    track: Track
    kit: InterviewKit
    member: Membership

    def urls(self) -> dict[str, str]:
        """Change, delete and history URLs of every object with an admin page."""
        out = {}
        for label, obj, admin_path in (
            ("template", self.template, "hiring/processtemplate"),
            ("stage", self.stage, "hiring/stage"),
            ("membership", self.member, "hiring/membership"),
            ("rubric", self.rubric, "rubrics/rubric"),
            ("competency", self.competency, "rubrics/competency"),
        ):
            base = f"/admin/{admin_path}/{obj.pk}/"
            out[f"{label} change"] = f"{base}change/"
            out[f"{label} delete"] = f"{base}delete/"
            out[f"{label} history"] = f"{base}history/"
        return out


def build_library(company, tag: str) -> Library:
    """Every name starts with `tag`, so a response can be searched for leaks."""
    rubric = RubricFactory(company=company, name=f"{tag} Rubric", description=f"{tag} rubric text")
    competency = CompetencyFactory(rubric=rubric, name=f"{tag} Competency", is_critical=True)
    anchor = None
    for score in range(1, 6):
        anchor = LevelAnchorFactory(rubric=rubric, score=score, text=f"{tag} anchor {score}")
    question = QuestionFactory(competency=competency, text=f"{tag} question", follow_ups=f"{tag} probe")
    red_flag = RedFlagFactory(rubric=rubric, description=f"{tag} red flag", is_blocking=True)
    clause = HireBarClauseFactory(rubric=rubric, kind=ClauseKind.MIN_AVERAGE, score=Decimal("3"))
    template = ProcessTemplateFactory(company=company, name=f"{tag} Template", description=f"{tag} loop")
    stage = TemplateStageFactory(template=template, name=f"{tag} Stage", instructions=f"{tag} instructions")
    track = TrackFactory(stage=stage, name=f"{tag} Track")
    kit = InterviewKitFactory(stage=stage, track=track, rubric=rubric, name=f"{tag} Kit")
    user = UserFactory(username=f"{tag.lower()}-member", first_name=tag, last_name="Member")
    member = MembershipFactory(
        user=user, company=company, role=Role.INTERVIEWER, display_name=f"{tag} Member"
    )
    kit.default_interviewers.add(member)
    return Library(
        rubric, competency, anchor, question, red_flag, clause, template, stage, track, kit, member
    )


def changeform_data(response) -> dict:
    """The POST data a browser would send back for an admin change form, unchanged."""
    from django.db.models import Model

    data = {}

    def put(form):
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if value is None:
                continue
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif not isinstance(value, str) and hasattr(value, "__iter__"):
                data[key] = [str(v.pk if isinstance(v, Model) else v) for v in value]
            elif isinstance(value, Model):
                data[key] = str(value.pk)
            else:
                data[key] = str(value)

    put(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        put(formset.management_form)
        for form in formset.forms:
            put(form)
    return data


def inline_prefix(response, model) -> str:
    """The formset prefix of the inline of `model` on an admin change form."""
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.model is model:
            return inline.formset.prefix
    raise LookupError(model)
