"""The record of a scrutiny meeting: who attended, the items considered, the note of each."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .bodies import Body, Numbering, PrintStyle
from .bulk import SignalledQuerySet


class NoteFrozen(PermissionDenied):
    """A signed note, and everything in it, cannot change through any path."""


FROZEN_STATUSES = ("signed", "published")


class NoteContentQuerySet(SignalledQuerySet):
    """Bulk updates and deletes refuse to touch the content of a signed note.

    Saving one object is guarded by ``NoteContent.save``; this covers ``.update()`` and
    ``.delete()`` on querysets, which do not call ``save()``. Its bulk writes, once allowed,
    send ``bulk_written`` (``bulk.py``): the caches of what notes show listen to it.
    """

    def _refuse_if_frozen(self) -> None:
        path = self.model.meeting_path
        if self.filter(**{f"{path}__status__in": FROZEN_STATUSES}).exists():
            raise NoteFrozen("This note has been signed: its content can no longer change.")

    def _refuse_moving_into_a_frozen_note(self, kwargs: dict) -> None:
        """An update that re-parents rows must not put them into a signed note either."""
        first, _, rest = self.model.meeting_path.partition("__")
        field = self.model._meta.get_field(first)
        for key in (field.name, field.attname):
            if key not in kwargs:
                continue
            target = kwargs[key]
            target_pk = target.pk if isinstance(target, models.Model) else target
            path = f"{rest}__status__in" if rest else "status__in"
            if field.related_model._base_manager.filter(
                pk=target_pk, **{path: FROZEN_STATUSES}
            ).exists():
                raise NoteFrozen("This note has been signed: its content can no longer change.")

    def update(self, **kwargs):
        changing = {self.model._meta.get_field(name).attname for name in kwargs}
        if not changing <= self.model.fields_changeable_when_frozen:
            self._refuse_if_frozen()
        self._refuse_moving_into_a_frozen_note(kwargs)
        return super().update(**kwargs)

    update.queryset_only = True

    def delete(self):
        self._refuse_if_frozen()
        return super().delete()

    delete.queryset_only = True

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        meeting_ids = {obj._meeting_id() for obj in objs}
        if Meeting.objects.filter(pk__in=meeting_ids, status__in=FROZEN_STATUSES).exists():
            raise NoteFrozen("This note has been signed: its content can no longer change.")
        return super().bulk_create(objs, *args, **kwargs)


class NoteContent(models.Model):
    """Something that belongs to one meeting's note and freezes with it when it is signed.

    Freezing is an invariant of the record, not a business rule: it holds whatever path a
    change takes (forms, admin, imports, services, the ORM), so it lives in the model.
    """

    meeting_path = "meeting"
    # Fields that may still change after the meeting's note is signed (none, by default).
    fields_changeable_when_frozen: frozenset[str] = frozenset()

    objects = NoteContentQuerySet.as_manager()

    class Meta:
        abstract = True
        # Related managers (e.g. ``meeting.items.add(item)``) write through the base manager:
        # it must be the guarded one too. Subclasses' own Meta extend this one.
        base_manager_name = "objects"

    def save(self, *args, **kwargs):
        self._refuse_if_frozen()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_frozen()
        return super().delete(*args, **kwargs)

    def _meeting_id(self) -> int | None:
        target = self
        for step in self.meeting_path.split("__")[:-1]:
            target = getattr(target, step)
        return getattr(target, f"{self.meeting_path.split('__')[-1]}_id")

    def _refuse_if_frozen(self) -> None:
        frozen = Meeting.objects.filter(pk=self._meeting_id(), status__in=FROZEN_STATUSES)
        if not frozen.exists() and self.pk is not None:
            # The stored row may belong to another (signed) meeting than the one it points at.
            frozen = type(self)._base_manager.filter(
                pk=self.pk, **{f"{self.meeting_path}__status__in": FROZEN_STATUSES}
            )
        if frozen.exists() and not self._only_changeable_fields_changed():
            raise NoteFrozen("This note has been signed: its content can no longer change.")

    def _only_changeable_fields_changed(self) -> bool:
        """True for a save that touches only fields later meetings may update (see Action)."""
        if not self.fields_changeable_when_frozen or self.pk is None:
            return False
        stored = type(self)._base_manager.filter(pk=self.pk).first()
        if stored is None:
            return False
        changed = {
            field.attname
            for field in self._meta.concrete_fields
            if getattr(stored, field.attname) != getattr(self, field.attname)
        }
        return changed <= self.fields_changeable_when_frozen


class Person(models.Model):
    """Someone who attends meetings or owns actions.

    The name is written as notes write it, ranks and titles included ("Superintendent Paul
    Wilson", "Mrs Amanda Webster"); the role held at a meeting lives on the attendance.
    """

    name = models.CharField(max_length=200)
    initials = models.CharField(
        max_length=10, blank=True, help_text="As the note refers to them in the text, e.g. DJ."
    )
    usual_role = models.CharField(
        max_length=300,
        blank=True,
        help_text="Offered as the role when the person is added to a meeting.",
    )
    email = models.EmailField(blank=True)
    signs_as = models.CharField(
        "name under a signature",
        max_length=200,
        blank=True,
        help_text="As a note prints it under this person's signature, e.g. Miranda "
        "Carruthers-Watt (their name as written above when empty).",
    )
    signing_title = models.CharField(
        "title under a signature",
        max_length=200,
        blank=True,
        help_text='The title printed under their signature, e.g. "Chief Executive".',
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        help_text="The portal account of this person, if they have one.",
    )

    objects = SignalledQuerySet.as_manager()  # which person is which user: in My work's counts

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name

    @property
    def signature_name(self) -> str:
        return self.signs_as or self.name


class MeetingQuerySet(SignalledQuerySet):
    def update(self, **kwargs):
        reopening = "status" in kwargs and kwargs["status"] not in FROZEN_STATUSES
        if (reopening or set(kwargs) - Meeting.FIELDS_CHANGEABLE_WHEN_SIGNED) and self.filter(
            status__in=FROZEN_STATUSES
        ).exists():
            raise NoteFrozen("This note has been signed: it can no longer change.")
        return super().update(**kwargs)

    update.queryset_only = True

    def delete(self):
        if self.filter(status__in=FROZEN_STATUSES).exists():
            raise NoteFrozen("A signed note cannot be deleted.")
        return super().delete()

    delete.queryset_only = True


class Meeting(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted for signature"
        SIGNED = "signed", "Signed"
        PUBLISHED = "published", "Published"

    Numbering = Numbering

    body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        related_name="meetings",
        help_text="The board or meeting series the meeting belongs to.",
    )
    title = models.CharField(max_length=200, help_text='For example "Strategic Scrutiny Meeting".')
    # A meeting whose record gives no start time keeps its day as local midnight in ``start``
    # (so ordering, comparisons and the calendar keep one field) and says so here: nothing
    # prints a time for it.
    start = models.DateTimeField(help_text="Date and time the meeting started (UK time).")
    has_start_time = models.BooleanField(
        "start time given",
        default=True,
        help_text="False when the record gives no start time: only the day is printed.",
    )
    end = models.DateTimeField(null=True, blank=True)
    venue = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    numbering = models.CharField(
        max_length=20, choices=Numbering.choices, default=Numbering.LETTERS
    )
    first_minute_number = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="With minute numbering: the number of this meeting's first item.",
    )
    # Sign-off: who signed, when, and the PDF rendered once at signing with its SHA-256.
    signatory_name = models.CharField(max_length=200, blank=True)
    signatory_title = models.CharField(max_length=200, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    pdf = models.FileField(upload_to="notes/%Y/", blank=True)
    pdf_sha256 = models.CharField("SHA-256 of the PDF", max_length=64, blank=True, db_index=True)
    # Kept with the hash so that the download answers without asking the storage.
    pdf_size = models.PositiveBigIntegerField("size of the PDF in bytes", null=True, blank=True)
    # Kept with the hash so that the public page says how long the document is.
    pdf_pages = models.PositiveIntegerField("pages of the PDF", null=True, blank=True)
    pdf_digitally_signed = models.BooleanField(default=False)
    # The body's print style as the signed note printed it (empty until signing; drafts are
    # printed in the body's current style).
    printed_style = models.JSONField(default=dict, blank=True, editable=False)
    # A correction after signing is a new revision that goes through sign-off again.
    revises = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revision",
        help_text="The signed note this revision corrects.",
    )
    revision_number = models.PositiveIntegerField(default=1, editable=False)
    # What the public search reads of the note (meetings.selectors.note.note_search_text),
    # written once when it is published: a published note never changes, so the search reads
    # one column a note instead of every table of every note.
    search_text = models.TextField(blank=True, default="", editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at", "search_text"])

    # Publishing a signed note changes these and nothing else.
    FIELDS_CHANGEABLE_WHEN_SIGNED = frozenset({"status", "published_at", "updated_at"})
    # The PDF's SHA-256, recorded once by the signing's job (meetings.tasks.note_pdf_store).
    FIELDS_SET_ONCE_WHEN_SIGNED = frozenset({"pdf_sha256", "pdf_size", "pdf_pages"})

    class Meta:
        ordering = ["-start", "-id"]
        # On SQLite also (status, body, start), for the public list's browse counts
        # (``search_index.sqlite_indexes_ensure``; not on PostgreSQL, whose planner would
        # take it over the full-text index for a search).
        indexes = [models.Index(fields=["start"], name="meeting_start_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=F("start")),
                name="meeting_ends_after_start",
                violation_error_message="The meeting must end after it starts.",
            ),
            models.CheckConstraint(
                condition=Q(has_start_time=True) | Q(end__isnull=True),
                name="meeting_without_start_time_has_no_end",
                violation_error_message="Give the start time with the end time.",
            ),
            models.CheckConstraint(
                condition=~Q(numbering="minutes") | Q(first_minute_number__isnull=False),
                name="meeting_minutes_have_first_number",
                violation_error_message="Minute numbering needs the number of the first item.",
            ),
        ]
        permissions = [
            ("edit_note", "Can edit draft meeting notes"),
            ("submit_note", "Can submit a note for signature"),
            ("sign_note", "Can sign or return a submitted note"),
            ("publish_note", "Can publish a signed note"),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.start)
        return f"{self.title}, {local:%-d %B %Y}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            self._refuse_changes_to_signed_note()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting-detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if not self.has_start_time and self.start is not None:
            local = timezone.localtime(self.start)
            if (local.hour, local.minute, local.second, local.microsecond) != (0, 0, 0, 0):
                raise ValidationError(
                    {"start": "Without a start time, the meeting starts at midnight of its day."}
                )

    @property
    def date(self):
        """The day of the meeting (UK time)."""
        return timezone.localtime(self.start).date()

    @property
    def start_time(self):
        """The time the meeting started (UK time), or None when its record gives none."""
        return timezone.localtime(self.start).time() if self.has_start_time else None

    @property
    def style(self) -> PrintStyle:
        """How the note is printed: as signed, or in its body's current style."""
        if self.printed_style:
            return PrintStyle.from_dict(self.printed_style)
        return self.body.print_style

    def delete(self, *args, **kwargs):
        if Meeting.objects.filter(pk=self.pk, status__in=FROZEN_STATUSES).exists():
            raise NoteFrozen("A signed note cannot be deleted.")
        return super().delete(*args, **kwargs)

    def _refuse_changes_to_signed_note(self) -> None:
        stored = Meeting._base_manager.filter(pk=self.pk).first()
        if stored is None or stored.status not in FROZEN_STATUSES:
            return
        changed = {
            field.attname
            for field in self._meta.concrete_fields
            if getattr(stored, field.attname) != getattr(self, field.attname)
        }
        changeable = self.FIELDS_CHANGEABLE_WHEN_SIGNED
        if not stored.pdf_sha256:
            # The signing's job records the stored PDF's hash, once.
            changeable = changeable | self.FIELDS_SET_ONCE_WHEN_SIGNED
        if not stored.search_text:
            # Publishing records what the public search reads, once.
            changeable = changeable | {"search_text"}
        if changed - changeable:
            raise NoteFrozen(
                "This note has been signed: it can no longer change "
                f"(attempted: {', '.join(sorted(changed))})."
            )
        if self.status not in FROZEN_STATUSES:
            raise NoteFrozen("A signed note cannot go back to draft; start a revision instead.")

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_frozen(self) -> bool:
        return self.status in FROZEN_STATUSES

    def item_label(self, index: int) -> str:
        """The label of the item at zero-based ``index`` under this meeting's numbering."""
        if self.numbering == self.Numbering.NUMBERS:
            return f"{index + 1}."
        if self.numbering == self.Numbering.MINUTES:
            return f"{(self.first_minute_number or 1) + index}."
        return f"{_letters(index)})"


def _letters(index: int) -> str:
    """a, b, … z, aa, ab, … as notes letter their items."""
    label = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        label = chr(ord("a") + remainder) + label
    return label


class Attendance(NoteContent):
    class Kind(models.TextChoices):
        PRESENT = "present", "Present"
        IN_ATTENDANCE = "in_attendance", "In attendance"
        APOLOGIES = "apologies", "Apologies"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attendances")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PRESENT)
    role = models.CharField(
        max_length=300,
        blank=True,
        help_text='The role held at this meeting, e.g. "Chief Constable, Lancashire Constabulary".',
    )
    is_chair = models.BooleanField("chaired the meeting", default=False)
    is_note_taker = models.BooleanField("took the note", default=False)
    on_behalf_of = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="represented_at",
        help_text="The person this attendee stood in for, if any.",
    )
    position = models.PositiveIntegerField(default=0)
    # The names as the signed note printed them: a person renamed later (a promotion, a
    # marriage) does not change a signed note. Empty until signing; drafts show today's names.
    signed_name = models.CharField(max_length=200, blank=True, editable=False)
    signed_on_behalf_of_name = models.CharField(max_length=200, blank=True, editable=False)
    signed_initials = models.CharField(max_length=10, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta(NoteContent.Meta):
        ordering = ["meeting", "position", "id"]
        verbose_name_plural = "attendance"
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                name="attendance_person_once_per_meeting",
                violation_error_message="This person is already listed at this meeting.",
            ),
            models.UniqueConstraint(
                fields=["meeting"],
                condition=Q(is_chair=True),
                name="attendance_one_chair_per_meeting",
                violation_error_message="Another person already chairs this meeting.",
            ),
            models.CheckConstraint(
                condition=~Q(kind="apologies") | (Q(is_chair=False) & Q(is_note_taker=False)),
                name="attendance_absent_neither_chair_nor_note_taker",
                violation_error_message="Someone who sent apologies cannot chair or take the note.",
            ),
            models.CheckConstraint(
                condition=~Q(on_behalf_of=F("person")),
                name="attendance_not_on_own_behalf",
                violation_error_message="A person cannot attend on their own behalf.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.role}" if self.role else self.name

    @property
    def name(self) -> str:
        return self.signed_name or self.person.name

    @property
    def initials(self) -> str:
        return self.signed_initials if self.signed_name else self.person.initials

    @property
    def on_behalf_of_name(self) -> str:
        if self.signed_on_behalf_of_name:
            return self.signed_on_behalf_of_name
        return self.on_behalf_of.name if self.on_behalf_of_id else ""


class PreviousOutcome(models.TextChoices):
    APPROVED = "approved", "Approved"
    AMENDED = "approved_with_amendments", "Approved with amendments"
    NOT_APPROVED = "not_approved", "Not approved (to be resubmitted)"


class AgendaItem(NoteContent):
    PreviousOutcome = PreviousOutcome

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=300)
    narrative = models.TextField(
        blank=True,
        help_text="The note of the discussion, in Markdown: blank lines between paragraphs, "
        '"1." for numbered lists, "###" for a sub-heading.',
    )
    assurance_statement = models.TextField(
        blank=True, help_text="The Commissioner's conclusion on this item, if one was given."
    )
    is_restricted = models.BooleanField(
        "restricted",
        default=False,
        help_text="Held in closed session: the public note shows only that it was considered.",
    )
    exemption = models.CharField(
        max_length=300, blank=True, help_text='For example "s.40 personal information".'
    )
    # The standard item that approves the record of the previous meeting of the body.
    previous_meeting = models.ForeignKey(
        "Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approved_under",
        help_text="The earlier meeting of the body whose record this item approves.",
    )
    previous_outcome = models.CharField(
        "outcome", max_length=30, choices=PreviousOutcome.choices, blank=True
    )
    previous_outcome_note = models.TextField(
        "amendments or reasons",
        blank=True,
        help_text="The amendments made, or why the record was not approved.",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(excluded_fields=["updated_at"])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(NoteContent.Meta):
        ordering = ["meeting", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(title=""),
                name="agenda_item_has_title",
                violation_error_message="An item needs a title.",
            ),
            models.CheckConstraint(
                condition=Q(is_restricted=False) | ~Q(exemption=""),
                name="agenda_item_restricted_has_exemption",
                violation_error_message="A restricted item needs the exemption it was held under.",
            ),
            models.CheckConstraint(
                condition=~Q(previous_meeting=F("meeting")),
                name="agenda_item_previous_meeting_is_another",
                violation_error_message="An item cannot approve the record of its own meeting.",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Decision(NoteContent):
    """A formal resolution recorded under an item ("RESOLVED: …")."""

    meeting_path = "item__meeting"

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="decisions")
    position = models.PositiveIntegerField(default=0)
    text = models.TextField(help_text="The resolution as recorded, in Markdown.")
    notice_reference = models.CharField(
        "decision notice",
        max_length=100,
        blank=True,
        help_text="Reference of the published decision notice, if any.",
    )
    notice_url = models.URLField("decision notice link", blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta(NoteContent.Meta):
        ordering = ["item", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(text=""),
                name="decision_has_text",
                violation_error_message="A decision needs its text.",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class AuditEvent(models.Model):
    """An explicit record, written by a service, of who did what to a note and when."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verb = models.CharField(max_length=50)
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit_events"
    )
    summary = models.CharField(max_length=500)
    extra = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.verb}: {self.summary}"


class NoteTransition(models.Model):
    """One step of a note's sign-off: who moved it from which status to which, when, and why."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=Meeting.Status.choices)
    to_status = models.CharField(max_length=20, choices=Meeting.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = SignalledQuerySet.as_manager()  # the last step tells a returned note (My work)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"

    @property
    def is_return(self) -> bool:
        return (
            self.from_status == Meeting.Status.SUBMITTED and self.to_status == Meeting.Status.DRAFT
        )


class NarrativeDraft(models.Model):
    """What someone typed into an item's editor and has not saved yet, kept by autosave.

    It is offered back when they open the editor again (after a crash, a closed tab or an
    expired session) and removed once they save or discard it. It never changes the note.
    """

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="drafts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="narrative_drafts"
    )
    title = models.CharField(max_length=300, blank=True)
    narrative = models.TextField(blank=True)
    assurance_statement = models.TextField(blank=True)
    base_version = models.PositiveIntegerField(
        help_text="The version of the item the text was typed over."
    )
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "author"], name="one_draft_per_item_author")
        ]

    def __str__(self) -> str:
        return f"Unsaved text of {self.author} for {self.item}"


class NoteSnapshot(models.Model):
    """The note's printed content as someone was shown it, kept under its SHA-256.

    The signatory signs the exact draft they read: the sign page records what it showed, its
    form carries the hash, and signing refuses (showing what changed) if the note no longer
    hashes the same.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="snapshots")
    sha256 = models.CharField(max_length=64)
    content = models.JSONField()
    shown_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "sha256"], name="one_snapshot_per_content")
        ]

    def __str__(self) -> str:
        return f"{self.meeting} as shown at {self.shown_at:%Y-%m-%d %H:%M}"
