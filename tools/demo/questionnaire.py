"""The demo's application questions, put on every process template (and so copied into its jobs):
a work authorisation yes / no that flags a "no", years of experience, a single choice whose
"fewer than 20 hours" answer rejects, a portfolio link and a short motivation."""

from hiring.models import (
    KnockoutAction,
    ProcessTemplate,
    Question,
    QuestionChoice,
    QuestionKind,
    RejectionReason,
)

AVAILABILITY_REASON = "Location or work authorisation"


def questionnaire_create(*, template: ProcessTemplate, reasons: list[RejectionReason]) -> list[Question]:
    reason = next(r for r in reasons if r.name == AVAILABILITY_REASON)
    common = {"company_id": template.company_id, "template": template}
    questions = [
        Question(
            **common,
            position=0,
            label="Are you authorised to work in the country of this job?",
            help_text="We cannot sponsor visas for this role.",
            kind=QuestionKind.YES_NO,
            is_required=True,
            knockout_answer="no",
            knockout_action=KnockoutAction.FLAG,
        ),
        Question(
            **common,
            position=1,
            label="How many years of professional experience do you have in this field?",
            kind=QuestionKind.NUMBER,
            is_required=True,
        ),
        Question(
            **common,
            position=2,
            label="How many hours a week can you work?",
            help_text="The role is full time; part-time applications are not considered.",
            kind=QuestionKind.SINGLE_CHOICE,
            is_required=True,
            knockout_action=KnockoutAction.REJECT,
            rejection_reason=reason,
        ),
        Question(
            **common,
            position=3,
            label="A link to your portfolio, GitHub profile or a project you are proud of",
            kind=QuestionKind.URL,
        ),
        Question(
            **common,
            position=4,
            label="Why this role, in a few sentences?",
            kind=QuestionKind.LONG_TEXT,
        ),
    ]
    Question.objects.bulk_create(questions)
    QuestionChoice.objects.bulk_create(
        QuestionChoice(
            company_id=template.company_id,
            question=questions[2],
            position=i,
            label=label,
            is_knockout=knockout,
        )
        for i, (label, knockout) in enumerate(
            [("Fewer than 20 hours", True), ("20 to 35 hours", False), ("Full time", False)]
        )
    )
    return questions
