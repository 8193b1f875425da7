"""Rate limits on the cache: the one mechanism for the login, password reset, invitation and
public pages.

Usage, on any view (function or ``method_decorator`` on a class)::

    from config.ratelimit import rate_limited

    @rate_limited("invitation")                                   # per client address, every method
    def invitation_view(request, token): ...

    @rate_limited("password_reset", keys=("ip", email_key), methods=("POST",))
    def reset_view(request): ...

The rate of a group is ``settings.HIRELOOP_RATE_LIMITS[group]`` ("5/h", "20/m"), read at each
request. Every key counts on its own (the client address, the email typed...), and the request
is refused with 429 Too Many Requests as soon as one of them is used up. Counters live in the
default cache: per process with the locmem default, shared by every web host with CACHE_URL
(Redis). django-ratelimit does the counting; the client address is the one django-axes sees
(its proxy settings apply), see ``client_ip``.
"""

from collections.abc import Callable, Iterable
from functools import wraps

from django.conf import settings
from django.template.response import TemplateResponse
from django_ratelimit import ALL
from django_ratelimit.core import get_usage

Key = str | Callable


def client_ip(request) -> str:
    """The client's address, read as django-axes reads it (behind the proxy: the forwarded one)."""
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or request.META.get("REMOTE_ADDR") or "0.0.0.0"  # noqa: S104


def post_field_key(field: str) -> Callable:
    """A key on a posted field, lower-cased and trimmed (an email typed in different cases counts once)."""

    def key(group, request) -> str:
        return request.POST.get(field, "").strip().lower()[:254]

    key.__name__ = f"post_{field}"
    return key


email_key = post_field_key("email")


def limit_reached(request, group: str, *, keys: Iterable[Key] = ("ip",), methods=None) -> bool:
    """Count this request against every key of the group; True when one of them is used up."""
    rate = settings.HIRELOOP_RATE_LIMITS.get(group)
    if not rate:
        return False
    method = [m.upper() for m in methods] if methods else ALL
    reached = False
    for key in keys:
        name = getattr(key, "__name__", key)
        usage = get_usage(request, group=f"{group}:{name}", key=key, rate=rate, method=method, increment=True)
        reached = reached or bool(usage and usage["should_limit"])
    return reached


def too_many_requests(request, *, seconds: int = 60) -> TemplateResponse:
    """The 429 page, in the admin's look."""
    context = {"site_header": "Hireloop", "site_title": "Hireloop", "title": "Too many attempts"}
    response = TemplateResponse(request, "accounts/too_many_requests.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response


def rate_limited(group: str, *, keys: Iterable[Key] = ("ip",), methods: Iterable[str] | None = None):
    """View decorator: 429 once the client used up the group's rate (see the module docstring).
    `methods` limits which requests count (e.g. only POST); None counts every request."""
    keys = tuple(keys)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if limit_reached(request, group, keys=keys, methods=methods):
                return too_many_requests(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
