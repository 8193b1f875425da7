"""A company has one time zone, its own (`Company.time_zone`): the zone kept in its self-scheduling
settings moves there when the company had none, then the settings' copy goes."""

from django.db import migrations


def zone_to_company(apps, schema_editor):
    SchedulingSettings = apps.get_model("interviews", "SchedulingSettings")
    Company = apps.get_model("hiring", "Company")
    for company_id, zone in SchedulingSettings.objects.exclude(time_zone__in=("", "UTC")).values_list(
        "company_id", "time_zone"
    ):
        Company.objects.filter(pk=company_id, time_zone="").update(time_zone=zone)


def zone_to_settings(apps, schema_editor):
    SchedulingSettings = apps.get_model("interviews", "SchedulingSettings")
    for settings in SchedulingSettings.objects.select_related("company").exclude(company__time_zone=""):
        settings.time_zone = settings.company.time_zone
        settings.save(update_fields=["time_zone"])


class Migration(migrations.Migration):
    dependencies = [
        ("hiring", "0020_company_time_zone_for_scheduling"),
        ("interviews", "0021_scorecard_company_visible_index"),
    ]

    operations = [
        migrations.RunPython(zone_to_company, zone_to_settings),
        migrations.RemoveField(model_name="schedulingsettings", name="time_zone"),
    ]
