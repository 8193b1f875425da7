"""Scorecards keep a copy of their interview's start, so their list is ordered by an index."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_interview_starts(apps, schema_editor):
    Interview = apps.get_model("interviews", "Interview")
    Scorecard = apps.get_model("interviews", "Scorecard")
    starts = Interview.objects.filter(pk=OuterRef("interview_id")).values("starts_at")[:1]
    Scorecard.objects.update(interview_starts_at=Subquery(starts))


class Migration(migrations.Migration):
    dependencies = [
        ("interviews", "0003_scale_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="scorecard",
            name="interview_starts_at",
            field=models.DateTimeField(editable=False, null=True),
        ),
        migrations.RunPython(copy_interview_starts, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="scorecard",
            name="interview_starts_at",
            field=models.DateTimeField(editable=False),
        ),
        migrations.AddIndex(
            model_name="scorecard",
            index=models.Index(
                fields=["company", "-interview_starts_at", "-id"], name="scorecard_company_start"
            ),
        ),
        migrations.AddIndex(
            model_name="scorecard",
            index=models.Index(
                condition=models.Q(("status", "submitted")),
                fields=["-interview_starts_at", "-id"],
                name="scorecard_submitted_start",
            ),
        ),
    ]
