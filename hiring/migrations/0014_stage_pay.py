"""Pay terms of a paid stage: amount, currency, unit and expenses, required by the database for a
paid stage.

A stage ticked "paid" before this migration has no amount, and no amount can be made up for it:
such stages become unpaid here (the candidate-facing pages stop saying "Paid" for them) until a
recruiter enters the terms. The migration prints how many it changed."""

from django.db import migrations, models


def unpaid_without_terms(apps, schema_editor):
    Stage = apps.get_model("hiring", "Stage")
    changed = Stage.objects.filter(is_paid=True).update(is_paid=False)
    if changed:
        print(
            f"\n  {changed} paid stage(s) had no pay terms and are now unpaid: enter their terms to show them paid."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("hiring", "0013_careers_applications"),
    ]

    operations = [
        migrations.AddField(
            model_name="stage",
            name="pay_amount",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                help_text="Paid stages only.",
                max_digits=9,
                null=True,
                verbose_name="pay",
            ),
        ),
        migrations.AddField(
            model_name="stage",
            name="pay_currency",
            field=models.CharField(
                blank=True,
                help_text="ISO 4217 code, e.g. EUR (paid stages only).",
                max_length=3,
                verbose_name="currency",
            ),
        ),
        migrations.AddField(
            model_name="stage",
            name="pay_expenses",
            field=models.BooleanField(
                default=False,
                help_text="Travel and other expenses are paid back.",
                verbose_name="expenses reimbursed",
            ),
        ),
        migrations.AddField(
            model_name="stage",
            name="pay_unit",
            field=models.CharField(
                blank=True,
                choices=[("hour", "Per hour"), ("day", "Per day"), ("project", "For the whole project")],
                max_length=8,
                verbose_name="paid",
            ),
        ),
        migrations.RunPython(unpaid_without_terms, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="stage",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("is_paid", False),
                    models.Q(
                        ("pay_amount__gt", 0),
                        models.Q(("pay_currency", ""), _negated=True),
                        ("pay_unit__in", ["hour", "day", "project"]),
                    ),
                    _connector="OR",
                ),
                name="stage_paid_has_terms",
            ),
        ),
        migrations.AddConstraint(
            model_name="stage",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("is_paid", True),
                    models.Q(
                        ("pay_amount__isnull", True),
                        ("pay_currency", ""),
                        ("pay_unit", ""),
                        ("pay_expenses", False),
                    ),
                    _connector="OR",
                ),
                name="stage_unpaid_has_no_terms",
            ),
        ),
    ]
