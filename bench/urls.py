"""The portal's URLs plus the benchmarks' baselines, used with ``ROOT_URLCONF="bench.urls"``.

The baselines go through the same middleware, sessions, authentication and context
processors as the portal's pages; only the view is bare. They are never part of the portal.
"""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from scrutiny.urls import urlpatterns as portal_urlpatterns

# A trivial page: no layout, no queries of its own (the user is read lazily if at all).
BARE_TEMPLATE = engines["django"].from_string(
    "<!doctype html><html lang='en-GB'><head><meta charset='utf-8'><title>Bare</title></head>"
    "<body><main><h1>Bare page</h1><p>{{ organisation.name }}</p></main></body></html>"
)
# The portal's layout (header, navigation, footer) around an empty page, for reference.
LAYOUT_TEMPLATE = engines["django"].from_string(
    '{% extends "base.html" %}{% block content %}<h1>Layout only</h1>{% endblock %}'
)


def bare_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(BARE_TEMPLATE.render({}, request))


def layout_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(LAYOUT_TEMPLATE.render({}, request))


def static_file(request: HttpRequest) -> FileResponse:
    """A file of the stored PDF's size, from disk, as ``stored_pdf_response`` serves a PDF."""
    file = open(settings.BENCH_STATIC_FILE, "rb")  # noqa: SIM115 (the response closes it)
    return FileResponse(file, content_type="application/pdf")


urlpatterns = [
    path("bench/bare/", bare_page, name="bench-bare"),
    path("bench/layout/", layout_page, name="bench-layout"),
    path("bench/file.pdf", static_file, name="bench-file"),
    *portal_urlpatterns,
]
