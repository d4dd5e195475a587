"""The passage shown under each search result: a few words of the note around the first match
of the query's words, the matched words marked (``<mark>``), everything else escaped.

Read only for the page's rows (two queries whatever their number: their search text, cut to
``SCAN_CHARS``, and their attendees), and bounded per row: the query is cut to
``QUERY_CHARS``, at most ``MAX_TERMS`` words of at most ``TERM_CHARS`` are looked for, with one
regular expression over at most ``SCAN_CHARS`` of each note. The same on SQLite and
PostgreSQL: the words are matched in Python, by word start and a rough English stem (so that
"burglaries" finds "burglary", as PostgreSQL's stemmed search does).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models.functions import Substr
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from meetings.models import Attendance, Meeting

QUERY_CHARS = 200  # as the search box's maxlength and the view's cut
MAX_TERMS = 10  # as the SQLite search's words
TERM_CHARS = 40
SCAN_CHARS = 20_000  # of each note's search text read for its passage
WORDS_BEFORE = 12
WORDS_AFTER = 24  # a passage of at most 37 words
WORD_CHARS = 16  # read around the match for each word shown

# Web-search syntax: "or" joins, a word after "-" is excluded (not looked for).
_JOINERS = {"or", "and", "not"}
_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "es", "ed", "ly", "s", "y", "e")
# Markdown a narrative may hold that reads badly in a passage: links kept as their text.
_LINK = re.compile(r"!?\[([^\]\n]{0,500})\]\([^)\s]{0,2000}\)")
_MARKUP = re.compile(r"\*\*|__|`+|^\s{0,3}(?:#{1,6}|>|[-*+]|\d{1,3}[.)])\s+", re.MULTILINE)


def search_terms(query: str) -> list[str]:
    """The words of ``query`` the passage marks: at most ``MAX_TERMS``, of the query's first
    ``QUERY_CHARS`` characters, without the excluded and joining words."""
    terms: list[str] = []
    for chunk in query[:QUERY_CHARS].split():
        if chunk.startswith("-"):
            continue
        for word in re.findall(r"\w+", chunk.lower()):
            word = word[:TERM_CHARS]
            if word not in _JOINERS and word not in terms:
                terms.append(word)
    return terms[:MAX_TERMS]


def _stem(word: str) -> str:
    """A rough English stem, the start every form of the word shares ("burglar" for
    "burglaries" and "burglary", "run" for "running")."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiou":
        word = word[:-1]
    return word


def stems(terms: Iterable[str]) -> list[str]:
    """The stems of ``terms``, longest first (as the expression must try them)."""
    return sorted({_stem(term) for term in terms}, key=len, reverse=True)


def terms_pattern(terms: Iterable[str]) -> re.Pattern | None:
    """One expression matching any of ``terms`` (by its stem) at the start of a word."""
    stems_ = stems(terms)
    if not stems_:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, stems_)) + r")\w*", re.IGNORECASE)


def marked(text: str, pattern: re.Pattern) -> SafeString:
    """``text`` escaped, with what ``pattern`` matches in ``<mark>``."""
    parts: list[str] = []
    end = 0
    for match in pattern.finditer(text):
        parts.append(escape(text[end : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        end = match.end()
    parts.append(escape(text[end:]))
    return mark_safe("".join(parts))


@dataclass(frozen=True)
class Passage:
    """What a result shows of its match: ``label`` (plain text, escaped when shown) before
    ``text`` (escaped and marked)."""

    text: SafeString
    label: str = ""


def _plain(text: str) -> str:
    return _MARKUP.sub("", _LINK.sub(r"\1", text))


def _words(text: str) -> list[str]:
    """The words of ``text``, its markup dropped, a "·" between its lines."""
    words: list[str] = []
    for line in _plain(text).split("\n"):
        line_words = line.split()
        if line_words and words:
            words.append("·")
        words.extend(line_words)
    return words


def _first_match(text: str, pattern: re.Pattern, literals: list[str] | None) -> re.Match | None:
    """``pattern.search(text)``, started where the first of ``literals`` (the stems) begins a
    word, found by ``str.find`` on the lower-cased text, many times quicker than the
    expression: a note none of them is in is not searched by the expression at all."""
    start = 0
    lowered = text.lower()
    if literals and len(lowered) == len(text):  # lower() kept every position
        found = [at for at in (_word_start(lowered, literal) for literal in literals) if at >= 0]
        if not found:
            return None
        start = min(found)
    return pattern.search(text, start)


def _word_start(lowered: str, literal: str, *, tries: int = 50) -> int:
    """Where ``literal`` first begins a word of ``lowered`` (-1 if nowhere), or after
    ``tries`` occurrences inside words, where the last was: no match is before it."""
    at = lowered.find(literal)
    for _ in range(tries):
        if at <= 0:
            return at
        before = lowered[at - 1]
        if not (before.isalnum() or before == "_"):
            return at
        at = lowered.find(literal, at + 1)
    return at


def _passage(
    lines: list[str], pattern: re.Pattern, literals: list[str] | None = None
) -> SafeString | None:
    """The words around the first match in ``lines``, with a "…" where the passage is cut.
    The match is found by one search of the text; only the characters around it are split
    into words (``WORDS_BEFORE`` and ``WORDS_AFTER`` of at most ``WORD_CHARS`` each)."""
    text = "\n".join(lines)
    match = _first_match(text, pattern, literals)
    if match is None:
        return None
    # From the start of the word the match is in (a "(" or a "**" before it is the word's).
    at = max(text.rfind(" ", 0, match.start()), text.rfind("\n", 0, match.start())) + 1
    low = max(0, at - (WORDS_BEFORE + 1) * WORD_CHARS)
    high = at + (WORDS_AFTER + 2) * WORD_CHARS
    # A word the window cuts through is left out.
    before = _words(text[low:at])[1 if low > 0 else 0 :]
    after = _words(text[at:high])
    if high < len(text) and 1 < len(after) <= WORDS_AFTER + 1:
        after.pop()
    while before and before[0] == "·":
        before.pop(0)
    cut_before = low > 0 or len(before) > WORDS_BEFORE
    before = before[-WORDS_BEFORE:] if WORDS_BEFORE else []
    while before and before[0] == "·":
        before.pop(0)
    cut_after = high < len(text) or len(after) > WORDS_AFTER + 1
    after = after[: WORDS_AFTER + 1]
    while after and after[-1] == "·":
        after.pop()
    shown = marked(" ".join(before + after), pattern)
    return mark_safe(("… " if cut_before else "") + shown + (" …" if cut_after else ""))


def passage(
    text: str,
    pattern: re.Pattern,
    *,
    title: str,
    venue: str,
    attendees: list[tuple[str, ...]],
    literals: list[str] | None = None,
) -> Passage | None:
    """The passage of one note's search ``text``: from what the note says, else the attendee
    matched, else that the title or the venue matched; None when nothing matched within the
    text read (the search found it further on, or by a form of the word not recognised)."""
    people = {value for attendee in attendees for value in attendee if value}
    heading = {title, venue}
    said = [line for line in text.split("\n") if line not in people and line not in heading]
    if (found := _passage(said, pattern, literals)) is not None:
        return Passage(found)
    for name, signed_name, role in attendees:
        if any(value and pattern.search(value) for value in (name, signed_name, role)):
            shown = ", ".join(value for value in (signed_name or name, role) if value)
            return Passage(marked(shown, pattern), label="Attended:")
    if pattern.search(title):
        return Passage(mark_safe(""), label="The title matches.")
    if venue and pattern.search(venue):
        return Passage(marked(venue, pattern), label="Held at:")
    return None


def attach_passages(meetings: list[Meeting], query: str) -> None:
    """Give each of ``meetings`` (a page of results) its ``passage`` for ``query``: two
    queries, whatever the number of meetings."""
    terms = search_terms(query)
    pattern = terms_pattern(terms)
    if pattern is None or not meetings:
        for meeting in meetings:
            meeting.passage = None
        return
    ids = [meeting.pk for meeting in meetings]
    texts = dict(
        Meeting.objects.filter(pk__in=ids)
        .annotate(scanned=Substr("search_text", 1, SCAN_CHARS))
        .values_list("pk", "scanned")
    )
    attendees: dict[int, list[tuple[str, ...]]] = {pk: [] for pk in ids}
    for meeting_id, *values in (
        Attendance.objects.filter(meeting_id__in=ids)
        .order_by("meeting_id", "position", "pk")
        .values_list("meeting_id", "person__name", "signed_name", "role")
    ):
        attendees[meeting_id].append(tuple(values))
    for meeting in meetings:
        meeting.passage = passage(
            texts.get(meeting.pk) or "",
            pattern,
            title=meeting.title,
            venue=meeting.venue,
            attendees=attendees[meeting.pk],
            literals=stems(terms),
        )
