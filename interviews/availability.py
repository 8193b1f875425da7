"""Self-scheduling data: when each interviewer is available (weekly hours in their own time zone,
plus dated exceptions), the company's rules for candidate changes, and the fields a kit carries
when candidates book it themselves. Imported by models.py; the slot search is in slots.py."""

import functools
import zoneinfo

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from hiring.models import Company, Membership


@functools.cache
def time_zone_choices() -> tuple[tuple[str, str], ...]:
    """Every IANA zone of a region ("Europe/Paris"), and UTC, as (value, label) choices; read from
    the disk once per process."""
    names = sorted(
        n for n in zoneinfo.available_timezones() if "/" in n and not n.startswith(("Etc/", "SystemV/"))
    )
    return (*((name, name.replace("_", " ")) for name in names), ("UTC", "UTC"))


def validate_time_zone(name: str) -> None:
    """An IANA time zone name, such as Europe/Paris (the form says so on the field)."""
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(f"Unknown time zone {name!r}; use an IANA name such as Europe/Paris.") from None


class SelfSchedulingFields(models.Model):
    """The kit's self-scheduling settings (InterviewKit inherits these fields)."""

    self_scheduling = models.BooleanField(
        "candidates book their slot",
        default=False,
        help_text="The candidate picks a time in the portal among the slots where the whole panel "
        "(the default interviewers) is available.",
    )
    booking_window_days = models.PositiveSmallIntegerField(
        "booking window (days ahead)",
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text="How far ahead the candidate may book, in days.",
    )
    min_notice_hours = models.PositiveSmallIntegerField(
        "minimum notice (hours)",
        default=24,
        validators=[MaxValueValidator(720)],
        help_text="No slot starts sooner than this many hours from now.",
    )
    buffer_minutes = models.PositiveSmallIntegerField(
        "buffer (minutes)",
        default=0,
        validators=[MaxValueValidator(240)],
        help_text="Free time kept before and after the session around the panel's other interviews.",
    )

    class Meta:
        abstract = True


class SchedulingSettings(models.Model):
    """A company's rules for the interviews candidates book themselves."""

    company = models.OneToOneField(Company, on_delete=models.CASCADE, related_name="scheduling")
    # The company's zone, in which slots are shown to candidates who chose none, is the company's
    # own (`Company.time_zone`), the one zone the admin and the portal read.
    change_notice_hours = models.PositiveSmallIntegerField(
        "notice for candidate changes (hours)",
        default=24,
        validators=[MaxValueValidator(720)],
        help_text="Candidates may reschedule or cancel a booked interview online until this many "
        "hours before it starts; later, they contact the hiring team.",
    )

    class Meta:
        verbose_name = "self-scheduling settings"
        verbose_name_plural = "self-scheduling settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(change_notice_hours__lte=720), name="scheduling_change_notice_max"
            ),
        ]

    def __str__(self) -> str:
        return "Self-scheduling settings"


class Availability(models.Model):
    """One interviewer's availability: weekly hours and exceptions, read in their time zone."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    membership = models.OneToOneField(
        Membership,
        on_delete=models.CASCADE,
        related_name="availability",
        verbose_name="interviewer",
        help_text="The member whose availability this is.",
    )
    time_zone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text="Your time zone (IANA name, e.g. Europe/Paris): the weekly hours and exceptions "
        "below are read in it, summer time included.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["company_id", "membership_id"]
        verbose_name_plural = "availabilities"

    def __str__(self) -> str:
        return f"Availability #{self.pk}"

    def clean(self):
        super().clean()
        if self.membership_id and self.company_id and self.membership.company_id != self.company_id:
            raise ValidationError({"membership": "Choose a member of this company."})


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class WeeklyHours(models.Model):
    """A range of hours on one day of every week, e.g. Tuesday 09:00 to 12:30."""

    availability = models.ForeignKey(Availability, on_delete=models.CASCADE, related_name="weekly_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    starts_at = models.TimeField("from")
    ends_at = models.TimeField("to", help_text="Same day; split a range that goes past midnight.")

    company_path = "availability__company"

    class Meta:
        ordering = ["availability_id", "weekday", "starts_at"]
        verbose_name = "weekly hours"
        verbose_name_plural = "weekly hours"
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="weekly_hours_order"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="weekly_hours_weekday"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}-{self.ends_at:%H:%M}"

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The hours must end after they start (on the same day)."})


class ExceptionKind(models.TextChoices):
    UNAVAILABLE = "unavailable", "Unavailable"
    EXTRA = "extra", "Extra hours"


class AvailabilityException(models.Model):
    """Dates that differ from the weekly hours: unavailable (a holiday, whole days or some hours)
    or extra hours. The hours, when given, apply to every day of the range."""

    availability = models.ForeignKey(Availability, on_delete=models.CASCADE, related_name="exceptions")
    kind = models.CharField(max_length=12, choices=ExceptionKind.choices, default=ExceptionKind.UNAVAILABLE)
    starts_on = models.DateField("from")
    ends_on = models.DateField("until", help_text="The last day, included; the same day for one day.")
    starts_at = models.TimeField(
        "from hour",
        null=True,
        blank=True,
        help_text="Leave both hours empty for whole days (unavailable only).",
    )
    ends_at = models.TimeField("to hour", null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)

    company_path = "availability__company"

    class Meta:
        ordering = ["availability_id", "starts_on", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="availability_exception_dates"
            ),
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True, ends_at__isnull=True)
                | Q(starts_at__isnull=False, ends_at__isnull=False, ends_at__gt=models.F("starts_at")),
                name="availability_exception_hours",
            ),
            models.CheckConstraint(
                condition=~Q(kind="extra") | Q(starts_at__isnull=False), name="availability_extra_has_hours"
            ),
        ]
        indexes = [models.Index(fields=["availability", "ends_on"], name="availability_exception_end")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_on}"

    def clean(self):
        super().clean()
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = "The last day cannot be before the first."
        if (self.starts_at is None) != (self.ends_at is None):
            errors["ends_at"] = "Give both hours, or neither for whole days."
        elif self.starts_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = "The hours must end after they start (on the same day)."
        if self.kind == ExceptionKind.EXTRA and self.starts_at is None and "ends_at" not in errors:
            errors["starts_at"] = "Extra hours need their hours (from and to)."
        if errors:
            raise ValidationError(errors)
