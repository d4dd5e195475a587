"""Journey 7: an Administrator adds a colleague, grants and revokes roles, and the colleague
chooses a password from the link and signs in. The Administrator is the role as granted, not a
superuser: the pages offer only what the rules allow."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import Page, expect

from meetings import roles

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def administrator(db) -> User:
    user = User.objects.create_user("e2e-administrator", password="a-test-password", is_staff=True)
    user.groups.add(Group.objects.get(name=roles.ADMINISTRATOR))
    return user


def test_an_administrator_adds_a_colleague_who_then_signs_in(
    page: Page, axe, sign_in, administrator
):
    sign_in(administrator)
    page.get_by_role("link", name="Users").click()
    expect(page.get_by_role("heading", name="Users", level=1)).to_be_visible()
    axe(state="list of users")

    page.get_by_role("link", name="Add a user").click()
    expect(page.get_by_role("heading", name="Add a user", level=1)).to_be_visible()
    expect(page.get_by_role("checkbox", name="Signatory")).to_have_count(0)
    axe(state="empty form")
    page.get_by_label("Username").fill("bev.wood")
    page.get_by_label("First name").fill("Bev")
    page.get_by_label("Last name").fill("Wood")
    page.get_by_role("checkbox", name="Staff").check()
    page.get_by_role("button", name="Add the user").click()

    expect(page.get_by_role("heading", name="bev.wood", level=1)).to_be_visible()
    message = page.get_by_text(re.compile("Send bev.wood this link"))
    link = re.search(r"https?://\S+/accounts/reset/\S+/", message.inner_text()).group(0)
    expect(page.get_by_role("button", name="Grant the Signatory role")).to_have_count(0)
    axe(state="new account")
    page.get_by_role("button", name="Grant the Reviewer role").click()
    expect(page.get_by_text("bev.wood now has the Reviewer role.")).to_be_visible()
    page.get_by_role("button", name="Revoke the Reviewer role").click()
    expect(page.get_by_text("bev.wood no longer has the Reviewer role.")).to_be_visible()
    expect(
        page.get_by_text("e2e-administrator revoked the Reviewer role from bev.wood")
    ).to_be_visible()
    axe(state="after a grant and a revoke")

    page.get_by_role("button", name="Sign out").click()
    page.goto(link)
    expect(page.get_by_role("heading", name="Choose your password", level=1)).to_be_visible()
    axe(state="choosing a password")
    page.get_by_role("textbox", name="New password", exact=False).first.fill(
        "correct horse battery staple"
    )
    page.get_by_role("textbox", name="New password confirmation").fill(
        "correct horse battery staple"
    )
    page.get_by_role("button", name="Save the password").click()
    expect(page.get_by_role("heading", name="Your password is saved", level=1)).to_be_visible()
    axe(state="password saved")
    sign_in(User.objects.get(username="bev.wood"), "correct horse battery staple")
