"""Kits done over days: a take-home or a work trial has a window in days (renamed from the
take-home window, values kept); a scheduled session never has one. A window left on a scheduled
session (only possible past the admin form) is cleared, as it was never shown or used. The window
and no-AI block constraints now also refuse an empty value (NULL passed the old CHECKs)."""

from django.db import migrations, models


def clear_windows_of_scheduled_sessions(apps, schema_editor):
    InterviewKit = apps.get_model("interviews", "InterviewKit")
    InterviewKit.objects.exclude(format__in=["take_home", "trial"]).exclude(window_days=None).update(
        window_days=None
    )


def no_block_without_length(apps, schema_editor):
    InterviewKit = apps.get_model("interviews", "InterviewKit")
    InterviewKit.objects.filter(ai_policy="no_ai_block", no_ai_minutes=None).update(ai_policy="allowed")


class Migration(migrations.Migration):
    dependencies = [("interviews", "0012_kit_internal")]

    operations = [
        migrations.RemoveConstraint(model_name="interviewkit", name="kit_take_home_has_window"),
        migrations.RemoveConstraint(model_name="interviewkit", name="kit_no_ai_block_fits"),
        migrations.RenameField(
            model_name="interviewkit", old_name="take_home_window_days", new_name="window_days"
        ),
        migrations.AlterField(
            model_name="interviewkit",
            name="window_days",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Take-home and work trial only: the days the candidate has, from the day they "
                "enter the stage (no slot is booked with them).",
                null=True,
                verbose_name="window in days",
            ),
        ),
        migrations.AlterField(
            model_name="interviewkit",
            name="format",
            field=models.CharField(
                choices=[
                    ("video", "Video call"),
                    ("onsite", "Onsite"),
                    ("phone", "Phone"),
                    ("async_chat", "Async chat"),
                    ("take_home", "Take-home"),
                    ("trial", "Work trial (days)"),
                ],
                default="video",
                max_length=12,
            ),
        ),
        migrations.AlterField(
            model_name="interviewkit",
            name="duration_minutes",
            field=models.PositiveSmallIntegerField(
                default=60,
                help_text="The session's length; for a take-home or a trial, the team's review of the "
                "hand-in (the candidate is shown the window in days instead).",
            ),
        ),
        migrations.RunPython(clear_windows_of_scheduled_sessions, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="interviewkit",
            constraint=models.CheckConstraint(
                condition=models.Q(("format__in", ("take_home", "trial")), _negated=True)
                | models.Q(("window_days__isnull", False), ("window_days__gte", 1)),
                name="kit_take_home_has_window",
            ),
        ),
        # NULL passes a CHECK: the no-AI block's length is said not null as well (a row that got past
        # the old constraint with an empty length is given none of the block policy's meaning: it is
        # read as "allowed").
        migrations.RunPython(no_block_without_length, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="interviewkit",
            constraint=models.CheckConstraint(
                condition=models.Q(("ai_policy", "no_ai_block"), _negated=True)
                | models.Q(
                    ("no_ai_minutes__isnull", False),
                    ("no_ai_minutes__gte", 1),
                    ("no_ai_minutes__lte", models.F("duration_minutes")),
                ),
                name="kit_no_ai_block_fits",
            ),
        ),
        migrations.AddConstraint(
            model_name="interviewkit",
            constraint=models.CheckConstraint(
                condition=models.Q(("format__in", ("take_home", "trial")))
                | models.Q(("window_days__isnull", True)),
                name="kit_scheduled_has_no_window",
            ),
        ),
    ]
