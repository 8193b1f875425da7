"""Test run: fast hashing, in-memory mail, inline Celery."""

from .base import *  # noqa: F403
from .base import BASE_DIR, STORAGES, env

DEBUG = False
SECRET_KEY = "test-key-not-secret"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="memory://")
CELERY_TASK_ALWAYS_EAGER = True
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "test-media"))
HIRELOOP_PRIVATE_ROOT = env("HIRELOOP_PRIVATE_ROOT", default=str(BASE_DIR / "var" / "test-private"))
_private = STORAGES["private"]
STORAGES = {
    **STORAGES,
    "private": {**_private, "OPTIONS": {**_private["OPTIONS"], "location": HIRELOOP_PRIVATE_ROOT}},
}
HIRELOOP_IMPORT_DIR = env("HIRELOOP_IMPORT_DIR", default=str(BASE_DIR / "var" / "test-imports"))
# The test client's login() authenticates without a request, which django-axes refuses; the
# lockout tests switch it on.
AXES_ENABLED = False
