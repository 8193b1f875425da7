"""Résumés move to the private storage under random names (see hiring/uploads.py).

Files uploaded before were kept in the default storage (MEDIA_ROOT) under the uploader's own file
name; each is copied into the private storage under a random name with the extension of its
content, the candidate row and its history rows are pointed at the new name, and the old file is
deleted. Files the private storage already holds (a second run) and names whose file is missing
are left as they are. Going back leaves the files where they are.
"""

from django.core.files.storage import storages
from django.db import migrations, models

import hiring.uploads


def move_resumes_to_private_storage(apps, schema_editor):
    Candidate = apps.get_model("hiring", "Candidate")
    HistoricalCandidate = apps.get_model("hiring", "HistoricalCandidate")
    old, private = storages["default"], hiring.uploads.private_storage()
    rows = Candidate.objects.exclude(resume="").exclude(resume__isnull=True)
    for candidate_id, name in rows.values_list("pk", "resume").iterator():
        if private.exists(name) or not old.exists(name):
            continue
        with old.open(name, "rb") as content:
            try:
                extension = hiring.uploads.upload_kind(content).extension
            except hiring.uploads.UploadRefused:
                extension = ""  # accepted before types were checked: served as opaque bytes
            new_name = private.save(hiring.uploads.RandomName("resumes")(None, f"upload{extension}"), content)
        Candidate.objects.filter(pk=candidate_id).update(resume=new_name)
        HistoricalCandidate.objects.filter(id=candidate_id, resume=name).update(resume=new_name)
        old.delete(name)


class Migration(migrations.Migration):
    dependencies = [
        ("hiring", "0005_application_dashboard_index"),
    ]

    operations = [
        migrations.AlterField(
            model_name="candidate",
            name="resume",
            field=hiring.uploads.PrivateFileField(
                blank=True,
                storage=hiring.uploads.private_storage,
                upload_to=hiring.uploads.RandomName("resumes"),
                validators=[hiring.uploads.UploadValidator(("pdf", "docx", "odt", "rtf", "txt"))],
                verbose_name="résumé",
            ),
        ),
        migrations.AlterField(
            model_name="historicalcandidate",
            name="resume",
            field=models.TextField(
                blank=True,
                max_length=100,
                validators=[hiring.uploads.UploadValidator(("pdf", "docx", "odt", "rtf", "txt"))],
                verbose_name="résumé",
            ),
        ),
        migrations.RunPython(move_resumes_to_private_storage, migrations.RunPython.noop, elidable=True),
    ]
