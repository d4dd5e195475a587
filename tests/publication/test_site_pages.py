"""The pages about the site: the accessibility statement in its legal form, contact, privacy."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _headings(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<h[23][^>]*>(.*?)</h[23]>", html)]


def test_the_accessibility_statement_has_the_required_sections(client):
    html = client.get(reverse("public:accessibility")).content.decode()
    headings = _headings(html)
    for required in (
        "Compliance status",
        "Non-accessible content",
        "Feedback and contact information",
        "Enforcement procedure",
        "Preparation of this accessibility statement",
    ):
        assert required in headings, required
    assert "Equality and Human Rights Commission (EHRC)" in html
    assert "Equality Commission for Northern Ireland (ECNI)" in html
    assert "partially compliant" in html
    assert "This statement was prepared on 1 December 2026" in html


def test_the_compliance_status_and_contact_come_from_the_settings(client, settings):
    settings.ACCESSIBILITY_COMPLIANCE = "full"
    settings.CONTACT_EMAIL = "scrutiny@opcc.example.org"
    settings.CONTACT_PHONE = "01772 000000"
    html = client.get(reverse("public:accessibility")).content.decode()
    assert "fully compliant" in html and "partially compliant" not in html
    assert "mailto:scrutiny@opcc.example.org" in html and "01772 000000" in html
    contact = client.get(reverse("public:contact")).content.decode()
    assert "mailto:scrutiny@opcc.example.org" in contact


def test_the_privacy_page_names_the_controller_and_how_to_ask(client, settings):
    settings.PRIVACY_CONTROLLER = "The Police and Crime Commissioner for Lancashire"
    settings.PRIVACY_CONTACT_EMAIL = "dpo@opcc.example.org"
    html = client.get(reverse("public:privacy")).content.decode()
    assert "The Police and Crime Commissioner for Lancashire is the data controller" in html
    assert "mailto:dpo@opcc.example.org" in html


def test_every_page_links_to_them_in_its_footer(client):
    html = client.get(reverse("public:note-list")).content.decode()
    for name in ("accessibility", "contact", "privacy"):
        assert f'href="{reverse(f"public:{name}")}"' in html
