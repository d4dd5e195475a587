"""Reading an attendance list pasted from a document: one person a line, under heading lines.

A pure function of the text and the body's print style, with limits checked before any line
is read. Lines read as the body prints them:

- name–role bodies: ``Clive Grunshaw (CG) – Police and Crime Commissioner``;
- role–name bodies: ``Police and Crime Commissioner – Clive Grunshaw (CG)``, or without a
  separator ``Police and Crime Commissioner Clive Grunshaw (CG)``, the initials telling where
  the name starts.

The separator is a dash between spaces, a tab or two spaces or more. A line may end with
``(Chair)``, ``(Note taker)``/``(Minute taker)`` and ``(on behalf of Someone)``. A line that is
one of the body's attendance headings ("In the Chair", "Apologies"; a colon after it is fine,
and so is an entry after the colon) lists the lines under it there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .models.bodies import PrintStyle

MAX_CHARACTERS = 20_000
MAX_LINES = 200
MAX_LINE_LENGTH = 600
MAX_NAME, MAX_ROLE, MAX_INITIALS = 200, 300, 10

PRESENT, IN_ATTENDANCE, APOLOGIES = "present", "in_attendance", "apologies"

_SEPARATOR = re.compile(r"\t[\t \-–—]*|[ ]+[-–—]+[ ]+|[ ]{2,}")
_LEADING_DASH = re.compile(r"[-–—]+(?:[ \t]+|$)")
_FLAG = re.compile(r"\s*\(([^()]{1,250})\)\s*$")
_INITIALS = re.compile(r"[A-Z][A-Za-z]{0,9}")
# Titles that come before a name without being part of its initials.
_TITLES = {
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "cllr",
    "councillor",
    "sir",
    "dame",
    "prof",
    "professor",
    "rev",
    "lord",
    "lady",
}


@dataclass(frozen=True)
class Placement:
    """Where a heading puts the lines under it."""

    kind: str
    is_chair: bool = False
    is_note_taker: bool = False


@dataclass
class ListedAttendee:
    line: int
    text: str
    name: str
    role: str = ""
    initials: str = ""
    kind: str = PRESENT
    is_chair: bool = False
    is_note_taker: bool = False
    on_behalf_of: str = ""
    errors: list[str] = field(default_factory=list)


@dataclass
class AttendanceList:
    attendees: list[ListedAttendee]
    errors: list[str]  # about the whole list, not one line

    @property
    def is_valid(self) -> bool:
        return not self.errors and not any(attendee.errors for attendee in self.attendees)

    def messages(self) -> list[str]:
        """Every error, each line's prefixed with its number."""
        return [*self.errors] + [
            f"Line {attendee.line}: {error}"
            for attendee in self.attendees
            for error in attendee.errors
        ]


def headings(style: PrintStyle) -> dict[str, Placement]:
    """The heading lines a list may use, by their lower-case text."""
    found = {
        "present": Placement(PRESENT),
        "in attendance": Placement(IN_ATTENDANCE),
        "apologies": Placement(APOLOGIES),
        style.present_heading.lower(): Placement(PRESENT),
        style.in_attendance_heading.lower(): Placement(IN_ATTENDANCE),
        style.apologies_heading.lower(): Placement(APOLOGIES),
    }
    if style.chair_heading:
        found[style.chair_heading.lower()] = Placement(PRESENT, is_chair=True)
    if style.note_taker_heading:
        found[style.note_taker_heading.lower()] = Placement(IN_ATTENDANCE, is_note_taker=True)
    return found


def parse_attendance_list(text: str, *, style: PrintStyle, kind: str = PRESENT) -> AttendanceList:
    """The people ``text`` lists, each with its line and what is wrong with it (if anything).

    ``kind`` places the lines that come before any heading.
    """
    if len(text) > MAX_CHARACTERS:
        return AttendanceList(
            [], [f"The list is too long: paste at most {MAX_CHARACTERS:,} characters at once."]
        )
    lines = text.splitlines()
    if sum(1 for line in lines if line.strip()) > MAX_LINES:
        return AttendanceList([], [f"The list is too long: paste at most {MAX_LINES} lines."])
    known_headings = headings(style)
    placement = Placement(kind)
    attendees: list[ListedAttendee] = []
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        if len(line) > MAX_LINE_LENGTH:
            attendees.append(
                ListedAttendee(
                    number, line[:80], "", errors=[f"longer than {MAX_LINE_LENGTH} characters."]
                )
            )
            continue
        heading, _, rest = line.partition(":")
        if heading.strip().lower() in known_headings:
            placement = known_headings[heading.strip().lower()]
            if not rest.strip():
                continue
            line = rest.strip()
        elif line.lower() in known_headings:
            placement = known_headings[line.lower()]
            continue
        attendees.append(_entry(number, line, placement, role_first=style.role_first))
    _check_the_list(attendees)
    return AttendanceList(attendees, [])


def _entry(number: int, line: str, placement: Placement, *, role_first: bool) -> ListedAttendee:
    attendee = ListedAttendee(
        number,
        line,
        "",
        kind=placement.kind,
        is_chair=placement.is_chair,
        is_note_taker=placement.is_note_taker,
    )
    body = line
    while match := _FLAG.search(body):
        flag = " ".join(match.group(1).split())
        lowered = flag.lower()
        if lowered == "chair":
            attendee.is_chair = True
        elif lowered in {"note taker", "minute taker", "note-taker", "minute-taker"}:
            attendee.is_note_taker = True
        elif lowered.startswith("on behalf of "):
            attendee.on_behalf_of = flag[len("on behalf of ") :].strip()
        elif _INITIALS.fullmatch(flag) and flag[-1].isupper() and not attendee.initials:
            attendee.initials = flag
        else:
            break
        body = body[: match.start()].rstrip()
    parts = _SEPARATOR.split(body)
    if leading := _LEADING_DASH.match(body):  # nothing before the separator
        parts = ["", body[leading.end() :]]
    if len(parts) > 1:
        if role_first:
            role, name = " ".join(parts[:-1]), parts[-1]
        else:
            name, role = parts[0], " – ".join(parts[1:])
    elif role_first:
        role, name = _split_by_initials(body, attendee.initials)
    else:
        name, role = body, ""
    name, role = " ".join(name.split()), " ".join(role.split())
    match = None if attendee.initials else _FLAG.search(name)
    if match and _INITIALS.fullmatch(match.group(1)):
        attendee.initials, name = match.group(1), name[: match.start()].rstrip()
    attendee.name, attendee.role = name, role
    _check_the_entry(attendee)
    return attendee


def _split_by_initials(text: str, initials: str) -> tuple[str, str]:
    """A role-first line with no separator: the name is the last words whose initials are
    ``initials`` (with a title before them); without initials the line is all name."""
    words = text.split()
    if not initials:
        return "", text
    wanted = initials.upper()
    for count in range(1, len(words) + 1):
        letters = "".join(
            part[0].upper() for word in words[-count:] for part in word.split("-") if part
        )
        if letters == wanted:
            start = len(words) - count
            while start > 0 and words[start - 1].lower().rstrip(".") in _TITLES:
                start -= 1
            return " ".join(words[:start]), " ".join(words[start:])
        if len(letters) > len(wanted):
            break
    return "", text


def _check_the_entry(attendee: ListedAttendee) -> None:
    errors = attendee.errors
    if not attendee.name:
        errors.append("no name: write the person's name.")
    elif len(attendee.name) > MAX_NAME:
        errors.append(f"the name is longer than {MAX_NAME} characters.")
    if len(attendee.role) > MAX_ROLE:
        errors.append(f"the role is longer than {MAX_ROLE} characters.")
    if len(attendee.initials) > MAX_INITIALS:
        errors.append(f"the initials are longer than {MAX_INITIALS} characters.")
    if len(attendee.on_behalf_of) > MAX_NAME:
        errors.append(f"the name after “on behalf of” is longer than {MAX_NAME} characters.")
    if attendee.on_behalf_of and attendee.on_behalf_of.lower() == attendee.name.lower():
        errors.append("a person cannot attend on their own behalf.")
    if attendee.kind == APOLOGIES and (attendee.is_chair or attendee.is_note_taker):
        errors.append("someone who sent apologies cannot chair or take the note.")


def _check_the_list(attendees: list[ListedAttendee]) -> None:
    seen: dict[str, int] = {}
    chair: int | None = None
    for attendee in attendees:
        if not attendee.name:
            continue
        key = attendee.name.lower()
        if key in seen:
            attendee.errors.append(f"{attendee.name} is already listed on line {seen[key]}.")
        else:
            seen[key] = attendee.line
        if attendee.is_chair:
            if chair is not None:
                attendee.errors.append(f"only one person chairs: line {chair} already does.")
            else:
                chair = attendee.line
