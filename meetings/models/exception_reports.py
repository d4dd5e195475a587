"""Holding the force to account on performance: the comparison a meeting froze, its exception
reports, and the force's action plans with their numbered aims."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .notes import AgendaItem, Meeting, NoteContent

COMPARISON_CACHE_SECONDS = 24 * 60 * 60


class FrozenComparison(NoteContent):
    """The performance comparison a meeting considered, frozen with its figures and rule.

    ``data`` is ``performance.comparison.Comparison.to_dict()``: counts, populations, the
    group and the rule, so data revised later never changes what the meeting saw.
    """

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="comparison")
    requested_period = models.CharField(
        max_length=7, help_text="The period staff asked for, as the end month YYYY-MM."
    )
    period = models.CharField(
        max_length=7, help_text="The period compared, as the end month YYYY-MM."
    )
    force_code = models.CharField(max_length=9)
    data = models.JSONField()
    red_slugs = models.JSONField(
        default=list,
        blank=True,
        help_text="The categories red in this comparison, kept apart for the history of reds.",
    )
    releases = models.JSONField(
        default=list,
        blank=True,
        help_text="The data releases the figures came from: [{source, release}].",
    )
    frozen_at = models.DateTimeField(default=timezone.now)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    def __str__(self) -> str:
        return f"Comparison for {self.meeting}"

    @property
    def comparison(self):
        """``data`` as a ``Comparison``: built once per version of this row and cached (the
        JSON of a whole comparison takes longer to read than a page has), read once per
        object. With ``data`` deferred, a cached comparison never loads it."""
        from django.core.cache import cache

        from performance.comparison import Comparison
        from scrutiny.cache import key

        if not hasattr(self, "_comparison"):
            cached_as = key("frozen-comparison", self.pk, self.version, self.frozen_at.timestamp())
            comparison = cache.get(cached_as) if self.pk else None
            if comparison is None:
                comparison = Comparison.from_dict(self.data)
                if self.pk:
                    cache.set(cached_as, comparison, timeout=COMPARISON_CACHE_SECONDS)
            self._comparison = comparison
        return self._comparison


class FrozenReds(NoteContent):
    """The categories red in one frozen comparison, in a small row of their own.

    The history of reds (``red_spells``) reads every earlier comparison of a body: from
    here it reads a few bytes a meeting instead of walking past the ~325 KB ``data`` of each
    ``FrozenComparison`` row (SQLite stores a row's columns in order, so reaching
    ``red_slugs`` there means reading ``data``'s overflow pages). Written with the
    comparison when it is frozen, refreshed or copied into a revision, and frozen with the
    meeting's note like the comparison itself.
    """

    comparison = models.OneToOneField(
        FrozenComparison, on_delete=models.CASCADE, related_name="reds"
    )
    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="frozen_reds")
    slugs = models.JSONField(default=list, blank=True)

    class Meta(NoteContent.Meta):
        verbose_name = "red categories of a frozen comparison"
        verbose_name_plural = "red categories of frozen comparisons"

    def __str__(self) -> str:
        return f"Red categories for {self.meeting}"


class ExceptionReport(NoteContent):
    """One offence category the Commissioner scrutinised at one meeting."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACCEPTED = "accepted", "To be reported"
        DISMISSED = "dismissed", "Dismissed"

    class Conclusion(models.TextChoices):
        ASSURED = "assured", "Assured"
        PARTLY_ASSURED = "partly_assured", "Partly assured"
        NOT_ASSURED = "not_assured", "Not assured"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="exception_reports")
    category_slug = models.SlugField(max_length=120, allow_unicode=True)
    category_name = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    is_red = models.BooleanField(
        default=False, help_text="Red in the meeting's frozen comparison when it was proposed."
    )
    figures = models.JSONField(
        default=dict,
        blank=True,
        help_text="The frozen comparison row that triggered the report, if any.",
    )
    dismissal_reason = models.TextField(blank=True)
    concern = models.TextField("the Commissioner's concern", blank=True)
    explanation = models.TextField("the force's explanation", blank=True)
    item = models.ForeignKey(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exception_reports",
        verbose_name="discussed under",
    )
    outcome = models.TextField(blank=True)
    red_history = models.CharField(
        max_length=500,
        blank=True,
        help_text="How long the category had been red, as it stood when the note was signed.",
    )
    returns_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="returns",
        help_text="The report at an earlier meeting that asked for this one to return.",
    )
    conclusion = models.CharField(max_length=20, choices=Conclusion.choices, blank=True)
    conclusion_comments = models.TextField(blank=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    concluded_at = models.DateTimeField(null=True, blank=True)
    return_requested = models.BooleanField(
        "asked to return",
        default=False,
        help_text="The Commissioner asked for this category to come back to a later meeting.",
    )
    return_by = models.DateField(null=True, blank=True)
    deferred_to = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deferred_reports",
        help_text="Instead of a conclusion here: the later meeting the report returns to.",
    )
    deferral_reason = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta(NoteContent.Meta):
        ordering = ["meeting", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "category_slug"],
                name="one_exception_report_per_category_per_meeting",
                violation_error_message="This category already has an exception report here.",
            ),
            models.CheckConstraint(
                condition=~Q(status="dismissed") | ~Q(dismissal_reason=""),
                name="dismissed_report_has_reason",
                violation_error_message="Give the reason for dismissing the proposal.",
            ),
            models.CheckConstraint(
                condition=Q(deferred_to__isnull=True) | Q(conclusion=""),
                name="deferred_report_has_no_conclusion",
                violation_error_message="A deferred report has no conclusion at this meeting.",
            ),
            models.CheckConstraint(
                condition=~Q(conclusion="not_assured") | ~Q(conclusion_comments=""),
                name="not_assured_has_comments",
                violation_error_message="Say why the Commissioner is not assured.",
            ),
        ]
        permissions = [("record_conclusion", "Can record the Commissioner's conclusion")]

    def __str__(self) -> str:
        return f"{self.category_name} at {self.meeting}"


class ActionPlan(NoteContent):
    """The force's plan for a category of concern, e.g. Operation Vanquish, with its aims."""

    meeting_path = "report__meeting"

    report = models.ForeignKey(
        ExceptionReport, on_delete=models.CASCADE, related_name="action_plans"
    )
    name = models.CharField(max_length=200, help_text='For example "Operation Vanquish".')
    summary = models.TextField(blank=True, help_text="In Markdown.")
    owner = models.CharField(
        max_length=200, blank=True, help_text='Who leads it, e.g. "Lancashire Constabulary".'
    )
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta(NoteContent.Meta):
        ordering = ["report", "position", "id"]

    def __str__(self) -> str:
        return self.name


class Aim(NoteContent):
    """One numbered aim of an action plan; its number is its place in the plan."""

    meeting_path = "plan__report__meeting"

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="aims")
    position = models.PositiveIntegerField(default=0)
    text = models.TextField()
    history = HistoricalRecords()

    class Meta(NoteContent.Meta):
        ordering = ["plan", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(text=""),
                name="aim_has_text",
                violation_error_message="An aim needs its text.",
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]
