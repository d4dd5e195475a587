"""The portal's icon: /favicon.ico, which browsers ask for on every page, is never a 404."""

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_favicon_ico_is_served_from_the_static_files(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.ico")
    with open(finders.find("img/favicon.ico"), "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"  # an ICO file's header


def test_every_page_names_its_icons(client):
    page = client.get("/notes/").content.decode()
    assert 'rel="icon" href="/static/img/favicon.ico"' in page
    assert 'href="/static/img/favicon.svg" type="image/svg+xml"' in page
    with open(finders.find("img/favicon.svg")) as icon:
        assert icon.read().startswith("<svg")
