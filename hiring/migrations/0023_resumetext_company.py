# Each résumé text names its candidate's company, so that a company's search by a résumé word
# keeps that company's résumés as the words' GIN index of migration 0016 reads them, without a join
# to the candidates. No index on the column (see hiring/search_data.py ResumeText).

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def companies_from_candidates(apps, schema_editor):
    Candidate = apps.get_model("hiring", "Candidate")
    ResumeText = apps.get_model("hiring", "ResumeText")
    company = Candidate.objects.filter(pk=OuterRef("candidate_id")).values("company_id")[:1]
    ResumeText.objects.filter(company__isnull=True).update(company_id=Subquery(company))


class Migration(migrations.Migration):

    dependencies = [
        ("hiring", "0022_stagechange_company_created_covering"),
    ]

    operations = [
        migrations.AddField(
            model_name="resumetext",
            name="company",
            field=models.ForeignKey(
                null=True,
                editable=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="hiring.company",
            ),
        ),
        migrations.RunPython(companies_from_candidates, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="resumetext",
            name="company",
            field=models.ForeignKey(
                editable=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="hiring.company",
            ),
        ),
    ]
