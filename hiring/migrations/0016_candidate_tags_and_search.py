# Candidates' tags become the company's Tag rows (the comma-separated text of each candidate is
# turned into tags of their company, and back on reversal); résumé text for search; and on
# PostgreSQL the full-text indexes of search (hiring/search.py), built from the same expressions
# the search queries use.

import django.db.models.deletion
import django.db.models.functions.text
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations, models

NAME_MAX = 60


def _names(text):
    names, seen = [], set()
    for part in (text or "").split(","):
        name = " ".join(part.split())[:NAME_MAX]
        if name and name.lower() not in seen:
            seen.add(name.lower())
            names.append(name)
    return names


def tags_from_text(apps, schema_editor):
    Candidate = apps.get_model("hiring", "Candidate")
    Tag = apps.get_model("hiring", "Tag")
    Link = Candidate.tags.through
    tags = {}  # (company id, lower-cased name) -> tag id
    links = []
    rows = Candidate.objects.exclude(tags_text="").order_by("pk").values_list("pk", "company_id", "tags_text")
    for pk, company_id, text in rows.iterator(chunk_size=2000):
        for name in _names(text):
            key = (company_id, name.lower())
            if key not in tags:
                tags[key] = Tag.objects.create(company_id=company_id, name=name).pk
            links.append(Link(candidate_id=pk, tag_id=tags[key]))
        if len(links) >= 2000:
            Link.objects.bulk_create(links, ignore_conflicts=True)
            links = []
    Link.objects.bulk_create(links, ignore_conflicts=True)


def tags_to_text(apps, schema_editor):
    Candidate = apps.get_model("hiring", "Candidate")
    Link = Candidate.tags.through
    names = {}
    for candidate_id, name in Link.objects.order_by("tag__name").values_list("candidate_id", "tag__name"):
        names.setdefault(candidate_id, []).append(name)
    for candidate_id, tag_names in names.items():
        Candidate.objects.filter(pk=candidate_id).update(tags_text=", ".join(tag_names)[:500])


def search_indexes(apps):
    return [
        (apps.get_model("hiring", "Candidate"), GinIndex(SearchVector("name", "email", config="simple"), name="candidate_search_words")),
        (apps.get_model("hiring", "ResumeText"), GinIndex(SearchVector("text", config="simple"), name="resumetext_search_words")),
    ]


def create_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, index in search_indexes(apps):
        schema_editor.add_index(model, index)


def drop_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, index in search_indexes(apps):
        schema_editor.remove_index(model, index)


class Migration(migrations.Migration):

    dependencies = [
        ('hiring', '0015_candidate_portal'),
    ]

    operations = [
        migrations.CreateModel(
            name='ResumeText',
            fields=[
                ('candidate', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='resume_text', serialize=False, to='hiring.candidate')),
                ('text', models.TextField(blank=True)),
                ('extracted_at', models.DateTimeField()),
            ],
            options={
                'verbose_name': 'résumé text',
            },
        ),
        migrations.CreateModel(
            name='Tag',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=60)),
                ('colour', models.CharField(choices=[('grey', 'Grey'), ('blue', 'Blue'), ('green', 'Green'), ('amber', 'Amber'), ('red', 'Red'), ('purple', 'Purple')], default='grey', max_length=10)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('company', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tags', to='hiring.company')),
            ],
            options={
                'ordering': ['company_id', 'name'],
            },
        ),
        migrations.AddConstraint(
            model_name='tag',
            constraint=models.UniqueConstraint(models.F('company'), django.db.models.functions.text.Lower('name'), name='tag_name_unique_per_company'),
        ),
        migrations.RenameField(model_name='candidate', old_name='tags', new_name='tags_text'),
        migrations.RenameField(model_name='historicalcandidate', old_name='tags', new_name='tags_text'),
        migrations.AddField(
            model_name='candidate',
            name='tags',
            field=models.ManyToManyField(blank=True, related_name='candidates', to='hiring.tag'),
        ),
        migrations.RunPython(tags_from_text, tags_to_text),
        migrations.RemoveField(model_name='historicalcandidate', name='tags_text'),
        migrations.RemoveField(model_name='candidate', name='tags_text'),
        migrations.RunPython(create_search_indexes, drop_search_indexes),
    ]
