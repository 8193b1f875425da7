"""Demo companies, their people, jobs and rejection reasons.

Only `LOGINS` get the demo password; colleagues exist so that panels, calibration and hiring
managers look real, and cannot log in.
"""

from dataclasses import dataclass

from hiring.models import JobStatus, RejectionKind, Role, Source

DEMO_PASSWORD = "hireloop-demo"


@dataclass(frozen=True)
class PersonData:
    username: str
    first_name: str
    last_name: str
    role: str  # role in the company; empty for the superuser
    company: str  # company slug; empty for the superuser
    can_log_in: bool = False
    # How this interviewer scores compared with the panel: lenient > 0 > severe.
    bias: float = 0.0

    @property
    def email(self) -> str:
        return f"{self.username}@{self.company or 'hireloop'}.example.com"


@dataclass(frozen=True)
class JobData:
    title: str
    template: str
    team: str
    location: str
    level: str
    applications: int
    opened_days_ago: int = 95
    status: str = JobStatus.OPEN
    headcount: int = 2


@dataclass(frozen=True)
class CompanyData:
    slug: str
    name: str
    templates: tuple[str, ...]
    jobs: tuple[JobData, ...]
    # Candidate names are drawn from these locales, for a realistic mix per company.
    locales: tuple[str, ...]
    locations: tuple[str, ...]


COMPANIES: tuple[CompanyData, ...] = (
    CompanyData(
        slug="larkspur",
        name="Larkspur Health",
        templates=("doctolib", "posthog", "flowfuse", "monarch", "progressive"),
        jobs=(
            JobData(
                "Senior AI Engineer", "doctolib", "Clinical assistant", "Paris or remote (EU)", "Senior", 110
            ),
            JobData("AI Product Engineer", "posthog", "Growth", "Remote (EU)", "Mid-level", 80),
            JobData("Full Stack Developer, AI", "flowfuse", "Platform", "Berlin", "Mid-level", 70),
            JobData(
                "Software Engineer, AI",
                "monarch",
                "Patient app",
                "Remote (US)",
                "Senior",
                60,
                opened_days_ago=60,
            ),
            JobData(
                "ML Platform Engineer",
                "doctolib",
                "Platform",
                "Paris",
                "Staff",
                25,
                status=JobStatus.ON_HOLD,
                headcount=1,
            ),
        ),
        locales=("fr_FR", "en_GB", "de_DE", "es_ES"),
        locations=("Paris", "Lyon", "Berlin", "Madrid", "London", "Lisbon", "Amsterdam", "Remote"),
    ),
    CompanyData(
        slug="brightwave",
        name="Brightwave Security",
        templates=("xbow", "p1ai", "monarch"),
        jobs=(
            JobData("AI Research Engineer", "xbow", "Offensive research", "Remote (US)", "Senior", 90),
            JobData("AI Engineer", "p1ai", "Agents", "San Francisco", "Mid-level", 80),
            JobData(
                "Software Engineer, AI tooling",
                "monarch",
                "Developer tools",
                "New York",
                "Senior",
                50,
                opened_days_ago=45,
            ),
        ),
        locales=("en_US", "en_IN", "pt_BR"),
        locations=("San Francisco", "New York", "Austin", "Seattle", "Toronto", "Remote"),
    ),
    CompanyData(
        slug="quillmate",
        name="Quillmate",
        templates=("phare", "posthog", "p1ai"),
        jobs=(
            JobData("AI/ML Engineer", "phare", "Clinical NLP", "New York", "Senior", 80),
            JobData("AI Product Engineer", "posthog", "Editor", "Remote (worldwide)", "Mid-level", 70),
            JobData("Founding Engineer", "p1ai", "Core", "Austin", "Staff", 30, headcount=1),
        ),
        locales=("en_US", "en_GB", "it_IT", "nl_NL"),
        locations=("New York", "Chicago", "Austin", "London", "Milan", "Remote"),
    ),
)

PEOPLE: tuple[PersonData, ...] = (
    PersonData("admin", "Ada", "Admin", "", "", can_log_in=True),
    # First company: the demo logins, then colleagues who interview.
    PersonData("companyadmin", "Camille", "Durand", Role.COMPANY_ADMIN, "larkspur", can_log_in=True),
    PersonData("recruiter", "Rosa", "Martin", Role.RECRUITER, "larkspur", can_log_in=True),
    PersonData("manager", "Malik", "Benali", Role.HIRING_MANAGER, "larkspur", can_log_in=True, bias=0.2),
    PersonData("interviewer", "Ines", "Moreau", Role.INTERVIEWER, "larkspur", can_log_in=True),
    PersonData("larkspur.theo", "Théo", "Lambert", Role.INTERVIEWER, "larkspur", bias=0.8),
    PersonData("larkspur.sofia", "Sofia", "Keller", Role.INTERVIEWER, "larkspur", bias=-0.8),
    PersonData("larkspur.jonas", "Jonas", "Weber", Role.INTERVIEWER, "larkspur", bias=0.1),
    PersonData("larkspur.lucia", "Lucía", "Romero", Role.HIRING_MANAGER, "larkspur", bias=-0.3),
    # Second company.
    PersonData("recruiter2", "Priya", "Raman", Role.RECRUITER, "brightwave", can_log_in=True),
    PersonData("brightwave.admin", "Daniel", "Okafor", Role.COMPANY_ADMIN, "brightwave"),
    PersonData("brightwave.hana", "Hana", "Sato", Role.HIRING_MANAGER, "brightwave", bias=-0.2),
    PersonData("brightwave.marcus", "Marcus", "Reed", Role.INTERVIEWER, "brightwave", bias=0.9),
    PersonData("brightwave.elena", "Elena", "Petrova", Role.INTERVIEWER, "brightwave", bias=-0.9),
    PersonData("brightwave.sam", "Sam", "Whitaker", Role.INTERVIEWER, "brightwave"),
    # Third company.
    PersonData("quillmate.admin", "Grace", "Liu", Role.COMPANY_ADMIN, "quillmate"),
    PersonData("quillmate.recruiter", "Tom", "Hughes", Role.RECRUITER, "quillmate"),
    PersonData("quillmate.nora", "Nora", "Bianchi", Role.HIRING_MANAGER, "quillmate", bias=0.3),
    PersonData("quillmate.kofi", "Kofi", "Mensah", Role.INTERVIEWER, "quillmate", bias=-0.7),
    PersonData("quillmate.lena", "Lena", "de Vries", Role.INTERVIEWER, "quillmate", bias=0.6),
)

REJECTION_REASONS: tuple[tuple[str, str], ...] = (
    ("Technical bar not met", RejectionKind.COMPANY),
    ("Not enough experience for the level", RejectionKind.COMPANY),
    ("Values or collaboration concerns", RejectionKind.COMPANY),
    ("Location or work authorisation", RejectionKind.COMPANY),
    ("Another candidate was a closer match", RejectionKind.COMPANY),
    ("Position filled or closed", RejectionKind.COMPANY),
    ("Accepted another offer", RejectionKind.CANDIDATE),
    ("Compensation expectations", RejectionKind.CANDIDATE),
    ("No longer interested in the role", RejectionKind.CANDIDATE),
    ("Process took too long", RejectionKind.CANDIDATE),
    ("Personal circumstances", RejectionKind.CANDIDATE),
)

# Where applications come from, with realistic weights.
SOURCES: tuple[tuple[str, int], ...] = (
    (Source.CAREERS_SITE, 34),
    (Source.LINKEDIN, 24),
    (Source.REFERRAL, 14),
    (Source.SOURCED, 12),
    (Source.JOB_BOARD, 10),
    (Source.AGENCY, 4),
    (Source.OTHER, 2),
)

TAGS = ("python", "llm", "rag", "mlops", "typescript", "healthcare", "security", "research", "startup")
