"""Forces, offence categories, crime counts, populations and most similar groups.

Reference data (forces, categories, codes) comes from the data files the app ships and is
editable in the admin; nothing here hard-codes a force or an offence.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class Force(models.Model):
    """A territorial police force, known by its ONS police force area code."""

    class Country(models.TextChoices):
        ENGLAND = "England", "England"
        WALES = "Wales", "Wales"

    code = models.CharField(
        "ONS code", max_length=9, unique=True, help_text="ONS police force area code."
    )
    name = models.CharField(max_length=100, unique=True, help_text="The ONS name.")
    country = models.CharField(max_length=10, choices=Country.choices)
    police_uk_id = models.CharField(
        "police.uk id", max_length=50, blank=True, help_text="As in police.uk URLs and files."
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["police_uk_id"],
                condition=~Q(police_uk_id=""),
                name="force_unique_police_uk_id",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ForceAlias(models.Model):
    """Another name a source uses for a force ("Devon and Cornwall", "Lancashire Constabulary")."""

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=150, unique=True)
    used_by = models.CharField(max_length=200, blank=True, help_text="Which source uses it.")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "force aliases"

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    """Something crime is counted or compared by.

    Counts are stored against *base* categories (offence subgroups, police.uk crime types,
    force-defined categories); groups and named combinations are sums of subgroups.
    """

    class Kind(models.TextChoices):
        COMBINATION = "combination", "Named combination"
        GROUP = "group", "Offence group"
        SUBGROUP = "subgroup", "Offence subgroup"
        POLICE_UK = "police_uk", "police.uk crime type"
        FORCE_DEFINED = "force_defined", "Force-defined category"

    BASE_KINDS = (Kind.SUBGROUP, Kind.POLICE_UK, Kind.FORCE_DEFINED)

    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=160, unique=True)
    description = models.TextField(blank=True)
    group = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subgroups",
        limit_choices_to={"kind": "group"},
        help_text="For an offence subgroup: its offence group.",
    )
    components = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="combinations",
        limit_choices_to={"kind__in": ["subgroup", "police_uk", "force_defined"]},
        help_text="For a named combination: the categories it adds up.",
    )
    police_uk_slug = models.SlugField(
        "police.uk API slug", max_length=60, blank=True, help_text="For a police.uk crime type."
    )
    defined_by = models.ForeignKey(
        Force,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="defined_categories",
        help_text="For a force-defined category: the force whose extract supplies it.",
    )
    position = models.PositiveIntegerField(default=0, help_text="Order on the dashboard.")
    is_compared = models.BooleanField(
        "shown in comparisons", default=True, help_text="Untick to leave it off the dashboard."
    )
    is_comparable = models.BooleanField(
        "comparable between forces",
        default=True,
        help_text="Untick for figures forces do not record alike: they are shown but never "
        "ranked, never red and never proposed for an exception report.",
    )
    comparability_note = models.CharField(
        max_length=300,
        blank=True,
        help_text="Why the figures are not comparable, as the pages show it. Set by the "
        "reference data loader from the classification (force-recorded fraud); the loader "
        "leaves a category with a note alone.",
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="category_unique_kind_name"),
            models.CheckConstraint(
                condition=Q(kind="subgroup", group__isnull=False)
                | (~Q(kind="subgroup") & Q(group__isnull=True)),
                name="category_only_subgroups_have_a_group",
                violation_error_message="A subgroup needs its group; nothing else has one.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_derived(self) -> bool:
        """A total of other categories: its figures are never stored, always added up."""
        return self.kind in (self.Kind.GROUP, self.Kind.COMBINATION)


class CategoryAlias(models.Model):
    """Another name for a category, e.g. after a rename between releases."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=150)
    used_by = models.CharField(max_length=200, blank=True, help_text="Which source uses it.")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "category aliases"
        constraints = [
            models.UniqueConstraint(fields=["category", "name"], name="category_alias_unique")
        ]

    def __str__(self) -> str:
        return self.name


class OffenceCode(models.Model):
    """A Home Office offence code and the subgroup it is counted under.

    A code may appear under more than one subgroup over the years (harassment moved from
    "Violence without injury" to "Stalking and harassment"), so the code alone is not unique.
    """

    code = models.CharField(max_length=30, db_index=True)
    description = models.CharField(max_length=300)
    subgroup = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        related_name="offence_codes",
        limit_choices_to={"kind": "subgroup"},
    )

    class Meta:
        ordering = ["code", "description"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "subgroup", "description"], name="offence_code_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.description}"


class OffenceDefinition(models.Model):
    """An offence code counted under a subgroup in one financial year.

    The Home Office moves codes between subgroups (harassment, 8L and 8M, was counted under
    "Violence without injury" in 2012/13 and under "Stalking and harassment" from 2013/14); a
    change, trend or rank across such a move is not like for like. Recorded from the
    code-level (long-format) Home Office tables.
    """

    financial_year = models.PositiveSmallIntegerField(
        help_text="The year the financial year starts in: 2013 for 2013/14."
    )
    subgroup = models.ForeignKey(
        Category,
        on_delete=models.CASCADE,
        related_name="definitions",
        limit_choices_to={"kind": "subgroup"},
    )
    code = models.CharField(max_length=30)
    description = models.CharField(max_length=300)
    release = models.ForeignKey(
        "Release", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["financial_year", "subgroup", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["financial_year", "subgroup", "code"], name="offence_definition_unique"
            )
        ]

    def __str__(self) -> str:
        year = self.financial_year
        return f"{year}/{(year + 1) % 100:02d}: {self.code} under {self.subgroup}"


class DataSource(models.Model):
    """A publisher's series: Home Office PRC tables, police.uk, a force's extract, ONS."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    publisher = models.CharField(max_length=200, blank=True)
    url = models.URLField(blank=True)
    licence = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Release(models.Model):
    """One imported file (or set of files) of a source: what it was, who imported it, when.

    Each import is recorded here with what it changed; it is the audit trail of the data.
    """

    source = models.ForeignKey(DataSource, on_delete=models.PROTECT, related_name="releases")
    label = models.CharField(max_length=200, help_text='E.g. "19 October 2023".')
    file_name = models.CharField(max_length=500)
    sha256 = models.CharField(max_length=64, db_index=True)
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.source}: {self.label}"


class CrimeCount(models.Model):
    """Crimes recorded by a force in a category over a month or a quarter, from one source.

    Within a (source, force, period) that a release covers, a category without a row had no
    crimes. Counts can be negative: releases carry reclassifications.
    """

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="crime_counts")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="crime_counts")
    source = models.ForeignKey(DataSource, on_delete=models.PROTECT, related_name="crime_counts")
    release = models.ForeignKey(
        Release,
        on_delete=models.PROTECT,
        related_name="crime_counts",
        help_text="The release that gave this figure.",
    )
    period_start = models.DateField()
    period_end = models.DateField()
    months = models.PositiveSmallIntegerField(help_text="Months the period spans: 1 or 3.")
    count = models.IntegerField()

    class Meta:
        ordering = ["period_start", "force", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "force", "category", "period_start", "period_end"],
                name="crime_count_unique_key",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gt=F("period_start")),
                name="crime_count_period_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(months__gte=1, months__lte=12), name="crime_count_months_in_range"
            ),
        ]
        indexes = [models.Index(fields=["period_start", "period_end"], name="crime_count_period")]
        permissions = [
            ("view_performance", "Can view performance comparisons"),
            ("import_data", "Can import performance data"),
        ]

    def __str__(self) -> str:
        return f"{self.force_id}/{self.category_id} {self.period_start:%Y-%m}: {self.count}"


class OffenceCodeCount(models.Model):
    """Crimes recorded by a force under one offence code in a quarter (long-format tables).

    Kept so that a figure can be recomputed on another year's definition of its subgroup.
    """

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    subgroup = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=30)
    source = models.ForeignKey(DataSource, on_delete=models.PROTECT, related_name="+")
    release = models.ForeignKey(Release, on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField()
    period_end = models.DateField()
    count = models.IntegerField()

    class Meta:
        ordering = ["period_start", "force", "subgroup", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "force", "subgroup", "code", "period_start", "period_end"],
                name="offence_code_count_unique_key",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gt=F("period_start")),
                name="offence_code_count_period_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.force_id}/{self.code} {self.period_start:%Y-%m}: {self.count}"


class Population(models.Model):
    """The mid-year (30 June) resident population of a force area."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="populations")
    year = models.PositiveSmallIntegerField(help_text="Mid-year: the estimate for 30 June.")
    population = models.PositiveIntegerField()
    source = models.ForeignKey(DataSource, on_delete=models.PROTECT, related_name="populations")
    vintage = models.CharField(
        max_length=200, help_text='The edition of the estimates, e.g. "MYE23 (July 2024)".'
    )
    release = models.ForeignKey(
        Release, null=True, blank=True, on_delete=models.PROTECT, related_name="populations"
    )

    class Meta:
        ordering = ["force", "year"]
        constraints = [
            models.UniqueConstraint(fields=["force", "year"], name="population_unique_force_year"),
            models.CheckConstraint(condition=Q(population__gt=0), name="population_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.force} mid-{self.year}: {self.population:,}"


class PeerGroup(models.Model):
    """A force's most similar forces, in order, as published or as computed by the portal."""

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="peer_groups")
    valid_from = models.DateField(help_text="The date from which the group applies.")
    source = models.CharField(
        max_length=300, help_text='Who published it, e.g. "Home Office iQuanta, 2019".'
    )
    is_computed = models.BooleanField(
        default=False, help_text="Computed by the portal, not an official most similar group."
    )
    method = models.TextField(blank=True, help_text="For a computed group: how it was computed.")
    release = models.ForeignKey(
        Release, null=True, blank=True, on_delete=models.SET_NULL, related_name="peer_groups"
    )

    class Meta:
        ordering = ["force", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["force", "valid_from", "is_computed"], name="peer_group_unique"
            )
        ]

    def __str__(self) -> str:
        kind = "computed peer group" if self.is_computed else "most similar group"
        return f"{self.force}: {kind} from {self.valid_from:%-d %B %Y}"


class PeerGroupMember(models.Model):
    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="members")
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["group", "position"]
        constraints = [
            models.UniqueConstraint(fields=["group", "position"], name="peer_member_position"),
            models.UniqueConstraint(fields=["group", "force"], name="peer_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.force}"


def pending_import_path(instance: PendingImport, filename: str) -> str:
    """Where an upload waits: named by its id, never by what the uploader called it."""
    return f"performance/pending-imports/{instance.pk}.upload"


class PendingImport(models.Model):
    """An uploaded file waiting for its preview to be confirmed.

    The file is kept in Django's default storage, not on one server's disk when object
    storage is configured, so that the confirmation can reach any app server; the preview and
    the import read it back as a stream. Discarding or applying the import deletes it.
    """

    class Kind(models.TextChoices):
        PRC = "prc", "Home Office police recorded crime (open data table)"
        POLICE_UK = "policeuk", "police.uk street-level crime (CSV or zip)"
        MONTHLY = "monthly", "Force monthly extract (force, month, category, count)"
        POPULATION = "population", "Mid-year population by force area"
        PEER_GROUPS = "msg", "Most similar groups"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    file_name = models.CharField(max_length=500, help_text="The name it was uploaded under.")
    file = models.FileField(upload_to=pending_import_path, max_length=200)
    size = models.PositiveBigIntegerField(default=0, help_text="Bytes, as uploaded.")
    options = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.file_name}"


class DataVersion(models.Model):
    """One row counting changes to the performance data (imports, reference data, peer
    groups), bumped in the transaction that makes them: what is computed from the data (the
    dashboard's comparison, charts) is cached under this number, in any process."""

    number = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Performance data version {self.number}"
