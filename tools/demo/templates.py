"""Demo process templates, modelled on hiring loops that companies publish in their job ads.

Every template names the company whose published process it follows. Kits refer to rubrics of
`tools.demo.rubric` by key.
"""

from dataclasses import dataclass

from hiring.models import StageKind as K


@dataclass(frozen=True)
class KitData:
    name: str
    minutes: int
    rubric: str
    format: str = "video"
    window_days: int | None = None
    ai_policy: str = "allowed"
    no_ai_minutes: int | None = None
    no_ai_blocks: tuple[tuple[int, int], ...] = ()  # (start minute, length), placed in the session
    ai_note: str = ""
    is_internal: bool = False


@dataclass(frozen=True)
class TrackData:
    name: str
    description: str
    kits: tuple[KitData, ...]


@dataclass(frozen=True)
class StageData:
    name: str
    kind: str
    sla_days: int = 5
    kits: tuple[KitData, ...] = ()
    tracks: tuple[TrackData, ...] = ()
    is_optional: bool = False
    is_paid: bool = False
    instructions: str = ""
    # A paid stage's terms: (amount, currency, unit, expenses reimbursed).
    pay: tuple[str, str, str, bool] | None = None


@dataclass(frozen=True)
class TemplateData:
    key: str
    name: str
    description: str
    stages: tuple[StageData, ...]


NO_AI_LIVE = "Please keep AI assistants closed during this session; we want to see your own reasoning."
AI_OK_LIVE = "Use the tools you use at work, AI assistants included. Be ready to explain every line."

REVIEW = StageData(
    "Application review",
    K.APPLICATION_REVIEW,
    sla_days=4,
    instructions="We read every application and answer within a week.",
)
OFFER = StageData(
    "Offer",
    K.OFFER,
    sla_days=7,
    instructions="We call you with the offer and send the details in writing the same day.",
)


def _screen(name: str, minutes: int, fmt: str = "video") -> StageData:
    return StageData(
        name,
        K.RECRUITER_SCREEN,
        sla_days=5,
        kits=(KitData(name, minutes, "screen", format=fmt),),
        instructions="A short conversation about your background, what you are looking for and the process.",
    )


DOCTOLIB = TemplateData(
    key="doctolib",
    name="Senior AI Engineer (Doctolib process)",
    description=(
        "Five steps: recruiter interview, a feature-building session, AI system design, a behavioral "
        "interview, then references and the offer."
    ),
    stages=(
        REVIEW,
        _screen("Recruiter interview", 30),
        StageData(
            "Feature building interview",
            K.TECHNICAL,
            sla_days=7,
            kits=(
                KitData(
                    "Build a feature in our codebase",
                    90,
                    "coding",
                    ai_policy="no_ai_block",
                    no_ai_minutes=30,
                    no_ai_blocks=((0, 30),),
                    ai_note="AI assistants are welcome, except for the first 30 minutes where you plan the "
                    "feature with us without them.",
                ),
            ),
            instructions="Bring your usual editor set-up; we share a small repository at the start.",
        ),
        StageData(
            "AI system design interview",
            K.SYSTEM_DESIGN,
            sla_days=7,
            kits=(
                KitData(
                    "Design an LLM feature for healthcare",
                    60,
                    "design",
                    ai_policy="not_allowed",
                    ai_note=NO_AI_LIVE,
                ),
            ),
        ),
        StageData(
            "Behavioral interview",
            K.BEHAVIORAL,
            sla_days=5,
            kits=(KitData("Behavioral deep-dive", 60, "behavioral", ai_policy="not_allowed"),),
            instructions="Prepare two or three recent stories; we will ask about scope, numbers and lessons.",
        ),
        StageData("Reference check", K.REFERENCE_CHECK, sla_days=5),
        OFFER,
    ),
)

XBOW = TemplateData(
    key="xbow",
    name="AI Research Engineer (XBOW process)",
    description=(
        "An introductory chat with the head of talent, a conversation with the head of AI, a two-to-three "
        "hour technical deep dive on a case study, and a meeting with the CEO and founder."
    ),
    stages=(
        REVIEW,
        _screen("Head of Talent introductory chat", 45),
        StageData(
            "Head of AI conversation",
            K.TECHNICAL,
            sla_days=7,
            kits=(KitData("Research background and interests", 60, "design", ai_policy="not_allowed"),),
        ),
        StageData(
            "Technical deep dive",
            K.TECHNICAL,
            sla_days=10,
            kits=(
                KitData(
                    "Case study: offensive security agent",
                    180,
                    "work_sample",
                    ai_policy="allowed",
                    ai_note=AI_OK_LIVE,
                ),
            ),
            instructions="Plan for two to three hours; the case study is sent one day before.",
        ),
        StageData(
            "CEO and founder meeting",
            K.FOUNDER,
            sla_days=5,
            kits=(KitData("Meeting with the CEO", 30, "values", ai_policy="not_allowed"),),
        ),
        OFFER,
    ),
)

POSTHOG = TemplateData(
    key="posthog",
    name="AI Product Engineer (PostHog process)",
    description=(
        "A talent partner call, a one-hour technical interview, fifteen minutes with a co-founder and a "
        "paid SuperDay: a full day of real work on the product, compensated."
    ),
    stages=(
        REVIEW,
        _screen("Talent partner call", 30),
        StageData(
            "Technical interview",
            K.TECHNICAL,
            sla_days=7,
            kits=(
                KitData(
                    "Product engineering problem", 60, "coding", ai_policy="not_allowed", ai_note=NO_AI_LIVE
                ),
            ),
        ),
        StageData(
            "Co-founder call",
            K.FOUNDER,
            sla_days=5,
            kits=(KitData("Co-founder call", 15, "values", ai_policy="not_allowed"),),
        ),
        StageData(
            "Paid SuperDay",
            K.PANEL,
            sla_days=10,
            is_paid=True,
            pay=("500", "EUR", "day", True),
            kits=(
                KitData(
                    "SuperDay: ship a real feature",
                    480,
                    "work_sample",
                    format="trial",
                    window_days=2,
                    ai_policy="allowed",
                    ai_note="Work as you would on the job, AI tools included. We pay you for the day.",
                ),
                # The team's debrief of the day: never emailed nor shown to the candidate.
                KitData("SuperDay debrief (team only)", 30, "work_sample", is_internal=True),
            ),
            instructions="A full working day with the team on a real task. You are paid for it.",
        ),
        OFFER,
    ),
)

FLOWFUSE = TemplateData(
    key="flowfuse",
    name="Full Stack Developer, AI (FlowFuse process)",
    description=(
        "Seven steps: a resume review by the hiring manager, a 15-minute screening call, a call with the "
        "engineering manager, a take-home where AI tools are encouraged, a technical review with two or "
        "three team members, a team interview on collaboration, then the offer."
    ),
    stages=(
        StageData(
            "Resume review by the hiring manager",
            K.APPLICATION_REVIEW,
            sla_days=4,
            instructions="The hiring manager reads your resume personally.",
        ),
        _screen("Screening call", 15, fmt="phone"),
        StageData(
            "Engineering manager call",
            K.OTHER,
            sla_days=5,
            kits=(KitData("Engineering manager call", 45, "values"),),
        ),
        StageData(
            "Take-home assignment",
            K.TAKE_HOME,
            sla_days=10,
            kits=(
                KitData(
                    "Take-home: a Node-RED node backed by an LLM",
                    180,
                    "work_sample",
                    format="take_home",
                    window_days=7,
                    ai_policy="allowed",
                    ai_note="We encourage AI tools. Tell us in the README which you used and where you "
                    "corrected them.",
                ),
            ),
            instructions="Two to three hours of work, sent back within a week.",
        ),
        StageData(
            "Technical review",
            K.TECHNICAL,
            sla_days=7,
            kits=(KitData("Take-home review with the team", 60, "work_sample"),),
            instructions="Two or three engineers go through your take-home with you.",
        ),
        StageData(
            "Team interview",
            K.BEHAVIORAL,
            sla_days=5,
            kits=(KitData("Collaboration and communication", 45, "behavioral", ai_policy="not_allowed"),),
        ),
        OFFER,
    ),
)

MONARCH = TemplateData(
    key="monarch",
    name="Software Engineer, AI (Monarch Money process)",
    description=(
        "A recruiter video call, a hiring manager video call, a live coding assessment and a virtual "
        "onsite of three rounds, then references and the offer."
    ),
    stages=(
        REVIEW,
        _screen("Recruiter video call", 30),
        StageData(
            "Hiring manager video call",
            K.OTHER,
            sla_days=5,
            kits=(KitData("Hiring manager call", 45, "values"),),
        ),
        StageData(
            "Live coding assessment",
            K.TECHNICAL,
            sla_days=7,
            kits=(KitData("Live coding", 60, "coding", ai_policy="not_allowed", ai_note=NO_AI_LIVE),),
        ),
        StageData(
            "Virtual onsite",
            K.PANEL,
            sla_days=10,
            kits=(
                KitData(
                    "Onsite 1: coding and debugging", 60, "coding", ai_policy="allowed", ai_note=AI_OK_LIVE
                ),
                KitData("Onsite 2: AI system design", 60, "design", ai_policy="not_allowed"),
                KitData("Onsite 3: behavioral", 45, "behavioral", ai_policy="not_allowed"),
            ),
            instructions="Three video rounds on the same day, with short breaks in between.",
        ),
        StageData("Reference checks", K.REFERENCE_CHECK, sla_days=5),
        OFFER,
    ),
)

P1_AI = TemplateData(
    key="p1ai",
    name="AI Engineer (P-1 AI process)",
    description=(
        "The same loop for every engineering role: a 30-minute screening call, a 45-minute biographical "
        "and behavioral interview, a one-hour technical interview and a 30-minute CEO interview."
    ),
    stages=(
        REVIEW,
        _screen("Initial screening call", 30),
        StageData(
            "Biographical and behavioral interview",
            K.BEHAVIORAL,
            sla_days=5,
            kits=(KitData("Career walk-through", 45, "behavioral", ai_policy="not_allowed"),),
        ),
        StageData(
            "Technical interview",
            K.TECHNICAL,
            sla_days=7,
            kits=(KitData("Engineering problem", 60, "coding", ai_policy="allowed", ai_note=AI_OK_LIVE),),
        ),
        StageData(
            "CEO interview",
            K.FOUNDER,
            sla_days=5,
            kits=(KitData("CEO interview", 30, "values", ai_policy="not_allowed"),),
        ),
        OFFER,
    ),
)

PHARE = TemplateData(
    key="phare",
    name="AI/ML Engineer (Phare Health process)",
    description=(
        "An intro call on background and mission, technical deep-dives in pseudo-code and system design "
        "(no puzzle questions), a final interview in person with travel arranged, then references."
    ),
    stages=(
        REVIEW,
        _screen("Intro call", 30),
        StageData(
            "Technical deep-dive",
            K.TECHNICAL,
            sla_days=10,
            tracks=(
                TrackData(
                    "Pseudo-coding session",
                    "A live session in pseudo-code on a problem from our product.",
                    (KitData("Pseudo-coding", 60, "coding", ai_policy="not_allowed", ai_note=NO_AI_LIVE),),
                ),
                TrackData(
                    "Take-home",
                    "A small exercise at home, discussed afterwards.",
                    (KitData("Take-home exercise", 120, "coding", format="take_home", window_days=5),),
                ),
                TrackData(
                    "Own project walk-through",
                    "Walk us through something you built, and we go deep on its decisions.",
                    (KitData("Project walk-through", 60, "coding"),),
                ),
            ),
            instructions="Choose the format that shows your work best; all three are scored the same way.",
        ),
        StageData(
            "Systems design",
            K.SYSTEM_DESIGN,
            sla_days=7,
            kits=(KitData("Clinical data pipeline design", 60, "design", ai_policy="not_allowed"),),
        ),
        StageData(
            "Final in-person interview",
            K.PANEL,
            sla_days=14,
            kits=(
                KitData("Team day: design review", 60, "design", format="onsite", ai_policy="not_allowed"),
                KitData("Team day: values", 45, "behavioral", format="onsite", ai_policy="not_allowed"),
            ),
            instructions="We arrange travel to San Francisco, New York, Austin or Chicago.",
        ),
        StageData("References", K.REFERENCE_CHECK, sla_days=5),
        OFFER,
    ),
)

# A loop of this house, not a published one: the rounds seeds 000, 003 and 004 describe.
PROGRESSIVE_LOOP = TemplateData(
    key="progressive",
    name="Software Engineer, AI-assisted coding (progressive rounds)",
    description=(
        "A recruiter call, a 90-minute progressive coding round (four levels, clear two, then refactor "
        "with the tests green; AI allowed except minutes 30–50), a reference check, then the offer."
    ),
    stages=(
        _screen("Recruiter call", 30),
        StageData(
            "Progressive coding round",
            K.TECHNICAL,
            sla_days=5,
            kits=(
                KitData(
                    "Progressive coding: four levels and a refactoring",
                    90,
                    "progressive",
                    ai_policy="no_ai_block",
                    no_ai_minutes=20,
                    no_ai_blocks=((30, 20),),
                    ai_note="Use your AI assistant as you would at work, except from minute 30 to minute 50: "
                    "we will say when it starts.",
                ),
            ),
            instructions="Bring your usual editor; we share the repository and its tests at the start.",
        ),
        StageData(
            "Reference check",
            K.REFERENCE_CHECK,
            sla_days=5,
            kits=(
                KitData("Call with a former manager", 30, "behavioral", format="reference", is_internal=True),
            ),
        ),
        OFFER,
    ),
)

TEMPLATES: dict[str, TemplateData] = {
    t.key: t for t in (DOCTOLIB, XBOW, POSTHOG, FLOWFUSE, MONARCH, P1_AI, PHARE, PROGRESSIVE_LOOP)
}
