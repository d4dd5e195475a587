from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from meetings.models import Meeting
from meetings.pdf import NoteRenderingError, meeting_pdf


class Command(BaseCommand):
    help = (
        "Write the note of a meeting to a PDF file: the PDF stored when it was signed, or for a "
        "note not yet signed a draft marked DRAFT on every page. "
        "Example: manage.py note_pdf 1 -o note.pdf"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("meeting_id", type=int, help="The id of the meeting.")
        parser.add_argument("-o", "--output", required=True, help="The PDF file to write.")

    def handle(self, *args, meeting_id: int, output: str, **options) -> None:
        meeting = Meeting.objects.filter(pk=meeting_id).first()
        if meeting is None:
            raise CommandError(f"No meeting with id {meeting_id}.")
        if meeting.is_frozen and not meeting.pdf_sha256:
            raise CommandError(f"The signed PDF of {meeting} is still being made by its job.")
        if meeting.pdf_sha256:
            with meeting.pdf.open("rb") as stored:
                document = stored.read()
            what = "signed note (as stored when it was signed)"
        else:
            try:
                document = meeting_pdf(meeting, signature=None, draft=True)
            except NoteRenderingError as error:
                raise CommandError(f"Could not render the note: {error}") from error
            what = "draft note"
        target = Path(output)
        try:
            target.write_bytes(document)
        except OSError as error:
            raise CommandError(f"Could not write {target}: {error.strerror}") from error
        self.stdout.write(f"Wrote the {what} of {meeting} to {target} ({len(document):,} bytes).")
