"""Who may do what in a company: the one home of the role sets.

Every permission check of the admin, the selectors, the services and the dashboard reads these
sets; a role's rights change here and nowhere else. Superusers are not a role: each caller lets
them through on its own terms.
"""

from .models import Role

# Everyone with a membership: sees the pages meant for them (their interviews, scorecards, ...).
EVERYONE = frozenset(Role.values)
# Read jobs, candidates, applications, interview results, decisions and the dashboard.
READERS = frozenset({Role.COMPANY_ADMIN, Role.RECRUITER, Role.HIRING_MANAGER})
# Move applications through a job's stages (one by one or in bulk).
MOVERS = frozenset({Role.COMPANY_ADMIN, Role.RECRUITER, Role.HIRING_MANAGER})
# Record a hire decision on an application.
DECIDERS = frozenset({Role.RECRUITER, Role.HIRING_MANAGER})
# Schedule, reschedule and cancel interviews.
SCHEDULERS = frozenset({Role.COMPANY_ADMIN, Role.RECRUITER, Role.HIRING_MANAGER})
# Recruiting work: open jobs, add, import and export candidates, retry notifications.
RECRUITERS = frozenset({Role.COMPANY_ADMIN, Role.RECRUITER})
# Administer the company: members, templates, rubrics, settings, deletions and erasure.
ADMINISTRATORS = frozenset({Role.COMPANY_ADMIN})
# Read an interviewer's calibration page (their scores against the company's and the decisions).
CALIBRATORS = frozenset({Role.COMPANY_ADMIN, Role.HIRING_MANAGER})
