"""Signing in: the login page works, and repeated failures lock the account out for a while."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_staff_sign_in_through_the_login_page(client, staff):
    response = client.post(
        reverse("login"), {"username": "test-staff", "password": "a-test-password"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:my-work")


def test_a_wrong_password_is_refused_with_a_message(client, staff):
    response = client.post(reverse("login"), {"username": "test-staff", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_repeated_failures_lock_the_account_out(client, staff, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(reverse("login"), {"username": "test-staff", "password": "wrong"})
    response = client.post(
        reverse("login"), {"username": "test-staff", "password": "a-test-password"}
    )
    assert response.status_code == 429
    assert "Signing in is paused" in response.content.decode()


def test_signing_out_needs_a_post(client, staff):
    client.force_login(staff)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
