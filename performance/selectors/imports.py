"""What an uploaded data file would change, worked out without writing anything."""

from __future__ import annotations

from dataclasses import dataclass

from ..importers import PreviewLine, import_plan, import_read, pending_import_file, preview_lines
from ..models import PendingImport


@dataclass(frozen=True)
class ImportPreview:
    """What confirming an uploaded file would change, worked out without writing anything."""

    description: str
    has_changes: bool
    lines: list[PreviewLine]


def pending_import_preview(*, pending: PendingImport) -> ImportPreview:
    """Raises ImportRejected when the stored file no longer passes its checks."""
    read = import_read(
        kind=pending.kind, files=[pending_import_file(pending)], options=pending.options
    )
    plan = import_plan(read=read)
    return ImportPreview(
        description=plan.describe(),
        has_changes=plan.has_changes,
        lines=preview_lines(kind=pending.kind, plan=plan),
    )
