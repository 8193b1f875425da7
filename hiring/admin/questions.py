"""Admin for questionnaires: questions on a process template's and a job's page (one inline each),
a question's own page for its choices, and the answers panel of the application page.

Inlines cannot nest, so a question's choices are edited on the question's page (the inline row
links there); the question's form checks the knockout settings before anything is saved."""

from adminsortable2.admin import SortableAdminBase, SortableTabularInline
from django import forms
from django.contrib import admin
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

from hiring.admin import extensions
from hiring.admin.files import PrivateFileDownloadMixin
from hiring.admin_scoping import CompanyScopedAdminMixin, CompanyScopedInlineMixin, HiddenFromIndexMixin
from hiring.json_rows import read_with
from hiring.models import Answer, KnockoutAction, Question, QuestionChoice, QuestionKind, RejectionKind
from hiring.questionnaires import application_answers, application_answers_rows
from hiring.questions import CHOICE_KINDS
from hiring.roles import READERS, RECRUITERS

QUESTION_FIELDS = (
    "position",
    "label",
    "kind",
    "is_required",
    "help_text",
    "knockout_answer",
    "knockout_action",
    "rejection_reason",
)


class QuestionForm(forms.ModelForm):
    """The knockout settings explained before the database constraints would refuse them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        reason = self.fields.get("rejection_reason")
        if reason is not None and hasattr(reason, "queryset"):
            reason.queryset = reason.queryset.filter(kind=RejectionKind.COMPANY, is_active=True)

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if cleaned.get("knockout_answer") and kind != QuestionKind.YES_NO:
            self.add_error("knockout_answer", "Only a yes / no question has a knockout answer.")
        if cleaned.get("knockout_action") == KnockoutAction.REJECT and not cleaned.get("rejection_reason"):
            self.add_error("rejection_reason", "Choose the rejection reason a knockout answer records.")
        return cleaned


class QuestionInline(CompanyScopedInlineMixin, SortableTabularInline):
    model = Question
    form = QuestionForm
    fk_name = "template"
    fields = (*QUESTION_FIELDS, "choice_summary")
    readonly_fields = ("choice_summary",)
    formfield_overrides = {}
    extra = 0
    show_change_link = True
    verbose_name = "application question"
    verbose_name_plural = "application questions (open a choice question to edit its options)"
    view_roles = READERS

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(choice_count=Count("choices"))

    @admin.display(description="Options")
    def choice_summary(self, obj):
        if obj.pk is None or obj.kind not in CHOICE_KINDS:
            return "-" if obj.pk else "Save, then open the question to add its options."
        count = getattr(obj, "choice_count", 0)
        return f"{count} option{'s' if count != 1 else ''}"


class JobQuestionInline(QuestionInline):
    fk_name = "job"
    manage_roles = RECRUITERS


class JobPlanRolesMixin:
    """A job's questions are edited by its recruiters (like its stages); a template's by the
    company's administrators."""

    def _allowed(self, request, obj, roles) -> bool:
        if roles == self.manage_roles and getattr(obj, "job_id", None):
            roles = RECRUITERS
        return super()._allowed(request, obj, roles)


class QuestionChoiceInline(JobPlanRolesMixin, CompanyScopedInlineMixin, SortableTabularInline):
    model = QuestionChoice
    fields = ("position", "label", "is_knockout")
    extra = 0
    view_roles = READERS


@admin.register(Question)
class QuestionAdmin(
    JobPlanRolesMixin, HiddenFromIndexMixin, CompanyScopedAdminMixin, SortableAdminBase, admin.ModelAdmin
):
    form = QuestionForm
    view_roles = READERS
    list_display = ("label", "kind", "questionnaire_of", "is_required")
    list_select_related = ("template", "job")
    fields = ("questionnaire_of", *QUESTION_FIELDS[1:])
    readonly_fields = ("questionnaire_of",)
    inlines = (QuestionChoiceInline,)

    @admin.display(description="Questionnaire of")
    def questionnaire_of(self, obj):
        owner = obj.template or obj.job
        if owner is None:
            return "-"
        meta = owner._meta
        try:
            url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[owner.pk])
        except NoReverseMatch:
            return f"{meta.verbose_name.capitalize()}: {owner}"
        return format_html('<a href="{}">{}: {}</a>', url, meta.verbose_name.capitalize(), owner)

    def has_add_permission(self, request):
        return False


@admin.register(Answer)
class AnswerAdmin(PrivateFileDownloadMixin, HiddenFromIndexMixin, CompanyScopedAdminMixin, admin.ModelAdmin):
    """Only for the download of answer files (checked like a résumé); answers are read on the
    application page."""

    view_roles = READERS

    def file_candidate(self, obj):
        return obj.application.candidate

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def answers_panel(request, application) -> str:
    # Read with the application on its page (page_answers); elsewhere, one query.
    answers = application_answers(application, rows=read_with(application, "page_answers"))
    if not answers:
        return ""
    return render_to_string(
        "admin/hiring/answer/panel.html",
        {"answers": answers, "flagged": application.knockout_flagged},
        request=request,
    )


extensions.register_application_panel(answers_panel, position=extensions.PANEL_HANDINS)
extensions.register_application_list("page_answers", application_answers_rows)
