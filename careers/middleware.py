"""The language of the public pages: the visitor's choice (the set_language cookie) or their
browser's Accept-Language, among settings.LANGUAGES. Everything else (the admin) stays in
settings.LANGUAGE_CODE, whatever the browser asks for."""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

PUBLIC_PREFIXES = ("/careers/", "/portal/")  # the careers site and the candidate portal


def is_public_path(path: str) -> bool:
    return path.startswith(PUBLIC_PREFIXES)


class PublicLocaleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_public_path(request.path_info):
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = translation.get_language()
            return self.get_response(request)
        language = translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        try:
            response = self.get_response(request)
        finally:
            translation.activate(settings.LANGUAGE_CODE)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", language)
        return response


class RequestSizeLimitMiddleware:
    """A post to the public pages larger than HIRELOOP_APPLY_MAX_REQUEST_MB is answered 413 (in the
    careers look and language) before anything reads its body: the CSRF check would otherwise
    read, and store, the whole upload first. Placed after PublicLocaleMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and is_public_path(request.path_info):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > settings.HIRELOOP_APPLY_MAX_REQUEST_MB * 1024 * 1024:
                from careers.views_apply import request_too_large

                return request_too_large(request)
        return self.get_response(request)
