"""Tags in the admin: the company's tags, the tag filter of the application and candidate lists,
the tags column and the bulk "Tag selected…" and "Untag selected…" actions.

Presentation only: links are added and removed by hiring.tagging's services, which keep each tag
to the candidates of its own company.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.template.response import TemplateResponse
from django.utils.html import format_html_join

from hiring.admin.shared import MAX_FILTER_CHOICES, CompanyFilter
from hiring.admin_scoping import CompanyScopedAdminMixin, company_ids_for
from hiring.models import Candidate, Tag
from hiring.roles import READERS, RECRUITERS
from hiring.search import rows_of_people
from hiring.tagging import tag_labels_annotation, tag_labels_parse, tag_names_for, tags_apply

TAGS_MEDIA = forms.Media(css={"all": ["hireloop/tags.css"]})
Link = Candidate.tags.through


def tags_html(tags) -> str:
    """Tag names as coloured labels (escaped; colours are CSS classes)."""
    return format_html_join(" ", '<span class="{}">{}</span>', ((t.css_class, t.name) for t in tags))


@admin.register(Tag)
class TagAdmin(CompanyScopedAdminMixin, admin.ModelAdmin):
    """A company's tags; recruiters add, rename, recolour and delete them."""

    view_roles = READERS
    manage_roles = RECRUITERS
    list_display = ("label", "name", "colour", "candidate_count", "company")
    list_display_links = ("name",)
    list_filter = ("colour", CompanyFilter)
    search_fields = ("name",)
    list_select_related = ("company",)
    fields = ("company", "name", "colour")
    ordering = ("name", "pk")

    @property
    def media(self):
        return super().media + TAGS_MEDIA

    def get_queryset(self, request):
        # Counted for the rows of the page only, from the tag's index of the links.
        links = Link.objects.filter(tag_id=OuterRef("pk")).order_by().values("tag").annotate(n=Count("pk"))
        count = Coalesce(Subquery(links.values("n"), output_field=IntegerField()), 0)
        return super().get_queryset(request).annotate(candidate_count=count)

    @admin.display(description="Tag")
    def label(self, obj):
        return tags_html([obj])

    @admin.display(description="Candidates", ordering="candidate_count")
    def candidate_count(self, obj):
        return obj.candidate_count

    def get_readonly_fields(self, request, obj=None):
        return ("company",) if obj else ()


class TagFilter(admin.SimpleListFilter):
    """The tags of the user's companies (at most 100). A tag of another company, or a value that
    is not a tag, lists nothing."""

    title = "tag"
    parameter_name = "tag"
    person_path = "pk"

    def _tags(self, request, model_admin):
        return model_admin.scoped_choices(request, Tag.objects.all())

    def lookups(self, request, model_admin):
        rows = self._tags(request, model_admin).order_by("name", "pk").values_list("pk", "name")
        return [(str(pk), name) for pk, name in rows[:MAX_FILTER_CHOICES]]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if not value.isdigit():
            return queryset.none()
        # The tagged people first (the link table's tag index), then their rows by candidate id:
        # no join that the planner would size from the tag's average share of the table.
        tags = self._tags(request, self.model_admin).filter(pk=value)
        people = Candidate.tags.through.objects.filter(tag__in=tags).values("candidate_id")
        return queryset.filter(rows_of_people(self.person_path, people))

    def __init__(self, request, params, model, model_admin):
        self.model_admin = model_admin
        super().__init__(request, params, model, model_admin)


class ApplicationTagFilter(TagFilter):
    person_path = "candidate_id"


class BulkTagForm(forms.Form):
    tags = forms.ModelMultipleChoiceField(
        queryset=Tag.objects.none(), widget=forms.CheckboxSelectMultiple, label="Tags"
    )


class TagsColumnMixin:
    """A "Tags" column on a list of candidates or of their applications (`candidate_path`), read
    for the rows of the page in one query."""

    candidate_path = "pk"

    @property
    def media(self):
        return super().media + TAGS_MEDIA

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        match = getattr(request, "resolver_match", None)
        if match is not None and match.url_name == f"{self.opts.app_label}_{self.opts.model_name}_changelist":
            queryset = queryset.annotate(tag_labels=tag_labels_annotation(self.candidate_path))
        return queryset

    @admin.display(description="Tags")
    def tag_list(self, obj):
        if hasattr(obj, "tag_labels"):
            return tags_html(tag_labels_parse(obj.tag_labels))
        ref = getattr(obj, self.candidate_path)
        return tags_html(tag_names_for([ref])[ref])


class TagBulkActionsMixin:
    """The bulk "Tag selected…" and "Untag selected…" actions: a page choosing the tags (the
    companies' of the selection only), then each selected person tagged or untagged. Capped like
    bulk moves (HIRELOOP_BULK_MAX)."""

    candidate_path = "pk"

    def _tag_action(self, request, queryset, *, add: bool):
        limit = settings.HIRELOOP_BULK_MAX
        verb = "tagged" if add else "untagged"
        if queryset[: limit + 1].count() > limit:
            self.message_user(
                request,
                f"More than {limit:,} rows are selected; nothing was {verb}. Filter the list or select "
                f"fewer, at most {limit:,} at a time.",
                messages.ERROR,
            )
            return None
        allowed = None if request.user.is_superuser else company_ids_for(request, RECRUITERS)
        if allowed is not None:
            queryset = queryset.filter(company_id__in=allowed)
        rows = list(queryset.order_by("pk").values_list("pk", self.candidate_path, "company_id"))
        if not rows:
            self.message_user(
                request,
                f"None of the selected rows is one you may tag; nothing was {verb}.",
                messages.WARNING,
            )
            return None
        companies = {company_id for _, _, company_id in rows}
        form = BulkTagForm(request.POST if "apply" in request.POST else None)
        form.fields["tags"].queryset = Tag.objects.filter(company_id__in=companies).order_by("name", "pk")
        if form.is_bound and form.is_valid():
            changed = tags_apply(
                candidate_ids={candidate for _, candidate, _ in rows},
                tags=form.cleaned_data["tags"],
                add=add,
                company_ids=companies,
            )
            names = ", ".join(t.name for t in form.cleaned_data["tags"])
            self.message_user(
                request,
                f"{names}: {changed} tag{'s' if changed != 1 else ''} {'added' if add else 'removed'} "
                f"({len({c for _, c, _ in rows})} people selected).",
                messages.SUCCESS,
            )
            return None
        action = "tag_selected" if add else "untag_selected"
        context = {
            **self.admin_site.each_context(request),
            "title": "Tag the selected people" if add else "Remove tags from the selected people",
            "submit": "Add these tags" if add else "Remove these tags",
            "opts": self.model._meta,
            "form": form,
            "action": action,
            "count": len(rows),
            "selected": [str(pk) for pk, _, _ in rows],
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "no_tags": not form.fields["tags"].queryset.exists(),
        }
        return TemplateResponse(request, "admin/hiring/tag_action.html", context)

    @admin.action(description="Tag selected…", permissions=["tag"])
    def tag_selected(self, request, queryset):
        return self._tag_action(request, queryset, add=True)

    @admin.action(description="Untag selected…", permissions=["tag"])
    def untag_selected(self, request, queryset):
        return self._tag_action(request, queryset, add=False)

    def has_tag_permission(self, request):
        return request.user.is_superuser or bool(company_ids_for(request, RECRUITERS))
