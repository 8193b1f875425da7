"""Records who opened a page with a candidate's data (candidate, application, scorecard pages), and
shows the admin in the staff user's time zone."""

from django.utils import timezone

from .privacy import access_log_record
from .selectors import company_id_of, staff_time_zone

# Admin URL names start with "<app_label>_<model_name>_": these models' object pages are logged.
# Apps above hiring add theirs with register_access_logged_model() (interviews: scorecards).
LOGGED_MODELS = ["hiring.candidate", "hiring.application"]


def register_access_logged_model(label: str) -> str:
    """Log who opens the admin pages of the model "app_label.modelname" (registered from an app's
    AppConfig.ready(); hiring imports no app above it)."""
    label = label.lower()
    if label not in LOGGED_MODELS:
        LOGGED_MODELS.append(label)
    return label


def loaded_objects(request) -> dict:
    """Objects the admin has loaded for this request, by (model, object id, field): the access
    log takes the company of the page's object from them."""
    return request.__dict__.setdefault("_hireloop_objects", {})


def viewed_object(match) -> tuple[str, str, str] | None:
    """(model label, object id, view name) of an admin object page, or None."""
    if match is None or match.namespace != "admin" or not match.url_name or not match.kwargs:
        return None
    for label in LOGGED_MODELS:
        prefix = label.replace(".", "_") + "_"
        if match.url_name.startswith(prefix):
            object_id = match.kwargs.get("object_id") or next(iter(match.kwargs.values()))
            return label, str(object_id), match.url_name[len(prefix) :]
    return None


def mark_access_logged(response):
    """For views that write their own, more precise access log row (downloads): skip this one."""
    response.access_logged = True
    return response


def loaded_company_id(request, label: str, object_id: str) -> int | None:
    """The company of the object the admin already loaded to render this page, if it did."""
    for obj in loaded_objects(request).values():
        if obj._meta.label_lower == label and str(obj.pk) == object_id:
            return company_id_of(obj)
    return None


class AccessLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        logged = getattr(response, "access_logged", False)
        if request.method == "GET" and response.status_code == 200 and not logged:
            user = getattr(request, "user", None)
            viewed = viewed_object(getattr(request, "resolver_match", None))
            if viewed and user is not None and user.is_authenticated and user.is_staff:
                label, object_id, view = viewed
                access_log_record(
                    user=user,
                    object_type=label,
                    object_id=object_id,
                    view=view,
                    company_id=loaded_company_id(request, label, object_id),
                )
        return response


class StaffTimeZoneMiddleware:
    """Every admin page is shown in the staff user's time zone (hiring.selectors.staff_time_zone),
    read with the request's user: no query of its own. Other pages keep the site's zone (the
    candidate's pages choose theirs explicitly)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = getattr(request, "resolver_match", None)
        if match is None or "admin" not in match.namespaces:
            return None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            timezone.activate(staff_time_zone(user))
        return None
