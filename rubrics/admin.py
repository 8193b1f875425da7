"""Admin for the rubric library. A locked rubric (scores were given with it) is read-only."""

from adminsortable2.admin import SortableAdminBase, SortableTabularInline
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count

from hiring.admin_scoping import (
    CompanyScopedAdminMixin,
    CompanyScopedInlineMixin,
    HiddenFromIndexMixin,
    ScopedRelatedFilter,
    load_choices_once,
)
from hiring.roles import READERS
from interviews.services import rubric_release_new_version

from .models import Check, Competency, Gate, HireBarClause, LevelAnchor, Question, RedFlag, Rubric


class LockAwareInlineMixin(CompanyScopedInlineMixin):
    """Rows of a locked rubric can be read but not added, changed or deleted."""

    view_roles = READERS

    def _rubric_of(self, obj):
        return obj if isinstance(obj, Rubric) else getattr(obj, "rubric", None)

    def _locked(self, obj) -> bool:
        rubric = self._rubric_of(obj)
        return bool(rubric and rubric.is_locked)

    def has_add_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_delete_permission(request, obj)


class CompetencyInline(LockAwareInlineMixin, SortableTabularInline):
    model = Competency
    fields = ("position", "name", "description", "is_critical", "weight", "question_count")
    readonly_fields = ("question_count",)
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_questions=Count("questions"))

    @admin.display(description="Questions")
    def question_count(self, obj):
        return getattr(obj, "n_questions", 0)


class LevelAnchorFormSet(forms.BaseInlineFormSet):
    """A rubric writes down what every level of its scale means (competencies may override)."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        rubric = self.instance
        if rubric.scale_min is None or rubric.scale_max is None or rubric.scale_min >= rubric.scale_max:
            return
        written = {
            f.cleaned_data.get("score")
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and not f.cleaned_data.get("competency")
        }
        missing = [str(score) for score in rubric.scores if score not in written]
        if missing:
            raise forms.ValidationError(
                "Write what every level of the scale means (leave the competency empty for the "
                f"rubric-wide text). Missing: {', '.join(missing)}."
            )


class LevelAnchorInline(LockAwareInlineMixin, admin.TabularInline):
    model = LevelAnchor
    formset = LevelAnchorFormSet
    fields = ("competency", "score", "text")
    extra = 0
    verbose_name = "level anchor"
    verbose_name_plural = "Level anchors (leave competency empty for the rubric-wide text)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("competency")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        field = formset.form.base_fields.get("competency")
        if field is not None:
            load_choices_once(field, obj.competencies.all() if obj else Competency.objects.none())
        return formset


class RedFlagInline(LockAwareInlineMixin, admin.TabularInline):
    model = RedFlag
    fields = ("description", "is_blocking")
    extra = 0


class HireBarClauseInline(LockAwareInlineMixin, admin.TabularInline):
    model = HireBarClause
    fields = ("kind", "aggregation", "score", "count")
    extra = 0


class GateInline(LockAwareInlineMixin, admin.TabularInline):
    model = Gate
    fields = ("position", "name", "anchor", "unlocks_next")
    extra = 0


class CheckInline(LockAwareInlineMixin, admin.TabularInline):
    model = Check
    fields = ("position", "name", "anchor")
    extra = 0


@admin.register(Rubric)
class RubricAdmin(CompanyScopedAdminMixin, SortableAdminBase, admin.ModelAdmin):
    view_roles = READERS
    list_display = ("name", "version", "company", "scale", "competency_count", "locked")
    ordering = ("name", "-version", "pk")  # explicit: the annotated queryset drops Meta.ordering
    list_filter = (("company", ScopedRelatedFilter), ("locked_at", admin.EmptyFieldListFilter))
    search_fields = ("name", "description")
    list_select_related = ("company",)
    inlines = (
        CompetencyInline,
        LevelAnchorInline,
        RedFlagInline,
        GateInline,
        CheckInline,
        HireBarClauseInline,
    )
    actions = ("new_version",)
    fields = ("company", "name", "description", ("scale_min", "scale_max"), "version", "locked_at")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_competencies=Count("competencies"))

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ("version", "locked_at")
        if obj.is_locked:
            return ("company", "name", "description", "scale_min", "scale_max", "version", "locked_at")
        return ("company", "version", "locked_at")

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_locked:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_locked:
            return False
        return super().has_delete_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        obj = self.get_object(request, object_id)
        if obj.is_locked:
            self.message_user(
                request,
                "Scores have been given with this rubric, so it is read-only. Use the action "
                "'Create a new version' on the rubric list to change it.",
                messages.INFO,
            )
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description="Scale")
    def scale(self, obj):
        return f"{obj.scale_min}–{obj.scale_max}"

    @admin.display(description="Competencies", ordering="n_competencies")
    def competency_count(self, obj):
        return obj.n_competencies

    @admin.display(description="Locked", boolean=True, ordering="locked_at")
    def locked(self, obj):
        return obj.is_locked

    @admin.action(
        description="Create a new version (templates move to it, jobs keep theirs)", permissions=("change",)
    )
    def new_version(self, request, queryset):
        for rubric in queryset:
            if not CompanyScopedAdminMixin.has_change_permission(self, request, rubric):
                self.message_user(request, f"You may not version {rubric}.", messages.ERROR)
                continue
            try:
                new = rubric_release_new_version(rubric=rubric)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
            else:
                self.message_user(request, f"Created {new}.", messages.SUCCESS)


class QuestionInline(LockAwareInlineMixin, SortableTabularInline):
    model = Question
    fields = ("position", "text", "follow_ups")
    extra = 0


@admin.register(Competency)
class CompetencyAdmin(HiddenFromIndexMixin, CompanyScopedAdminMixin, SortableAdminBase, admin.ModelAdmin):
    view_roles = READERS
    list_display = ("name", "rubric", "is_critical", "weight")
    list_select_related = ("rubric",)
    search_fields = ("name",)
    fields = ("rubric", "name", "description", "is_critical", "weight")
    readonly_fields = ("rubric",)
    inlines = (QuestionInline,)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.rubric.is_locked:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.rubric.is_locked:
            return False
        return super().has_delete_permission(request, obj)
