"""Who may grant which role: the Users pages, their service and the admin's user pages.

An Administrator manages Staff and Reviewers; only a superuser grants Signatory and
Administrator; nobody changes their own roles; no page makes anyone a superuser; every grant,
revoke and (de)activation is an audit event.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from meetings import roles
from meetings.models import AuditEvent
from meetings.services import users as services

pytestmark = pytest.mark.django_db


def _user(username: str, *held: str, **extra) -> User:
    user = User.objects.create_user(username=username, password="a-test-password", **extra)
    user.groups.set(Group.objects.filter(name__in=held))
    return user


@pytest.fixture
def administrator() -> User:
    return _user("plain-administrator", roles.ADMINISTRATOR, is_staff=True)


@pytest.fixture
def superuser() -> User:
    return _user("root", is_staff=True, is_superuser=True)


@pytest.fixture
def administrator_client(client, administrator):
    client.force_login(administrator)
    return client


def _held(user: User) -> set[str]:
    return set(User.objects.get(pk=user.pk).groups.values_list("name", flat=True))


# The rules --------------------------------------------------------------------------------


def test_the_table_says_who_may_grant_what():
    assert roles.GRANTS[roles.ADMINISTRATOR] == {roles.STAFF, roles.REVIEWER}
    assert all(not roles.GRANTS[role] for role in (roles.STAFF, roles.REVIEWER, roles.SIGNATORY))
    assert roles.roles_grantable(held=[roles.ADMINISTRATOR], is_superuser=True) == set(roles.ALL)
    assert roles.roles_grantable(held=[roles.SIGNATORY, roles.STAFF], is_superuser=False) == set()


@pytest.mark.parametrize("role", [roles.STAFF, roles.REVIEWER])
def test_an_administrator_grants_and_revokes_staff_and_reviewer(administrator, role):
    colleague = _user("colleague")
    services.role_grant(actor=administrator, user=colleague, role=role)
    assert _held(colleague) == {role}
    services.role_revoke(actor=administrator, user=colleague, role=role)
    assert _held(colleague) == set()
    events = list(AuditEvent.objects.order_by("id").values("verb", "meeting", "actor", "extra"))
    assert [event["verb"] for event in events] == ["role_granted", "role_revoked"]
    for event in events:
        assert event["meeting"] is None
        assert event["actor"] == administrator.pk
        assert event["extra"] == {"user_id": colleague.pk, "username": "colleague", "role": role}


@pytest.mark.parametrize("role", [roles.SIGNATORY, roles.ADMINISTRATOR])
def test_an_administrator_never_grants_signatory_or_administrator(administrator, role):
    colleague = _user("colleague", roles.STAFF)
    with pytest.raises(PermissionDenied, match="only a superuser"):
        services.role_grant(actor=administrator, user=colleague, role=role)
    with pytest.raises(PermissionDenied):
        services.role_grant(actor=administrator, user=administrator, role=role)
    assert _held(colleague) == {roles.STAFF}
    assert _held(administrator) == {roles.ADMINISTRATOR}
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("role", roles.ALL)
def test_nobody_changes_their_own_roles_not_even_a_superuser(administrator, superuser, role):
    for actor in (administrator, superuser):
        before = _held(actor)
        with pytest.raises(PermissionDenied):
            services.role_grant(actor=actor, user=actor, role=role)
        with pytest.raises(PermissionDenied):
            services.role_revoke(actor=actor, user=actor, role=role)
        assert _held(actor) == before


@pytest.mark.parametrize(
    "held", [(roles.SIGNATORY,), (roles.ADMINISTRATOR,), (roles.STAFF, roles.SIGNATORY)]
)
def test_an_administrator_may_not_touch_an_account_with_a_role_only_a_superuser_grants(
    administrator, held
):
    other = _user("other", *held, is_staff=roles.ADMINISTRATOR in held)
    assert not services.may_manage(administrator, other)
    with pytest.raises(PermissionDenied):
        services.role_grant(actor=administrator, user=other, role=roles.REVIEWER)
    with pytest.raises(PermissionDenied):
        services.user_set_active(actor=administrator, user=other, active=False)
    with pytest.raises(PermissionDenied):
        services.sign_in_link(actor=administrator, user=other)
    assert User.objects.get(pk=other.pk).is_active
    assert _held(other) == set(held)


def test_an_administrator_may_not_touch_a_superusers_account(administrator, superuser):
    assert not services.may_manage(administrator, superuser)
    with pytest.raises(PermissionDenied):
        services.user_set_active(actor=administrator, user=superuser, active=False)


@pytest.mark.parametrize("role", [roles.SIGNATORY, roles.ADMINISTRATOR])
def test_only_a_superuser_grants_signatory_and_administrator(superuser, role):
    colleague = _user("colleague")
    services.role_grant(actor=superuser, user=colleague, role=role)
    colleague = User.objects.get(pk=colleague.pk)
    assert _held(colleague) == {role}
    assert colleague.is_staff == (role == roles.ADMINISTRATOR)  # the admin site comes with it
    assert not colleague.is_superuser
    services.role_revoke(actor=superuser, user=colleague, role=role)
    assert not User.objects.get(pk=colleague.pk).is_staff


@pytest.mark.parametrize("persona", [roles.STAFF, roles.REVIEWER, roles.SIGNATORY])
def test_the_other_roles_grant_nothing(persona):
    actor = _user("actor", persona)
    colleague = _user("colleague")
    assert services.grantable_roles(actor) == set()
    for role in roles.ALL:
        with pytest.raises(PermissionDenied):
            services.role_grant(actor=actor, user=colleague, role=role)


def test_an_unknown_role_is_refused(superuser):
    with pytest.raises(PermissionDenied, match="no role"):
        services.role_grant(actor=superuser, user=_user("colleague"), role="Superuser")


def test_deactivating_and_reactivating_are_audited(administrator):
    colleague = _user("colleague", roles.STAFF)
    services.user_set_active(actor=administrator, user=colleague, active=False)
    assert not User.objects.get(pk=colleague.pk).is_active
    services.user_set_active(actor=administrator, user=colleague, active=True)
    assert User.objects.get(pk=colleague.pk).is_active
    assert list(AuditEvent.objects.order_by("id").values_list("verb", flat=True)) == [
        "user_deactivated",
        "user_reactivated",
    ]
    with pytest.raises(PermissionDenied):
        services.user_set_active(actor=administrator, user=administrator, active=False)


def test_a_deactivated_administrator_grants_nothing(administrator):
    administrator.is_active = False
    administrator.save()
    assert services.grantable_roles(administrator) == set()


def test_creating_an_account_grants_only_what_the_creator_may(administrator):
    user = services.user_create(
        actor=administrator, username="bev.wood", granted={roles.STAFF, roles.REVIEWER}
    )
    assert _held(user) == {roles.STAFF, roles.REVIEWER}
    assert not user.has_usable_password()
    with pytest.raises(PermissionDenied):
        services.user_create(actor=administrator, username="x", granted={roles.SIGNATORY})
    assert not User.objects.filter(username="x").exists()
    assert list(AuditEvent.objects.order_by("id").values_list("verb", flat=True)) == [
        "user_created",
        "role_granted",
        "role_granted",
    ]


# The pages --------------------------------------------------------------------------------


def test_the_list_shows_every_account_with_its_roles(administrator_client, chief_executive):
    page = administrator_client.get(reverse("meetings:user-list"))
    assert page.status_code == 200
    text = " ".join(re.sub(r"<[^>]+>", " ", page.content.decode()).split())
    assert "test-chief-executive – Ms Miranda Carruthers-Watt Signatory Active" in text
    assert "plain-administrator – – Administrator Active" in text


def test_the_list_is_for_administrators_only(staff_client):
    assert staff_client.get(reverse("meetings:user-list")).status_code == 403


def test_the_account_page_offers_only_the_roles_the_viewer_may_grant(administrator_client):
    colleague = _user("colleague", roles.STAFF)
    page = administrator_client.get(reverse("meetings:user-detail", args=[colleague.pk]))
    html = page.content.decode()
    assert 'Revoke<span class="visually-hidden"> the Staff role' in html
    assert 'Grant<span class="visually-hidden"> the Reviewer role' in html
    assert "the Signatory role" not in html
    assert "the Administrator role" not in html
    assert html.count("Only a superuser") == 2


def test_the_administrators_own_page_offers_nothing_to_change(administrator_client, administrator):
    html = administrator_client.get(
        reverse("meetings:user-detail", args=[administrator.pk])
    ).content.decode()
    assert "This is your own account" in html
    assert 'name="change"' not in html
    assert "Deactivate" not in html


def _post_role(client, user, role, change="grant"):
    return client.post(
        reverse("meetings:user-roles", args=[user.pk]), {"role": role, "change": change}
    )


def test_granting_from_the_page(administrator_client):
    colleague = _user("colleague")
    response = _post_role(administrator_client, colleague, roles.REVIEWER)
    assert response.status_code == 302
    assert _held(colleague) == {roles.REVIEWER}
    page = administrator_client.get(response["Location"]).content.decode()
    assert "colleague now has the Reviewer role" in page
    assert "plain-administrator granted the Reviewer role to colleague" in page


@pytest.mark.parametrize("role", [roles.SIGNATORY, roles.ADMINISTRATOR, roles.STAFF])
def test_a_crafted_post_granting_the_administrator_a_role_is_refused(
    administrator_client, administrator, role
):
    assert _post_role(administrator_client, administrator, role).status_code == 403
    administrator.refresh_from_db()
    assert _held(administrator) == {roles.ADMINISTRATOR}
    assert not administrator.is_superuser


@pytest.mark.parametrize("role", [roles.SIGNATORY, roles.ADMINISTRATOR])
def test_a_crafted_post_granting_another_a_superuser_role_is_refused(administrator_client, role):
    colleague = _user("colleague", roles.STAFF)
    assert _post_role(administrator_client, colleague, role).status_code == 403
    assert _held(colleague) == {roles.STAFF}


def test_a_crafted_post_revoking_the_signatory_is_refused(administrator_client, chief_executive):
    response = _post_role(administrator_client, chief_executive, roles.SIGNATORY, "revoke")
    assert response.status_code == 403
    assert _held(chief_executive) == {roles.SIGNATORY}


def test_a_crafted_post_deactivating_a_superuser_is_refused(administrator_client, superuser):
    response = administrator_client.post(
        reverse("meetings:user-active", args=[superuser.pk]), {"active": "0"}
    )
    assert response.status_code == 403
    assert User.objects.get(pk=superuser.pk).is_active


@pytest.mark.parametrize(
    "data", [{}, {"role": roles.STAFF}, {"role": roles.STAFF, "change": "promote"}]
)
def test_a_malformed_role_post_is_a_bad_request(administrator_client, data):
    colleague = _user("colleague")
    response = administrator_client.post(reverse("meetings:user-roles", args=[colleague.pk]), data)
    assert response.status_code == 400
    assert _held(colleague) == set()


def test_staff_cannot_post_role_changes(staff_client):
    colleague = _user("colleague")
    assert _post_role(staff_client, colleague, roles.STAFF).status_code == 403
    assert _held(colleague) == set()


def test_adding_a_user_gives_a_link_at_which_they_choose_a_password(administrator_client, client):
    response = administrator_client.post(
        reverse("meetings:user-create"),
        {"username": "bev.wood", "first_name": "Bev", "last_name": "Wood", "roles": [roles.STAFF]},
    )
    assert response.status_code == 302
    user = User.objects.get(username="bev.wood")
    assert _held(user) == {roles.STAFF}
    page = administrator_client.get(response["Location"]).content.decode()
    link = re.search(r"http://testserver(/accounts/reset/[^ <]+/)", page).group(1)
    administrator_client.logout()
    chooser = client.get(link)
    assert chooser.status_code == 302  # Django moves the token out of the address
    form_page = client.get(chooser["Location"])
    assert "Choose your password" in form_page.content.decode()
    done = client.post(
        chooser["Location"],
        {"new_password1": "correct horse battery", "new_password2": "correct horse battery"},
    )
    assert done.status_code == 302
    signed_in = client.post(
        reverse("login"), {"username": "bev.wood", "password": "correct horse battery"}
    )
    assert signed_in.status_code == 302
    assert client.get(link).status_code == 200  # used once: the page now says so
    assert "does not work" in client.get(link).content.decode()


def test_a_crafted_post_adding_a_signatory_is_refused(administrator_client):
    response = administrator_client.post(
        reverse("meetings:user-create"), {"username": "sneaky", "roles": [roles.SIGNATORY]}
    )
    assert response.status_code == 200
    assert "is not one of the available choices" in response.content.decode()
    assert not User.objects.filter(username="sneaky").exists()


def test_a_taken_username_is_a_form_error(administrator_client, staff):
    response = administrator_client.post(
        reverse("meetings:user-create"), {"username": staff.username.upper()}
    )
    assert response.status_code == 200
    assert "There is already a user with that username." in response.content.decode()


# The admin site follows the same rules -----------------------------------------------------


def _admin_change_form(client, user) -> dict:
    """The admin's change form for ``user`` as the browser would post it back."""
    from django.forms import MultiWidget

    response = client.get(reverse("admin:auth_user_change", args=[user.pk]))
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field.widget, MultiWidget):
            parts = field.widget.decompress(value)
            for index, (widget, part) in enumerate(zip(field.widget.widgets, parts, strict=True)):
                data[f"{name}_{index}"] = widget.format_value(part) or ""
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif value is not None:
            data[name] = str(value)
    return data


def test_an_administrator_cannot_make_themselves_superuser_or_signatory_in_the_admin(
    administrator_client, administrator
):
    """The reproduction: with change_user, the admin's form saved is_superuser and groups."""
    data = _admin_change_form(administrator_client, administrator)
    signatory = Group.objects.get(name=roles.SIGNATORY)
    data.update(
        {
            "is_superuser": "on",
            "is_staff": "on",
            "groups": [str(signatory.pk)],
            "user_permissions": [],
            "first_name": "Changed",
        }
    )
    data.setdefault("username", administrator.username)
    response = administrator_client.post(
        reverse("admin:auth_user_change", args=[administrator.pk]), data
    )
    assert response.status_code in (200, 302)
    administrator.refresh_from_db()
    assert not administrator.is_superuser
    assert _held(administrator) == {roles.ADMINISTRATOR}


def test_the_admin_shows_roles_and_flags_read_only_to_an_administrator(
    administrator_client, administrator
):
    form = (
        administrator_client.get(reverse("admin:auth_user_change", args=[administrator.pk]))
        .context["adminform"]
        .form
    )
    for name in ("is_superuser", "is_staff", "groups", "user_permissions", "is_active"):
        assert name not in form.fields


def test_the_admin_does_not_let_an_administrator_change_a_signatorys_account(
    administrator_client, chief_executive
):
    change = administrator_client.post(
        reverse("admin:auth_user_change", args=[chief_executive.pk]),
        {"username": "renamed"},
    )
    assert change.status_code == 403
    password = administrator_client.get(
        reverse("admin:auth_user_password_change", args=[chief_executive.pk])
    )
    assert password.status_code == 403
    assert User.objects.get(pk=chief_executive.pk).username == "test-chief-executive"


def test_the_admin_lets_an_administrator_edit_a_staff_members_name(administrator_client, staff):
    data = _admin_change_form(administrator_client, staff)
    data.update({"first_name": "Bev"})
    response = administrator_client.post(reverse("admin:auth_user_change", args=[staff.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert User.objects.get(pk=staff.pk).first_name == "Bev"


def test_the_roles_groups_are_read_only_in_the_admin(administrator_client, client, superuser):
    group = Group.objects.get(name=roles.SIGNATORY)
    url = reverse("admin:auth_group_change", args=[group.pk])
    assert (
        administrator_client.post(url, {"name": "Signatory", "permissions": []}).status_code == 403
    )
    client.force_login(superuser)
    assert client.post(url, {"name": "Renamed", "permissions": []}).status_code == 403
    assert Group.objects.filter(name=roles.SIGNATORY).exists()


def test_a_superuser_keeps_the_flags_but_not_the_roles_in_the_admin(client, superuser):
    client.force_login(superuser)
    form = (
        client.get(reverse("admin:auth_user_change", args=[superuser.pk])).context["adminform"].form
    )
    assert "is_superuser" in form.fields
    assert "groups" not in form.fields  # granted on the Users page, audited


def test_an_administrator_cannot_change_whose_name_a_signed_note_prints(
    administrator_client, superuser, client, chief_executive
):
    """The person printed under the signature, and which account it is, are not theirs to edit."""
    from meetings.models import Person

    person = Person.objects.get(user=chief_executive)
    url = reverse("admin:meetings_person_change", args=[person.pk])
    page = administrator_client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert not {"user", "signs_as", "signing_title"} & set(form.fields)
    administrator_client.post(
        url,
        {"name": person.name, "signs_as": "Someone Else", "signing_title": "Chair", "user": ""},
    )
    person.refresh_from_db()
    assert (person.signs_as, person.signing_title, person.user) == (
        "Miranda Carruthers-Watt",
        "Chief Executive",
        chief_executive,
    )
    client.force_login(superuser)
    form = client.get(url).context["adminform"].form
    assert {"user", "signs_as", "signing_title"} <= set(form.fields)
