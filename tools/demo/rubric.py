"""The demo rubric library, as data.

The behavioral rubric follows a structured STAR interview for an AI engineer: six competencies,
each with its own anchors for every level, a question bank with follow-up probes, red flags and a
hire bar of "solid fours and no critical twos". The other rubrics are smaller and use rubric-wide
anchors, which every competency inherits.
"""

from .rubric_data import CompetencyData, QuestionData, RubricData

# Probes that apply to every behavioral story; each question adds its own.
SCOPE_PROBES = (
    "What exactly was your part, and who else was involved (team size, timeline, constraints)?",
    "Which numbers tell us it worked: quality, latency, cost, safety, adoption, before and after?",
    "What would you do differently today?",
)

BEHAVIORAL = RubricData(
    key="behavioral",
    name="Behavioral interview (AI engineer)",
    description=(
        "A 60-minute structured conversation: five minutes of introductions, about forty minutes of "
        "STAR deep-dives driven by the interviewer, ten minutes of the candidate's questions and a short "
        "wrap-up. Ask five to seven questions spread across the competencies and dig for scope, numbers "
        "and the candidate's own decisions. Tell the candidate at the start: one or two minutes of "
        "context, a few minutes on what they did, one or two on results and lessons; anonymised "
        "confidential examples are fine as long as the specifics remain."
    ),
    anchors={
        1: "Vague stories without ownership or numbers; blames others; ignores risk and the customer.",
        2: "Basic examples with little impact; collaboration is thin and reflection minimal.",
        3: "Solid STAR stories with some numbers and trade-offs; ordinary collaboration; aware of "
        "responsible AI basics.",
        4: "Clear, measured impact; sees risks coming; aligns several teams; applies responsible AI "
        "practice; keeps learning.",
        5: "Leads ambiguous, high-stakes work with outsized customer and business impact; influences "
        "widely; drives responsible AI; leaves repeatable mechanisms behind.",
    },
    competencies=(
        CompetencyData(
            name="Cross-functional collaboration",
            description=(
                "Works with product managers, researchers, data scientists and platform teams towards "
                "shared goals, and works through disagreement instead of around it."
            ),
            anchors={
                1: "Describes other functions as obstacles; cannot name a shared goal.",
                2: "Cooperates when asked; disagreements are avoided or escalated straight away.",
                3: "Aligns with partners on goals and resolves ordinary disagreements directly.",
                4: "Brings several functions to one plan, influences without authority, unblocks others.",
                5: "Changes how groups work together; others adopt the way they settled a conflict.",
            },
            questions=(
                QuestionData(
                    "Tell me about a time you and a product manager or researcher disagreed on how to "
                    "approach an AI problem. What happened and how did it end?",
                    (
                        "How did you influence the decision without authority over them?",
                        "What did you give up, and why was that acceptable?",
                    ),
                ),
                QuestionData(
                    "Describe a project where you depended on a platform or infrastructure team you did "
                    "not control.",
                    ("How did you keep them informed?", "What did you document, and for whom?"),
                ),
            ),
        ),
        CompetencyData(
            name="Ambiguity and problem framing",
            description=(
                "Turns a fuzzy business problem into tractable machine-learning work: states assumptions, "
                "chooses metrics, makes principled trade-offs and communicates risk."
            ),
            anchors={
                1: "Waits for a specification; cannot say what problem the work solved.",
                2: "Frames the problem only after someone else defined the metrics.",
                3: "Breaks a vague ask into steps, picks reasonable metrics, names the main assumption.",
                4: "Frames the problem, de-risks the riskiest assumption first and explains the trade-offs.",
                5: "Reframes the problem itself, to a better outcome than the one first asked for.",
            },
            questions=(
                QuestionData(
                    "Tell me about a time the goal of an AI project changed halfway through. How did you "
                    "re-frame the work and what did you keep?",
                    (
                        "Who did you tell about the change in risk, and how?",
                        "What did you write down so that the next person would not start from scratch?",
                    ),
                ),
                QuestionData(
                    "Describe a vague product or business problem that you turned into an AI solution. How "
                    "did you frame it, choose the metrics and test your assumptions?",
                    (
                        "Which alternatives did you consider, and why did you reject them?",
                        "Which assumption was the riskiest, and how did you check it early?",
                    ),
                ),
            ),
        ),
        CompetencyData(
            name="Customer focus and impact",
            description=(
                "Knows who the customer is (end user, developer, enterprise admin), turns feedback and "
                "telemetry into iterations and measures success with product and business metrics."
            ),
            anchors={
                1: "Talks about model accuracy only; the customer never appears in the story.",
                2: "Mentions customers in general terms; no feedback loop.",
                3: "Uses feedback or telemetry to adjust a feature and checks one metric afterwards.",
                4: "Changes a roadmap because of evidence from customers and shows the measured improvement.",
                5: "Builds the feedback loop that others use to steer; impact is large and measured.",
            },
            questions=(
                QuestionData(
                    "Who was the customer of the last AI feature you shipped, and how did you know it "
                    "served them?",
                    (
                        "Which metric would have told you it failed?",
                        "What did a customer say or do that surprised you?",
                    ),
                ),
                QuestionData(
                    "Give an example where customer feedback or telemetry changed your plans for an AI "
                    "feature. What did you change, and how did you measure the improvement?",
                    (
                        "Who exactly was the customer?",
                        "How was the experiment designed, and what did the control group show?",
                    ),
                ),
            ),
        ),
        CompetencyData(
            name="Responsible AI",
            description=(
                "Puts safety, privacy, fairness, transparency and security into practice: handles "
                "sensitive data carefully, evaluates models and guardrails, escalates when risk is high."
            ),
            is_critical=True,
            weight="1.50",
            anchors={
                1: "Sees safety or privacy reviews as someone else's problem.",
                2: "Knows the principles by name but cannot show one applied in their work.",
                3: "Applied a review or guardrail when the process required it.",
                4: "Spotted a potential harm on their own, acted, and explained the trade-offs upwards.",
                5: "Set up the evaluation or review that now protects several products.",
            },
            questions=(
                QuestionData(
                    "Describe a time you handled sensitive data in a model or an evaluation. Which "
                    "guardrails did you put in place?",
                    (
                        "Which privacy or security review did it go through, and what changed after it?",
                        "When would you have stopped the launch?",
                    ),
                ),
                QuestionData(
                    "Walk me through a time you identified a potential harm in a model, such as bias, a "
                    "privacy leak or an unsafe output. What did you do?",
                    (
                        "How did you communicate the trade-offs, and to whom?",
                        "When would you have escalated, and did you?",
                        "Which privacy or security review did the work go through?",
                    ),
                ),
            ),
        ),
        CompetencyData(
            name="Ownership and execution",
            description=(
                "Takes experiments to production with operational rigour: monitoring, rollback, incident "
                "response, and learning from failure."
            ),
            is_critical=True,
            anchors={
                1: "Hands work over at the first obstacle; no follow-through after launch.",
                2: "Delivers their own part; production concerns are left to others.",
                3: "Ships with monitoring in place and handles the incidents that come up.",
                4: "Plans the launch for reliability and latency targets and leads the response to issues.",
                5: "Raises the engineering bar for the team with mechanisms that outlast the project.",
            },
            questions=(
                QuestionData(
                    "Tell me about a high-stakes launch of an AI system where reliability or latency "
                    "targets were tight. How did you plan, monitor and respond?",
                    ("What was your rollback plan?", "Which alert fired first, and what did you do?"),
                ),
                QuestionData(
                    "Describe a notable failure of an experiment or a production model. What did you learn "
                    "and how did you prevent it from happening again?",
                    ("What changed in the team's process afterwards?",),
                ),
            ),
        ),
        CompetencyData(
            name="Growth mindset",
            description=(
                "Seeks feedback, learns new skills and shares them; prefers learning everything to "
                "knowing everything; mentors and is coachable."
            ),
            anchors={
                1: "Deflects feedback; mistakes are always somebody else's.",
                2: "Accepts feedback when pushed; little evidence of learning since.",
                3: "Learned a new method recently and applied it to their work.",
                4: "Asks for feedback, changes course visibly and teaches others what they learned.",
                5: "Creates learning for the whole team; mentoring shows in others' growth.",
            },
            questions=(
                QuestionData(
                    "Tell me about feedback that changed how you work. What did you do with it?",
                    (
                        "How did the person who gave it know it had landed?",
                        "What have you taught others since?",
                    ),
                ),
                QuestionData(
                    "Share a skill or method you learned recently to improve your AI work. How did you "
                    "apply it and what changed?",
                    (
                        "How did that learning reach the rest of the team?",
                        "What feedback changed your approach most in the last year?",
                    ),
                ),
            ),
        ),
    ),
    red_flags=(
        (
            "Ships models without a safety or privacy review, or dismisses fairness and security concerns",
            True,
        ),
        ("Cannot state the metrics or trade-offs behind their own decisions", False),
        ("Struggles to work across functions; escalates conflict instead of aligning", False),
        ("Fixed mindset: deflects feedback and blames systems or people", False),
    ),
    hire_bar=(
        ("min_average", "3.50", None),
        ("min_count_at_or_above", "4", 3),
        # "no critical 2s": one panelist's 2 on a critical competency is not averaged away
        ("no_critical_at_or_below", "2", None, "any"),
        ("no_blocking_red_flag", None, None),
    ),
)

_GENERIC_ANCHORS = {
    1: "Clearly below the bar: little or no evidence, or evidence against.",
    2: "Below the bar: some signal, with important gaps.",
    3: "At the bar for the level: sound, with minor gaps.",
    4: "Above the bar: strong, specific evidence throughout.",
    5: "Exceptional: would raise the bar of the team.",
}

SCREEN = RubricData(
    key="screen",
    name="Recruiter screen",
    description="A short call on motivation, communication and practical fit before the technical stages.",
    anchors=_GENERIC_ANCHORS,
    competencies=(
        CompetencyData(
            name="Motivation for the role",
            description="Knows why this company and this role; the reasons hold up to a follow-up question.",
            questions=(
                QuestionData(
                    "What drew you to this role, and what would make the next two years a success for you?",
                    ("What do you know about what the team builds?",),
                ),
            ),
        ),
        CompetencyData(
            name="Communication",
            description="Explains their background clearly and concisely to a non-specialist.",
            questions=(
                QuestionData(
                    "Walk me through the project on your CV you are proudest of, as if I were not an "
                    "engineer.",
                    ("What was hard about it?",),
                ),
            ),
        ),
        CompetencyData(
            name="Practical fit",
            description="Location, working hours, notice period and salary expectations match the role.",
            questions=(
                QuestionData(
                    "Where would you work from, when could you start, and what salary range do you expect?",
                    ("Is anything else in your process moving fast that we should know about?",),
                ),
            ),
        ),
    ),
    red_flags=(("Misrepresents experience or qualifications", True),),
    hire_bar=(("min_average", "3.00", None), ("no_blocking_red_flag", None, None)),
)

CODING = RubricData(
    key="coding",
    name="Technical interview (coding)",
    description=(
        "Practical coding: building a small feature or working through a realistic problem, not puzzles. "
        "Interviewers watch how the candidate reasons, tests and talks as much as the final code."
    ),
    anchors=_GENERIC_ANCHORS,
    competencies=(
        CompetencyData(
            name="Problem solving",
            description="Breaks the problem down, picks a workable approach, adapts when it stops working.",
            is_critical=True,
            weight="1.50",
            questions=(
                QuestionData(
                    "Build a small service that answers questions from a set of documents; start with the "
                    "simplest version that works.",
                    (
                        "How would you find out that the answers are wrong?",
                        "What would you change for 10x traffic?",
                    ),
                ),
            ),
        ),
        CompetencyData(
            name="Code quality",
            description="Readable, well-structured code with sensible names and boundaries.",
            questions=(
                QuestionData(
                    "Refactor this function so that a new teammate could change it safely.",
                    ("What would you leave as it is, and why?",),
                ),
            ),
        ),
        CompetencyData(
            name="Testing and debugging",
            description="Checks their own work, writes focused tests and debugs methodically.",
            questions=(
                QuestionData(
                    "This test fails intermittently. Find out why.",
                    ("How would you keep it from coming back?",),
                ),
            ),
        ),
        CompetencyData(
            name="Communication while coding",
            description="Thinks aloud, asks clarifying questions and takes hints well.",
            questions=(
                QuestionData(
                    "Before writing code: what questions would you ask about this requirement?",
                    ("Which assumption are you making right now?",),
                ),
            ),
        ),
    ),
    red_flags=(
        ("Submits code they cannot explain", True),
        ("Ignores failing tests or edge cases when pointed out", False),
    ),
    hire_bar=(
        ("min_average", "3.00", None),
        ("no_critical_at_or_below", "2", None),
        ("no_blocking_red_flag", None, None),
    ),
)

SYSTEM_DESIGN = RubricData(
    key="design",
    name="AI system design",
    description=(
        "Designing an LLM-backed system end to end: requirements, architecture, evaluation, cost and "
        "latency, failure modes such as hallucinations and prompt injection."
    ),
    anchors=_GENERIC_ANCHORS,
    competencies=(
        CompetencyData(
            name="Requirements and framing",
            description="Clarifies users, scale and constraints before drawing boxes.",
            questions=(
                QuestionData(
                    "Design an assistant that answers doctors' questions about their own calendar and "
                    "patient notes.",
                    ("Who are the users and what must never happen?", "What scale do you design for?"),
                ),
            ),
        ),
        CompetencyData(
            name="Architecture and trade-offs",
            description="Chooses components (retrieval, models, caching, batching, streaming) with reasons.",
            is_critical=True,
            weight="1.50",
            questions=(
                QuestionData(
                    "Where does this design spend latency and money, and how would you halve each?",
                    ("Fine-tuning or prompting: which would you try first here, and why?",),
                ),
            ),
        ),
        CompetencyData(
            name="Evaluation and failure modes",
            description="Knows how the system fails (hallucination, injection, drift) and how to measure it.",
            is_critical=True,
            questions=(
                QuestionData(
                    "How will you know the system's answers are good enough to launch?",
                    (
                        "What is in your evaluation set, and who labels it?",
                        "How do you defend against prompt injection?",
                    ),
                ),
            ),
        ),
        CompetencyData(
            name="Operations at scale",
            description="Monitoring, rollout, cost control and incident response in production.",
            questions=(
                QuestionData(
                    "The model provider doubles its latency one Monday. What happens in your system?",
                    ("What do your dashboards show first?",),
                ),
            ),
        ),
    ),
    red_flags=(("Proposes sending sensitive data to third parties without any safeguard", True),),
    hire_bar=(
        ("min_average", "3.25", None),
        ("no_critical_at_or_below", "2", None),
        ("no_blocking_red_flag", None, None),
    ),
)

WORK_SAMPLE = RubricData(
    key="work_sample",
    name="Work sample review",
    description=(
        "For take-homes, paid work days and project walk-throughs: what the candidate built, how they "
        "decided, and how they used AI tools and checked what the tools produced."
    ),
    anchors=_GENERIC_ANCHORS,
    competencies=(
        CompetencyData(
            name="Working result",
            description="The result works for the stated use and handles the obvious edge cases.",
            is_critical=True,
            questions=(
                QuestionData(
                    "Show us the result running and tell us what you would ship first.",
                    ("What does it not handle yet?",),
                ),
            ),
        ),
        CompetencyData(
            name="Engineering judgement",
            description="Sensible scope, structure and tests for the time available.",
            questions=(
                QuestionData(
                    "Which decision took you longest, and what did you choose?",
                    ("What did you deliberately leave out?",),
                ),
            ),
        ),
        CompetencyData(
            name="Judgement with AI tools",
            description="Uses AI assistants well and can explain, verify and correct what they generated.",
            questions=(
                QuestionData(
                    "Where did an AI tool help you most, and where did you have to correct it?",
                    ("How did you check the generated code?",),
                ),
            ),
        ),
        CompetencyData(
            name="Write-up and communication",
            description="The README or walk-through lets a teammate understand and run the work.",
            questions=(
                QuestionData(
                    "Explain your solution to someone who joins the team tomorrow.",
                    ("What would they need to know first?",),
                ),
            ),
        ),
    ),
    red_flags=(("Work is not their own or they cannot explain it", True),),
    hire_bar=(
        ("min_average", "3.00", None),
        ("no_critical_at_or_below", "2", None),
        ("no_blocking_red_flag", None, None),
    ),
)

VALUES = RubricData(
    key="values",
    name="Founder and values conversation",
    description="A short conversation with a founder or executive on mission, ownership and ways of working.",
    anchors=_GENERIC_ANCHORS,
    competencies=(
        CompetencyData(
            name="Mission alignment",
            description="Cares about the problem the company solves, beyond the technology.",
            questions=(
                QuestionData(
                    "Why does this problem matter to you?",
                    ("What would make you leave in a year?",),
                ),
            ),
        ),
        CompetencyData(
            name="Ownership",
            description="Acts like an owner of outcomes, not only of tasks.",
            is_critical=True,
            questions=(
                QuestionData(
                    "Tell me about something you fixed that was nobody's job.",
                    ("How did people react?",),
                ),
            ),
        ),
        CompetencyData(
            name="Working style",
            description="Candour, pace and autonomy fit how a small team works.",
            questions=(
                QuestionData(
                    "How do you like to receive feedback, and when did you last give hard feedback?",
                    ("What happened next?",),
                ),
            ),
        ),
    ),
    red_flags=(("Disrespectful towards colleagues, candidates or customers", True),),
    hire_bar=(
        ("min_average", "3.00", None),
        ("no_critical_at_or_below", "2", None),
        ("no_blocking_red_flag", None, None),
    ),
)

# A progressive coding round (seed 000/004): four levels, each unlocking the next, the bar "clear
# 2 of 4", and a refactoring step whose pass criterion is that the tests stay green.
PROGRESSIVE = RubricData(
    key="progressive",
    name="Progressive coding round (four levels)",
    description=(
        "Ninety minutes, four levels of one problem; each level unlocks the next. The candidate clears "
        "as many as they can, then refactors with the test suite running. AI tools are allowed except "
        "from minute 30 to minute 50, when the candidate works without them."
    ),
    anchors=_GENERIC_ANCHORS,
    competencies=(
        CompetencyData(
            name="Reasoning under time",
            description="Explains the approach before coding and adapts when a level changes the problem.",
            questions=(
                QuestionData(
                    "Before you start level 2: what in your level 1 code has to change?",
                    ("What would you test first?",),
                ),
            ),
        ),
        CompetencyData(
            name="Judgement with AI tools",
            description="Verifies, corrects and can explain what an assistant generated.",
            is_critical=True,
            questions=(
                QuestionData(
                    "Walk me through the code the assistant gave you for this level.",
                    ("How do you know it is right?", "What did you change, and why?"),
                ),
            ),
        ),
    ),
    red_flags=(("Cannot explain code they submitted", True),),
    hire_bar=(
        ("min_gates_passed", None, 2, "any"),
        ("every_check_passed", None, None, "any"),
        ("no_critical_at_or_below", "2", None, "any"),
    ),
    gates=(
        ("Level 1: parse the input", "Reads the sample file and prints the totals."),
        ("Level 2: handle updates", "Applies the update records in order, tests included."),
        ("Level 3: concurrency", "Two writers at once keep the totals right."),
        ("Level 4: scale", "A million records in under a second."),
    ),
    checks=(("The tests stay green", "After the refactoring step, the whole suite passes unchanged."),),
)

RUBRICS: tuple[RubricData, ...] = (
    BEHAVIORAL,
    SCREEN,
    CODING,
    SYSTEM_DESIGN,
    WORK_SAMPLE,
    VALUES,
    PROGRESSIVE,
)
