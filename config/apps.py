from django.contrib.admin.apps import AdminConfig


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
