"""What the demo companies show on their careers sites: colours, privacy notices and job posts.

Open demo jobs are published with a Markdown description; jobs on hold stay off the site.
"""

from hiring.models import JobStatus, RemoteOption

BRANDING = {
    "larkspur": {
        "accent_color": "#0b7a75",
        "privacy_notice": (
            "Larkspur Health uses what you send us only to consider you for this job and to contact "
            "you about it. Your interviewers and the hiring team read it; nobody outside Larkspur does. "
            "You can ask for a copy of your data or for its deletion at any time at privacy@larkspur.example."
        ),
    },
    "brightwave": {
        "accent_color": "#5b3cc4",
        "privacy_notice": (
            "Brightwave Security keeps your application to run this hiring process. Write to "
            "privacy@brightwave.example to see, correct or delete what we hold about you."
        ),
    },
    "quillmate": {
        "accent_color": "#b4451f",
        "privacy_notice": (
            "Quillmate processes your application to decide whether to hire you. Only the people "
            "involved in this hiring process see it. Ask privacy@quillmate.example for a copy or deletion."
        ),
    },
}

# (company slug, job title) -> (what the team does, what the job is about)
PITCHES = {
    ("larkspur", "Senior AI Engineer"): (
        "The clinical assistant team builds the tools doctors use between two appointments.",
        "You will design and ship language-model features that summarise records and draft letters, "
        "with the safety reviews that medical software needs.",
    ),
    ("larkspur", "AI Product Engineer"): (
        "Growth turns first visits into patients who come back.",
        "You will run experiments end to end, from the idea to the measured result, using AI tools "
        "where they make the product better.",
    ),
    ("larkspur", "Full Stack Developer, AI"): (
        "Platform gives every Larkspur team a fast, safe way to ship.",
        "You will build the internal services and screens that put models in production.",
    ),
    ("larkspur", "Software Engineer, AI"): (
        "The patient app is how two million people book and follow their care.",
        "You will bring assistant features to the app and keep them reliable on every phone.",
    ),
    ("brightwave", "AI Research Engineer"): (
        "Offensive research finds the weaknesses before attackers do.",
        "You will build agents that probe real systems and turn what they find into reports.",
    ),
    ("brightwave", "AI Engineer"): (
        "The agents team builds the automation our customers rely on.",
        "You will design, evaluate and harden agent workflows that run in customers' environments.",
    ),
    ("brightwave", "Software Engineer, AI tooling"): (
        "Developer tools keeps our engineers fast.",
        "You will build the evaluation harnesses, datasets and dashboards behind every model change.",
    ),
    ("quillmate", "AI/ML Engineer"): (
        "Clinical NLP turns dictated notes into structured records.",
        "You will train, evaluate and ship the models behind that pipeline.",
    ),
    ("quillmate", "AI Product Engineer"): (
        "The editor is where our users spend their day.",
        "You will build writing features that use language models without getting in the way.",
    ),
    ("quillmate", "Founding Engineer"): (
        "Core is a small team that owns everything from the database to the deploy.",
        "You will set technical direction with the founders and build the first version of new products.",
    ),
}


def remote_option(location: str) -> str:
    text = location.lower()
    if text.startswith("remote"):
        return RemoteOption.REMOTE
    if "remote" in text:
        return RemoteOption.HYBRID
    return RemoteOption.ONSITE


def description(company_slug: str, job) -> str:
    team, role = PITCHES.get((company_slug, job.title), (f"The {job.team} team is hiring.", ""))
    lines = [
        "## About the team",
        "",
        team,
        "",
        "## The job",
        "",
        role or f"You will join {job.team} as a {job.level.lower()} engineer.",
        "",
        "## What helps",
        "",
        "- Experience shipping and running software that people depend on",
        "- Clear writing: most of our decisions start as a short document",
        "- Good judgement about when AI tools help and when they do not",
        "",
        "Every step of our interview loop is listed below: what it is, how long it takes, whether AI "
        "tools are welcome, and whether it is paid.",
    ]
    return "\n".join(lines)


def job_fields(company_slug: str, job) -> dict:
    """The careers fields of a demo job: open jobs are published."""
    return {
        "is_published": job.status == JobStatus.OPEN,
        "description": description(company_slug, job),
        "remote": remote_option(job.location),
    }
