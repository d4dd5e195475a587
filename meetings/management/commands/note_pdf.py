from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from meetings.models import Meeting
from meetings.pdf import NoteRenderingError, render_note_pdf
from meetings.selectors import meeting_note


class Command(BaseCommand):
    help = (
        "Render the note of a meeting to a PDF file, as a draft marked DRAFT on every page. "
        "Example: manage.py note_pdf 1 -o note.pdf"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("meeting_id", type=int, help="The id of the meeting.")
        parser.add_argument("-o", "--output", required=True, help="The PDF file to write.")

    def handle(self, *args, meeting_id: int, output: str, **options) -> None:
        meeting = Meeting.objects.filter(pk=meeting_id).first()
        if meeting is None:
            raise CommandError(f"No meeting with id {meeting_id}.")
        try:
            document = render_note_pdf(
                note=meeting_note(meeting=meeting), signature=None, draft=True
            )
        except NoteRenderingError as error:
            raise CommandError(f"Could not render the note: {error}") from error
        target = Path(output)
        try:
            target.write_bytes(document)
        except OSError as error:
            raise CommandError(f"Could not write {target}: {error.strerror}") from error
        self.stdout.write(
            f"Wrote the draft note of {meeting} to {target} ({len(document):,} bytes)."
        )
