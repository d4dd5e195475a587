"""Each search result shows a short passage of the note around the first match, the matched
words marked and everything escaped; read for the page's rows only, in the same queries
whatever their number, and bounded whatever the query."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import Meeting
from publication import passages
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
URL = reverse("public:note-list")

FILLER = " ".join(f"word{n}" for n in range(60))


def _note(text: str, *, title: str = "Board", venue: str = "Hall", day: int = 1) -> Meeting:
    """A published note with this search text, set as publishing sets it (title, venue, then
    what the note says), without making its PDF."""
    meeting = MeetingFactory(
        title=title, venue=venue, start=dt.datetime(2015, 3, day, 10, tzinfo=LONDON)
    )
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.PUBLISHED, search_text=f"{title}\n{venue}\n{text}"
    )
    return meeting


def _passages(html: str) -> list[str]:
    return re.findall(r'<p class="search-passage[^"]*">(.*?)</p>', html, re.DOTALL)


def test_a_result_shows_some_thirty_words_around_the_first_match_marked(client):
    _note(f"Opening words. {FILLER} The wombats were counted twice. {FILLER}")
    [shown] = _passages(client.get(URL, {"q": "wombats"}).content.decode())
    assert "<mark>wombats</mark>" in shown
    words = re.sub(r"<[^>]+>", "", shown).split()
    assert 25 <= len(words) <= 40, words
    assert shown.startswith("…") and shown.endswith("…")  # cut on both sides
    assert "Opening" not in shown


def test_every_word_of_the_query_is_marked_in_the_passage(client):
    _note("The Commissioner asked about burglary and the Wombats of the county.")
    [shown] = _passages(client.get(URL, {"q": "wombats burglary"}).content.decode())
    assert "<mark>burglary</mark>" in shown and "<mark>Wombats</mark>" in shown


def _main(html: str) -> str:
    return html.split("<main", 1)[1].split("</main>")[0]


def test_the_passage_and_the_query_are_escaped(client):
    _note("Someone wrote <script>alert('x')</script> beside the wombats & <b>bold</b>.")
    html = client.get(URL, {"q": "wombats"}).content.decode()
    [shown] = _passages(html)
    assert "<script>" not in _main(html)
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in shown
    assert "<mark>wombats</mark> &amp; &lt;b&gt;bold&lt;/b&gt;." in shown
    # A query of markup: found on SQLite (PostgreSQL reads "<script>" as a tag, not a word),
    # and never let through as markup, in the passage or in the heading's echo of it.
    html = client.get(URL, {"q": "<script>alert"}).content.decode()
    assert "<script>" not in _main(html)
    assert "“&lt;script&gt;alert”" in html
    if connection.vendor == "sqlite":
        [shown] = _passages(html)
        assert "&lt;<mark>script</mark>&gt;<mark>alert</mark>(&#x27;x&#x27;)" in shown


def test_a_word_of_the_query_is_marked_inside_escaped_text():
    # PostgreSQL's parser reads "<script>" in a note as a tag, not a word, so this is shown
    # with the passage's own function: what is marked is escaped like the rest.
    pattern = passages.terms_pattern(passages.search_terms("<script>"))
    assert str(passages.marked("a <script>x</script>", pattern)) == (
        "a &lt;<mark>script</mark>&gt;x&lt;/<mark>script</mark>&gt;"
    )


def test_a_match_in_the_attendance_only_names_the_attendee(client, published):
    [shown] = _passages(client.get(URL, {"q": "Carruthers"}).content.decode())
    assert shown.startswith('<span class="fw-semibold">Attended:</span>')
    assert "<mark>Carruthers-Watt</mark>" in shown or "<mark>Carruthers</mark>" in shown


def test_a_match_in_the_title_only_says_so(client):
    _note("Nothing of interest here.", title="Wombat Board")
    [shown] = _passages(client.get(URL, {"q": "wombat"}).content.decode())
    assert "The title matches." in shown


def test_the_passage_finds_a_word_by_its_stem_as_the_postgresql_search_does():
    pattern = passages.terms_pattern(passages.search_terms("burglaries"))
    found = passages.passage(
        "Board\nHall\nBurglary rose.", pattern, title="Board", venue="Hall", attendees=[]
    )
    assert str(found.text) == "<mark>Burglary</mark> rose."


def test_excluded_and_joining_words_are_not_marked():
    assert passages.search_terms('"wombats" or -burglary Hall') == ["wombats", "hall"]


def test_a_query_of_ten_thousand_characters_is_cut_before_any_work(client, list_not_kept):
    many_words = " ".join(f"w{n}" for n in range(2000)) + " " + "z" * 2000
    assert len(many_words) > 10_000
    terms = passages.search_terms(many_words)
    assert terms == [f"w{n}" for n in range(passages.MAX_TERMS)]
    assert passages.search_terms("x" * 10_000) == ["x" * passages.TERM_CHARS]
    _note("The wombats were counted.")
    client.get(URL, {"q": "wombats"})  # the browse counts, cached
    with CaptureQueriesContext(connection) as short:
        client.get(URL, {"q": "wombats"})
    with CaptureQueriesContext(connection) as long:
        response = client.get(URL, {"q": "wombats " * 1300})
    assert response.status_code == 200
    assert _passages(response.content.decode()) == ["The <mark>wombats</mark> were counted."]
    assert len(long) == len(short)
    assert all("wombats " * 30 not in q["sql"] for q in long)  # cut to 200 characters first


def test_a_note_read_for_its_passage_is_read_no_further_than_the_cap(client, monkeypatch):
    monkeypatch.setattr(passages, "SCAN_CHARS", 500)
    _note(f"{'filler ' * 100} wombats at the end")  # found by the search, past what is read
    html = client.get(URL, {"q": "wombats"}).content.decode()
    assert "1 note matching" in html and _passages(html) == []


def _results(client, monkeypatch, count: int):
    for number in range(count):
        _note(f"The wombats of note {number}. {FILLER}", day=number + 1)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(URL, {"q": "wombats"}).content.decode()
    return queries, html


def test_the_passages_cost_the_same_queries_for_few_and_many_results(client, monkeypatch):
    import publication.views

    monkeypatch.setattr(publication.views, "NOTES_PER_PAGE", 3)
    client.get(URL)  # the browse counts of every note, cached until the next change
    few, html = _results(client, monkeypatch, 2)
    assert len(_passages(html)) == 2
    many, html = _results(client, monkeypatch, 8)
    assert len(_passages(html)) == 3  # a page's worth
    assert len(many) == len(few)
    # the text is read for the page's rows only, cut short by the database
    [read] = [q["sql"] for q in many if re.search(r"SUBSTR(ING)?\(", q["sql"])]
    assert read.count("%s") == 0 and len(re.findall(r"\b\d+\b", read.split(" IN (")[1])) == 3


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("bat", "wombats combat " * 80 + "Bats at last"),  # inside words many times first
        ("hall", "Nothing here."),
        ("ÉTÉ wombat", "un été de Wombats"),
        ("İstanbul", "İstanbul board"),  # lower() changes the length: the expression alone
    ],
)
def test_the_quick_start_finds_the_same_passage_as_the_expression_alone(query, text):
    terms = passages.search_terms(query)
    pattern = passages.terms_pattern(terms)
    lines = f"Board\nHall\n{text}"
    ask = {"title": "Board", "venue": "Hall", "attendees": []}
    quick = passages.passage(lines, pattern, literals=passages.stems(terms), **ask)
    assert quick == passages.passage(lines, pattern, **ask)
    assert quick is not None


def test_a_word_longer_than_what_is_read_around_the_match_is_still_shown_marked():
    pattern = passages.terms_pattern(["wombat"])
    long_word = "wombat" + "s" * 2000
    found = passages.passage(
        f"Board\nHall\n{long_word} and more", pattern, title="Board", venue="Hall", attendees=[]
    )
    assert str(found.text).startswith("<mark>wombat") and str(found.text).endswith(" …")
