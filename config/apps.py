from django.conf import settings
from django.contrib.admin.apps import AdminConfig
from django.core import checks


class HireloopAdminConfig(AdminConfig):
    default_site = "config.admin_site.HireloopAdminSite"

    def personal_data(self):
        """Django's admin log names the objects it records (`object_repr`, the inline objects in
        `change_message`): the rows about a candidate's objects are anonymised on erasure; which
        fields changed (the "fields" and "name" keys) stays. See hiring/personal_data.py."""
        from django.contrib.admin.models import LogEntry

        from hiring.personal_data import ObjectReferences

        return (
            ObjectReferences(
                LogEntry,
                type_field="content_type",
                id_field="object_id",
                text=("object_repr",),
                json=("change_message",),
                keep=frozenset({"fields", "name"}),
            ),
        )

    def ready(self):
        super().ready()
        checks.register(shared_cache_check, checks.Tags.caches, deploy=True)


def shared_cache_check(app_configs, **kwargs):
    """Rate limits count in the default cache: a per-process cache lets every worker and host
    count on its own, so production names a shared one (CACHE_URL=redis://...)."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith(("locmem.LocMemCache", "dummy.DummyCache")):
        return [
            checks.Warning(
                f"The default cache ({backend}) is not shared between processes: rate limits "
                "(login, password reset, invitations) are counted per process.",
                hint="Set CACHE_URL to a shared cache, e.g. redis://127.0.0.1:6379/1.",
                id="hireloop.W001",
            )
        ]
    return []
