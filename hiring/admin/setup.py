"""Admin for companies, members, process templates and stage plans (presentation only)."""

from adminsortable2.admin import SortableAdminBase, SortableTabularInline
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html

from hiring.admin.files import PrivateFileDownloadMixin
from hiring.admin.questions import QuestionInline
from hiring.admin.shared import PAY_FIELDS, person_column
from hiring.admin_scoping import (
    CompanyScopedAdminMixin,
    CompanyScopedInlineMixin,
    HiddenFromIndexMixin,
    ScopedRelatedFilter,
    load_choices_once,
)
from hiring.memberships import (
    invitation_check,
    invitation_create,
    invitation_resend,
    invitation_revoke,
    membership_change_role,
    membership_remove,
)
from hiring.models import (
    Company,
    Invitation,
    InvitationStatus,
    Membership,
    ProcessTemplate,
    Role,
    Stage,
    Track,
)
from hiring.roles import ADMINISTRATORS, EVERYONE, READERS
from interviews.admin.availability import SchedulingSettingsInline
from interviews.ai_use import kit_set_no_ai_blocks
from interviews.kits import (
    kit_errors,
    no_ai_blocks_errors,
    no_ai_blocks_parse,
    no_ai_blocks_text,
    no_ai_blocks_written,
    self_scheduling_errors,
)
from interviews.models import InterviewKit
from interviews.plans import process_template_duplicate, stage_validate_tracks


@admin.register(Company)
class CompanyAdmin(PrivateFileDownloadMixin, CompanyScopedAdminMixin, admin.ModelAdmin):
    view_roles = EVERYONE
    list_display = ("name", "slug", "member_count", "created_at")
    fieldsets = (
        (None, {"fields": ("name", "slug", "time_zone", "retention_days")}),
        ("Careers site", {"fields": ("logo", "accent_color", "privacy_notice", "portal_erasure_immediate")}),
    )
    ordering = ("name",)
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    list_select_related = ()
    inlines = (SchedulingSettingsInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("memberships"))

    @admin.display(description="Members", ordering="member_count")
    def member_count(self, obj):
        return obj.member_count

    def may_download(self, request, obj, field_name):
        return self.has_view_permission(request, obj)  # the logo, public on the careers site anyway

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "logo" and field is not None:
            field.widget.attrs["accept"] = "image/png,image/jpeg,image/webp"
        return field

    def view_on_site(self, obj):
        return reverse("careers:jobs", args=[obj.slug])

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Membership)
class MembershipAdmin(CompanyScopedAdminMixin, admin.ModelAdmin):
    list_display = ("display_name", "email", "company", "role", "created_at")
    list_filter = ("role", ("company", ScopedRelatedFilter))
    search_fields = ("display_name", "user__email")
    list_select_related = ("company", "user")
    ordering = ("company__name", "display_name")

    fields = ("display_name", "email", "company", "role")
    readonly_fields = ("display_name", "email", "company")

    @admin.display(description="Email", ordering="user__email")
    def email(self, obj):
        return obj.user.email

    def has_add_permission(self, request):
        # People join by invitation only (InvitationAdmin): no account is attached by its email.
        return False

    def save_model(self, request, obj, form, change):
        if change and "role" in form.changed_data:
            membership_change_role(membership=obj, role=form.cleaned_data["role"])

    def delete_model(self, request, obj):
        membership_remove(membership=obj)

    def delete_queryset(self, request, queryset):
        for membership in queryset:
            membership_remove(membership=membership)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class InvitationForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ("company", "email", "role")
        help_texts = {
            "email": "They receive a single-use link: to set a password, or to accept while logged "
            "in if they already have an account.",
        }

    def clean(self):
        # Only this company's members are looked at (the admin lists them anyway): nothing here
        # says whether the address has an account elsewhere.
        cleaned = super().clean()
        company, email = cleaned.get("company"), cleaned.get("email")
        if company and email:
            invitation_check(company=company, email=email)
        return cleaned


@admin.register(Invitation)
class InvitationAdmin(CompanyScopedAdminMixin, admin.ModelAdmin):
    """Invitations of a company: sent from the add form, resent or revoked from the list. The
    form reads nothing of the address's account: whether one exists shows nowhere."""

    view_roles = ADMINISTRATORS
    manage_roles = ADMINISTRATORS
    form = InvitationForm
    list_display = ("email", "role", "status", "company", "invited_by_name", "sent_at", "expires_at")
    list_filter = ("role", ("company", ScopedRelatedFilter))
    list_select_related = ("company", "invited_by")
    search_fields = ("email",)
    ordering = ("-created_at", "-id")
    actions = ("resend", "revoke")
    readonly_fields = (
        "company",
        "email",
        "role",
        "status",
        "invited_by_name",
        "created_at",
        "sent_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    )

    def get_fields(self, request, obj=None):
        return ("company", "email", "role") if obj is None else self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ()

    def get_changeform_initial_data(self, request):
        return {"role": Role.INTERVIEWER}

    def has_change_permission(self, request, obj=None):
        # An invitation's page is read-only; the list's actions (permission "change") resend and revoke.
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Status")
    def status(self, obj):
        return InvitationStatus(obj.status_at(timezone.now())).label

    invited_by_name = person_column("invited_by", "Invited by")

    def save_model(self, request, obj, form, change):
        invitation = invitation_create(
            company=form.cleaned_data["company"],
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            invited_by=request.user,
        )
        obj.pk = invitation.pk

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def _each_allowed(self, request, queryset, service, done: str):
        count = 0
        for invitation in queryset.select_related("company"):
            if not self._allowed(request, invitation, self.manage_roles):
                continue
            try:
                service(invitation=invitation)
                count += 1
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
        if count:
            plural = "s" if count != 1 else ""
            self.message_user(request, f"{count} invitation{plural} {done}.", messages.SUCCESS)

    @admin.action(
        description="Send the selected invitations again (new link; the old one stops working)",
        permissions=("change",),
    )
    def resend(self, request, queryset):
        self._each_allowed(request, queryset, invitation_resend, "sent again")

    @admin.action(description="Revoke the selected invitations", permissions=("change",))
    def revoke(self, request, queryset):
        self._each_allowed(request, queryset, invitation_revoke, "revoked")


class StageInline(CompanyScopedInlineMixin, SortableTabularInline):
    model = Stage
    fk_name = "template"
    fields = (
        "position",
        "name",
        "kind",
        "sla_days",
        "is_optional",
        *PAY_FIELDS,
        "instructions",
        "kit_summary",
    )
    readonly_fields = ("kit_summary",)
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})}}
    extra = 0
    show_change_link = True
    view_roles = READERS

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(kit_count=Count("kits", distinct=True), track_count=Count("tracks", distinct=True))
        )

    @admin.display(description="Kits and tracks")
    def kit_summary(self, obj):
        if obj.pk is None:
            return "Save, then open the stage to add its interview kits."
        kits = getattr(obj, "kit_count", 0)
        tracks = getattr(obj, "track_count", 0)
        text = f"{kits} kit{'s' if kits != 1 else ''}"
        if tracks:
            text += f", {tracks} tracks"
        return text


@admin.register(ProcessTemplate)
class ProcessTemplateAdmin(CompanyScopedAdminMixin, SortableAdminBase, admin.ModelAdmin):
    list_display = ("name", "company", "stage_count", "kit_count", "updated_at")
    ordering = ("name", "pk")  # explicit: the annotated queryset drops Meta.ordering
    list_filter = (("company", ScopedRelatedFilter),)
    search_fields = ("name", "description")
    list_select_related = ("company",)
    inlines = (StageInline, QuestionInline)
    actions = ("duplicate",)
    fields = ("company", "name", "description")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                stage_count=Count("stages", distinct=True),
                kit_count=Count("stages__kits", distinct=True),
            )
        )

    def get_readonly_fields(self, request, obj=None):
        return ("company",) if obj else ()

    @admin.display(description="Stages", ordering="stage_count")
    def stage_count(self, obj):
        return obj.stage_count

    @admin.display(description="Interview kits", ordering="kit_count")
    def kit_count(self, obj):
        return obj.kit_count

    @admin.action(description="Duplicate template (with stages, tracks and kits)", permissions=("change",))
    def duplicate(self, request, queryset):
        done = []
        for template in queryset:
            if not self.has_change_permission(request, template):
                self.message_user(request, f"You may not copy {template}.", messages.ERROR)
                continue
            try:
                done.append(process_template_duplicate(template=template).name)
            except ValidationError as exc:
                self.message_user(request, f"{template}: {' '.join(exc.messages)}", messages.ERROR)
        if done:
            self.message_user(request, f"Created {', '.join(done)}.", messages.SUCCESS)


class TrackInline(CompanyScopedInlineMixin, SortableTabularInline):
    model = Track
    fields = ("position", "name", "description")
    extra = 0
    view_roles = READERS


class KitForm(forms.ModelForm):
    """Row rules of a kit, said in words a recruiter understands (the database enforces them too).
    The no-AI blocks are written as minute ranges ("30-50, 70-80") and saved by a service."""

    no_ai_ranges = forms.CharField(
        label="No-AI blocks",
        required=False,
        max_length=200,
        help_text="Minutes from the start of the session, e.g. 30-50 (several: 10-20, 60-70). "
        "The no-AI minutes become their total; leave empty to give only a length.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "no_ai_ranges" not in self.initial:
            placed = [(b.start_minute, b.length_minutes) for b in self.instance.no_ai_blocks.all()]
            self.initial["no_ai_ranges"] = no_ai_blocks_written([p for p in placed if p[0] is not None])
        self.placed_blocks = []

    def clean(self):
        cleaned = super().clean()
        try:
            self.placed_blocks = no_ai_blocks_parse(cleaned.get("no_ai_ranges", ""))
        except ValidationError as exc:
            self.add_error("no_ai_ranges", exc)
            return cleaned
        if self.placed_blocks:
            if cleaned.get("ai_policy") != "no_ai_block":
                self.add_error(
                    "no_ai_ranges", "Only the policy 'allowed except a no-AI block' has no-AI blocks."
                )
                return cleaned
            for message in no_ai_blocks_errors(
                duration_minutes=cleaned.get("duration_minutes"), blocks=self.placed_blocks
            ):
                self.add_error("no_ai_ranges", message)
            cleaned["no_ai_minutes"] = sum(length for _, length in self.placed_blocks)
        errors = kit_errors(
            format=cleaned.get("format", ""),
            duration_minutes=cleaned.get("duration_minutes"),
            window_days=cleaned.get("window_days"),
            ai_policy=cleaned.get("ai_policy", ""),
            no_ai_minutes=cleaned.get("no_ai_minutes"),
        )
        errors.update(
            self_scheduling_errors(
                self_scheduling=cleaned.get("self_scheduling", False),
                format=cleaned.get("format", ""),
                is_internal=cleaned.get("is_internal", False),
                booking_window_days=cleaned.get("booking_window_days"),
                min_notice_hours=cleaned.get("min_notice_hours"),
                buffer_minutes=cleaned.get("buffer_minutes"),
            )
        )
        for name, message in errors.items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)
        return cleaned

    def _save_m2m(self):
        super()._save_m2m()
        kit_set_no_ai_blocks(kit=self.instance, blocks=self.placed_blocks)


class KitInlineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kits = [f.instance for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE", False)]
        try:
            stage_validate_tracks(stage=self.instance, kits=kits)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc


class KitInline(CompanyScopedInlineMixin, admin.StackedInline):
    model = InterviewKit
    form = KitForm
    formset = KitInlineFormSet
    extra = 0
    view_roles = READERS
    autocomplete_fields = ("rubric", "default_interviewers")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    ("name", "track", "is_internal"),
                    ("format", "duration_minutes", "window_days"),
                    "rubric",
                    "default_interviewers",
                )
            },
        ),
        ("AI policy", {"fields": (("ai_policy", "no_ai_minutes"), "no_ai_ranges", "ai_note")}),
        (
            "Self-scheduling",
            {"fields": ("self_scheduling", ("booking_window_days", "min_notice_hours", "buffer_minutes"))},
        ),
        # The brief's files are uploaded under "Take-home brief files" (kept private).
        ("Take-home brief", {"fields": ("brief",), "classes": ("collapse",)}),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("rubric", "track")
            .prefetch_related("default_interviewers", "no_ai_blocks")
        )

    @admin.display(description="No-AI blocks")
    def no_ai_ranges(self, obj):
        # The read-only page (a reader of the stage): the blocks as the form writes them.
        return no_ai_blocks_text(obj) or "-"

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        track = formset.form.base_fields.get("track")
        if track is not None:
            load_choices_once(track, obj.tracks.all() if obj else Track.objects.none())
        return formset


@admin.register(Stage)
class StageAdmin(HiddenFromIndexMixin, CompanyScopedAdminMixin, SortableAdminBase, admin.ModelAdmin):
    view_roles = READERS
    list_display = ("name", "kind", "plan", "sla_days", "is_optional", "is_paid")
    list_filter = ("kind",)
    search_fields = ("name",)
    list_select_related = ("template", "job")
    fields = ("plan", "name", "kind", "sla_days", "is_optional", PAY_FIELDS, "instructions")
    readonly_fields = ("plan",)
    inlines = (TrackInline, KitInline)

    @admin.display(description="Plan of")
    def plan(self, obj):
        owner = obj.template or obj.job
        if owner is None:
            return "-"
        meta = owner._meta
        try:
            url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[owner.pk])
        except NoReverseMatch:  # the owner's model has no admin page
            return f"{meta.verbose_name.capitalize()}: {owner}"
        return format_html('<a href="{}">{}: {}</a>', url, meta.verbose_name.capitalize(), owner)

    def has_add_permission(self, request):
        return False
