"""Actions that change performance data: loading the shipped data, computing peer groups,
and the staff upload of a file (kept in Django's default storage between its preview and
confirmation).

Each writes in one transaction; the imports record who did what in a ``Release``. An import
reads and checks its file before, outside any transaction, so that a long file never holds
up anyone else's saves.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from jobs.models import Job
from jobs.services import JobRefused, job_enqueue, job_result_save

from .importers import (
    ImportFile,
    ImportOutcome,
    import_apply,
    import_plan,
    import_read,
    pending_import_file,
    preview_lines,
)
from .importers.base import ImportRejected, files_sha256, import_turn
from .importers.crime import crime_counts_import, crime_files_parse, offence_definitions_record
from .importers.population import population_import
from .importers.reference import (
    DATA_DIR,
    category_aliases_load,
    classification_load,
    forces_load,
    named_categories_load,
    police_uk_types_load,
)
from .models import (
    Category,
    DataVersion,
    Force,
    PeerGroup,
    PeerGroupMember,
    PendingImport,
    Release,
)
from .periods import Period
from .selectors import comparison as comparisons
from .selectors import reference

IMPORT_PERMISSION = "performance.import_data"
VIEW_PERMISSION = "performance.view_performance"

SHIPPED_CRIME_FILE = "prc_pfa_quarterly_by_subgroup_2012-13_to_2023-24q1.csv.gz"
SHIPPED_CRIME_RELEASE = "19 October 2023 (prc-pfa-mar2013-onwards-tables-191023)"
# The same release by offence code for Lancashire: which codes each subgroup held in each
# financial year, and the code-level figures to recompute a change on one definition.
SHIPPED_DETAILED_FILE = "prc_pfa_detailed_lancashire_2012-13_to_2023-24q1.csv.gz"
SHIPPED_DETAILED_RELEASE = SHIPPED_CRIME_RELEASE + ", Lancashire by offence code"
SHIPPED_POPULATION_FILE = "pfa_population_mid_year.csv"
SHIPPED_POPULATION_VINTAGE = (
    "ONS MYE23 (July 2024), summed from local authority districts to force areas"
)
# The category whose subgroups make up a force's crime profile for computed peer groups.
PEER_PROFILE = "total-recorded-crime-excluding-fraud"
PENDING_IMPORT_LIFETIME = dt.timedelta(days=1)


# Shipped data --------------------------------------------------------------------------------


def _already_imported(source_slug: str, files: list[ImportFile]) -> bool:
    return Release.objects.filter(source__slug=source_slug, sha256=files_sha256(files)).exists()


def reference_data_load(*, with_crime: bool = True, with_peer_groups: bool = True) -> list[str]:
    """Load the data the app ships: forces, classification, categories, populations, crime.

    Safe to run again: what is present is left alone, and a shipped file already imported is
    not read again. Returns one line per step, for the command's output. All in one
    transaction, taken after this import's turn (as every import does: never the other way
    round, or an import waiting for the database could hold up one waiting for its turn).
    """
    with import_turn(), transaction.atomic():
        return _reference_data_load(with_crime=with_crime, with_peer_groups=with_peer_groups)


def _reference_data_load(*, with_crime: bool, with_peer_groups: bool) -> list[str]:
    lines = [str(forces_load())]
    lines += [str(loaded) for loaded in classification_load()]
    lines.append(str(named_categories_load()))
    lines.append(str(category_aliases_load()))
    lines.append(str(police_uk_types_load()))
    populations = [ImportFile.from_path(DATA_DIR / SHIPPED_POPULATION_FILE)]
    if _already_imported("ons-population", populations):
        lines.append("Populations: already loaded")
    else:
        _, description = population_import(files=populations, vintage=SHIPPED_POPULATION_VINTAGE)
        lines.append(f"Populations: {description}")
    crime_loaded = False
    if with_crime:
        for file_name, label, what in (
            (SHIPPED_CRIME_FILE, SHIPPED_CRIME_RELEASE, "Police recorded crime"),
            (SHIPPED_DETAILED_FILE, SHIPPED_DETAILED_RELEASE, "Police recorded crime by code"),
        ):
            files = [ImportFile.from_path(DATA_DIR / file_name)]
            if _already_imported("home-office-prc", files):
                lines.append(f"{what}: already loaded")
                continue
            result = crime_counts_import(format="prc", files=files, release_label=label)
            crime_loaded = crime_loaded or file_name == SHIPPED_CRIME_FILE
            lines.append(f"{what}: {result.description}")
    else:
        lines.append(offence_definitions_load())
    if with_peer_groups:
        if crime_loaded or not PeerGroup.objects.filter(is_computed=True).exists():
            lines.append(peer_groups_compute_yearly())
        else:
            lines.append("Computed peer groups: already computed")
    return lines


def offence_definitions_load() -> str:
    """Which codes each subgroup held in each financial year, from the shipped long-format
    table, without its figures (for an installation that loads reference data only)."""
    parsed = crime_files_parse(
        format="prc", files=[ImportFile.from_path(DATA_DIR / SHIPPED_DETAILED_FILE)]
    )
    added = offence_definitions_record(definitions=parsed.definitions)
    present = len(parsed.definitions) - added
    return f"Offence definitions by financial year: {added} added, {present} already present"


# Computed peer groups ------------------------------------------------------------------------


@dataclass(frozen=True)
class ComputedGroups:
    period: Period
    valid_from: dt.date
    groups: dict[int, list[int]]  # force id → nearest force ids, nearest first
    method: str
    created: int
    changed: int
    unchanged: int


def _standardised(
    vectors: dict[int, list[float]], reference: dict[int, list[float]]
) -> dict[int, list[float]]:
    """Each dimension as z-scores on the ``reference`` forces' scale; constant ones dropped."""
    scales = []
    for dim in range(len(next(iter(reference.values())))):
        values = [vector[dim] for vector in reference.values()]
        mean = sum(values) / len(values)
        spread = math.sqrt(sum((value - mean) ** 2 for value in values) / len(values))
        if spread > 0:
            scales.append((dim, mean, spread))
    return {
        force: [(vector[dim] - mean) / spread for dim, mean, spread in scales]
        for force, vector in vectors.items()
    }


@transaction.atomic
def peer_groups_compute(
    *,
    period: Period,
    size: int | None = None,
    valid_from: dt.date | None = None,
    profile: str = PEER_PROFILE,
) -> ComputedGroups:
    """Propose each force's nearest forces by crime profile, as *computed* peer groups.

    The measure: Euclidean distance between forces' rates per 1,000 population for each
    offence subgroup of ``profile`` over ``period``, each subgroup standardised across forces
    (z-scores) so that large and small categories weigh the same. Forces in
    PERFORMANCE_PEER_EXCLUDED_FORCES are never proposed. It is a statistical neighbour list,
    not a Home Office most similar group, and is always labelled as computed.
    """
    size = size or settings.PERFORMANCE_PEER_GROUP_SIZE
    valid_from = valid_from or period.end + dt.timedelta(days=1)
    profile_category = Category.objects.filter(slug=profile).first()
    if profile_category is None:
        raise ValueError(f"no category {profile!r} to take the crime profile from")
    comparison = comparisons.comparison_build(
        force=Force.objects.order_by("code").first(),
        period=period,
        category_slugs=[
            *Category.objects.filter(pk__in=profile_category.components.values("pk")).values_list(
                "slug", flat=True
            ),
            *Category.objects.filter(group=profile_category).values_list("slug", flat=True),
        ],
    )
    dims = [row for row in comparison.rows if all(f.rate is not None for f in row.forces)]
    if not dims:
        raise ValueError(f"no complete figures for every force for the {period.label}")
    codes = {force.code: force.pk for force in Force.objects.all()}
    vectors = {
        codes[figure.code]: [row.forces[i].rate for row in dims]
        for i, figure in enumerate(dims[0].forces)
    }
    excluded = {codes[code] for code in settings.PERFORMANCE_PEER_EXCLUDED_FORCES if code in codes}
    candidates = {pk: vector for pk, vector in vectors.items() if pk not in excluded}
    # Excluded forces still get neighbours, measured on the candidates' scale.
    z = _standardised(vectors, reference=candidates)
    names = dict(Force.objects.values_list("id", "name"))
    groups: dict[int, list[int]] = {}
    for pk, vector in z.items():
        distances = sorted(
            (math.dist(vector, z[other]), names[other], other)
            for other in candidates
            if other != pk
        )
        groups[pk] = [other for _, _, other in distances[:size]]
    excluded_names = ", ".join(sorted(names[pk] for pk in excluded))
    method = (
        f"The {size} forces nearest by crime profile: Euclidean distance between the forces' "
        f"rates per 1,000 population for the {len(dims)} offence subgroups of "
        f"\u201c{profile_category.name}\u201d, each standardised across forces (z-scores), "
        f"{period.label} ({dims[0].source}), {comparison.population_year_note.split(',')[0]} "
        f"populations."
        + (f" Never proposed: {excluded_names}." if excluded_names else "")
        + " Computed by the portal, not published by the Home Office."
    )
    source = f"Computed by the portal from {dims[0].source}, {period.label}"
    created = changed = unchanged = 0
    held = {
        group.force_id: group
        for group in PeerGroup.objects.filter(
            is_computed=True, valid_from=valid_from
        ).prefetch_related("members")
    }
    new_members = []
    for pk, members in groups.items():
        group = held.get(pk)
        if group is not None:
            current = [member.force_id for member in group.members.all()]
            if current == members and group.method == method and group.source == source:
                unchanged += 1
                continue
            group.members.all().delete()
            group.method, group.source = method, source
            group.save(update_fields=["method", "source"])
            changed += 1
        else:
            group = PeerGroup.objects.create(
                force_id=pk, valid_from=valid_from, source=source, is_computed=True, method=method
            )
            created += 1
        new_members += [
            PeerGroupMember(group=group, force_id=member, position=position)
            for position, member in enumerate(members, start=1)
        ]
    PeerGroupMember.objects.bulk_create(new_members)
    return ComputedGroups(period, valid_from, groups, method, created, changed, unchanged)


def peer_groups_compute_yearly(
    *, size: int | None = None, progress: Callable[[int, str], None] | None = None
) -> str:
    """Computed groups from every complete financial year (April–March) the data cover, each
    year in its own transaction (``progress`` told after each)."""
    anchor = reference.home_force() or Force.objects.order_by("code").first()
    if anchor is None:
        return "Computed peer groups: no forces"
    years = [p for p in comparisons.complete_periods(force=anchor) if p.end_month == 3]
    created = changed = unchanged = 0
    for done, period in enumerate(years, start=1):
        result = peer_groups_compute(period=period, size=size)
        if progress is not None:
            progress(5 + 90 * done // len(years), f"Computed the {period.label}.")
        created += result.created
        changed += result.changed
        unchanged += result.unchanged
    return (
        f"Computed peer groups for {len(years)} financial year(s): {created} added, "
        f"{changed} changed, {unchanged} unchanged"
    )


# Staff uploads -------------------------------------------------------------------------------


def _require_import(user: AbstractBaseUser) -> None:
    if not user.has_perm(IMPORT_PERMISSION):
        raise PermissionDenied("You do not have permission to import performance data.")


def pending_import_store(
    *,
    user: AbstractBaseUser,
    kind: str,
    upload: File,
    options: dict[str, Any],
) -> PendingImport:
    """Keep an uploaded file and its record, not yet checked (its check job reads it).

    The file goes to Django's default storage (S3 when configured, so that any app server or
    worker can check it, show the preview and apply it); only the record is written in a
    transaction. Uploads left unconfirmed for a day are discarded.
    """
    _require_import(user)
    limit = settings.PERFORMANCE_UPLOAD_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationError(f"The file is larger than {limit // (1024 * 1024)} MB.")
    name = Path(upload.name or "upload").name
    pending = PendingImport(
        kind=kind,
        file_name=name[: PendingImport._meta.get_field("file_name").max_length],
        size=upload.size,
        options=options,
        created_by=user,
    )
    pending.file.save(name, upload, save=False)
    try:
        with transaction.atomic():
            _pending_imports_expire()
            pending.save()
    except BaseException:
        pending.file.delete(save=False)
        raise
    return pending


def pending_import_create(
    *,
    user: AbstractBaseUser,
    kind: str,
    upload: File,
    options: dict[str, Any],
) -> PendingImport:
    """Keep an uploaded file and check it at once, in this process; raises ImportRejected if
    it is bad (and keeps nothing). The pages check it in a job instead (import_check_enqueue).
    """
    pending = pending_import_store(user=user, kind=kind, upload=upload, options=options)
    try:
        import_read(kind=kind, files=[pending_import_file(pending)], options=options)
    except BaseException:
        with transaction.atomic():
            pending_imports_delete([pending])
        raise
    return pending


def _pending_imports_expire() -> None:
    expired = PendingImport.objects.filter(created_at__lt=timezone.now() - PENDING_IMPORT_LIFETIME)
    pending_imports_delete(list(expired))


def pending_imports_delete(pending: list[PendingImport]) -> None:
    """Delete the records now and their files once the transaction has committed (the admin
    uses it too)."""
    PendingImport.objects.filter(pk__in=[each.pk for each in pending]).delete()
    files = [(each.file.storage, each.file.name) for each in pending if each.file]

    def delete_files() -> None:
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(delete_files)


def _check_owner(user: AbstractBaseUser, pending: PendingImport, action: str) -> None:
    _require_import(user)
    if pending.created_by_id != user.pk:
        raise PermissionDenied(f"Only the person who uploaded a file can {action} its import.")


def pending_import_apply(
    *,
    user: AbstractBaseUser,
    pending: PendingImport,
    record: Callable[[ImportOutcome], None] | None = None,
) -> ImportOutcome:
    """Apply a previewed upload (the plan is worked out again against the data as they are now).

    The file is read and checked first, with no transaction and before this import's turn;
    then, in its turn, the plan (reads) and the writes (one short transaction). The upload is
    discarded afterwards, in one transaction with ``record(outcome)`` (its job's outcome), so
    that a retry finds either the upload or the outcome: applying it twice would change
    nothing, as for any import.
    """
    _check_owner(user, pending, "confirm")
    read = import_read(
        kind=pending.kind, files=[pending_import_file(pending)], options=pending.options
    )
    with import_turn():
        plan = import_plan(read=read)
        outcome = import_apply(kind=pending.kind, plan=plan, options=pending.options, user=user)
    with transaction.atomic():
        if record is not None:
            record(outcome)
        pending_imports_delete([pending])
    return outcome


@transaction.atomic
def pending_import_discard(*, user: AbstractBaseUser, pending: PendingImport) -> None:
    _check_owner(user, pending, "cancel")
    pending_imports_delete([pending])


# Imports and peer groups as jobs -------------------------------------------------------------
# The check (read, check, preview) and the apply of an upload, and the peer groups'
# computation, run as jobs (jobs/): on a worker when a broker is configured, else in-process.
# Each is safe to run again: the check only reads (and on a bad file deletes the upload, with
# its problems kept on the job), the apply keeps its outcome with the upload's deletion, and
# the peer groups computed again from the same data are unchanged.

UPLOAD_GONE = (
    "The uploaded file is no longer there (cancelled, or left for a day); nothing was imported."
)


def _rejected_message(count: int) -> str:
    return f"Nothing was imported: {count} problem{'s' if count != 1 else ''} found in the file."


def _rejected_result(rejected: ImportRejected) -> dict:
    return {"problems": [asdict(problem) for problem in rejected.problems], "count": rejected.count}


def _refuse_upload(job: Job, pending: PendingImport, rejected: ImportRejected) -> JobRefused:
    """Keep the problems on the job and discard the upload, together."""
    with transaction.atomic():
        job_result_save(job, _rejected_result(rejected))
        Job.objects.filter(pk=job.pk).update(result_url=reverse("performance:import-upload"))
        pending_imports_delete([pending])
    return JobRefused(_rejected_message(rejected.count))


def import_check_enqueue(*, user: AbstractBaseUser, pending: PendingImport) -> Job:
    """The job checking an upload and working out its preview (one per upload)."""
    from . import tasks

    _check_owner(user, pending, "check")
    return job_enqueue(
        kind=Job.Kind.IMPORT_CHECK,
        key=f"import-check:{pending.pk}",
        user=user,
        task=tasks.import_check,
        arguments={"pending": str(pending.pk)},
        message=f"Waiting to check {pending.file_name}.",
        result_url=reverse("performance:import-preview", args=[pending.pk]),
    )


def import_check_work(*, job: Job, progress) -> str:
    pending = PendingImport.objects.filter(pk=job.arguments["pending"]).first()
    if pending is None:
        if "count" in job.result:  # refused before the worker stopped
            raise JobRefused(_rejected_message(job.result["count"]))
        raise JobRefused(UPLOAD_GONE)
    progress(10, f"Reading and checking {pending.file_name}.")
    try:
        read = import_read(
            kind=pending.kind, files=[pending_import_file(pending)], options=pending.options
        )
        progress(60, "Working out what the file would change.")
        plan = import_plan(read=read)
        lines = preview_lines(kind=pending.kind, plan=plan)
    except ImportRejected as rejected:
        raise _refuse_upload(job, pending, rejected) from None
    description = plan.describe()
    job_result_save(
        job,
        {
            "description": description,
            "has_changes": plan.has_changes,
            "lines": [asdict(line) for line in lines],
        },
    )
    return f"{pending.file_name} was checked: {description}"


def import_apply_enqueue(*, user: AbstractBaseUser, pending: PendingImport) -> Job:
    """The job applying a previewed upload (one per upload: a second confirmation, or a
    retried request, is the same job)."""
    from . import tasks

    _check_owner(user, pending, "confirm")
    return job_enqueue(
        kind=Job.Kind.IMPORT_APPLY,
        key=f"import-apply:{pending.pk}",
        user=user,
        task=tasks.import_apply,
        arguments={"pending": str(pending.pk)},
        message=f"Waiting to import {pending.file_name}.",
        result_url=reverse("performance:import-list"),
    )


def import_apply_work(*, job: Job, progress) -> str:
    if "outcome" in job.result:  # applied before the worker stopped
        return job.result["outcome"]
    pending = PendingImport.objects.filter(pk=job.arguments["pending"]).first()
    if pending is None:
        if "count" in job.result:
            raise JobRefused(_rejected_message(job.result["count"]))
        raise JobRefused(UPLOAD_GONE)
    if job.created_by is None:
        raise JobRefused("The account that asked for this import no longer exists.")
    progress(10, f"Reading and checking {pending.file_name} again.")

    def record(outcome: ImportOutcome) -> None:
        if outcome.changed_anything:
            message = f"Imported {pending.file_name}: {outcome.description}"
        else:
            message = f"Nothing changed: {outcome.description}"
        job_result_save(job, {"outcome": message, "changed": outcome.changed_anything})

    try:
        pending_import_apply(user=job.created_by, pending=pending, record=record)
    except ImportRejected as rejected:
        raise _refuse_upload(job, pending, rejected) from None
    return job.result["outcome"]


def peer_groups_enqueue(*, user: AbstractBaseUser) -> Job:
    """The job computing the peer groups from the data as they are: asked for again before
    the data change, it is the same job (unless that one failed)."""
    from . import tasks

    _require_import(user)
    version = DataVersion.objects.filter(pk=1).values_list("number", flat=True).first() or 0
    prefix = f"peer-groups:{version}:"
    failed = Job.objects.filter(idempotency_key__startswith=prefix, state=Job.State.FAILED).count()
    return job_enqueue(
        kind=Job.Kind.PEER_GROUPS,
        key=f"{prefix}{failed}",
        user=user,
        task=tasks.peer_groups_compute,
        message="Waiting to compute the peer groups.",
        result_url=reverse("performance:import-list"),
    )


def peer_groups_work(*, job: Job, progress) -> str:
    progress(5, "Computing the peer groups.")
    with import_turn():
        return peer_groups_compute_yearly(progress=progress)


# The data version ----------------------------------------------------------------------------

# Models whose every change bumps the version (signals, so admin edits count too). The figures
# themselves (crime counts, code counts, populations) change only with a Release, which bumps
# it; they are left out so that deleting thousands of them stays one DELETE.
VERSIONED_MODELS = (
    "Force",
    "ForceAlias",
    "Category",
    "CategoryAlias",
    "OffenceCode",
    "DataSource",
    "Release",
    "PeerGroup",
    "PeerGroupMember",
)


def data_version_bump(**kwargs) -> None:
    """Count a change to the performance data, in the transaction that makes it, so that
    nothing cached from the data before it is read again (and nothing is cached from data
    not yet committed under the new number)."""
    if kwargs.get("action", "post_").startswith("pre_"):
        return
    if not DataVersion.objects.filter(pk=1).update(
        number=F("number") + 1, changed_at=timezone.now()
    ):
        DataVersion.objects.get_or_create(pk=1, defaults={"number": 1})


def connect_data_version() -> None:
    from django.apps import apps
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for name in VERSIONED_MODELS:
        model = apps.get_model("performance", name)
        post_save.connect(data_version_bump, sender=model, dispatch_uid=f"data-save-{name}")
        post_delete.connect(data_version_bump, sender=model, dispatch_uid=f"data-del-{name}")
    m2m_changed.connect(
        data_version_bump, sender=Category.components.through, dispatch_uid="data-components"
    )
