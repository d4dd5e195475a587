"""Every URL of the portal, for every role and for an anonymous visitor.

Each named URL must have a rule here: a new view without one fails
``test_every_url_has_a_rule``. Outcomes: 200 allowed, 302 redirect (to sign in for anonymous
visitors, or back to the page after an action), 400 a post without its fields, 403 forbidden,
404 not found, 405 wrong method. ``admin`` is the Administrator role as granted (the admin site,
no superuser): separation of duties shows here.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from meetings import roles
from meetings.models import Person
from meetings.services import sign_off
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    AgendaItemFactory,
    AimFactory,
    AttendanceFactory,
    BodyFactory,
    DecisionFactory,
    ExceptionReportFactory,
    MeetingFactory,
    note_signed,
)

PERSONAS = ["anonymous", "nobody", "staff", "commissioner", "chief_executive", "admin"]
NAMESPACES = {None, "meetings", "public", "performance", "jobs"}

# Outcome per persona, in PERSONAS order.
READ = (302, 403, 200, 200, 200, 200)
EDIT = (302, 403, 200, 403, 403, 200)
EDIT_POST = (302, 403, 302, 403, 403, 302)
SIGN = (302, 403, 403, 403, 200, 403)
USERS = (302, 403, 403, 403, 403, 200)
PUBLIC = (200, 200, 200, 200, 200, 200)

# name: (method, object the URL needs, outcomes)
RULES: dict[str, tuple[str, str | None, tuple[int, ...]]] = {
    "home": ("get", None, (302,) * 6),
    "favicon": ("get", None, (301,) * 6),
    "login": ("get", None, PUBLIC),
    "logout": ("get", None, (405,) * 6),
    "meetings:meeting-list": ("get", None, READ),
    "meetings:meeting-create": ("get", None, EDIT),
    "meetings:meeting-detail": ("get", "meeting", READ),
    "meetings:meeting-update": ("get", "meeting", EDIT),
    "meetings:meeting-history": ("get", "meeting", READ),
    "meetings:attendance-edit": ("get", "meeting", EDIT),
    "meetings:attendance-paste": ("get", "meeting", EDIT),
    "meetings:body-list": ("get", None, READ),
    "meetings:body-create": ("get", None, EDIT),
    "meetings:body-detail": ("get", "body", READ),
    "meetings:body-update": ("get", "body", EDIT),
    "meetings:item-previous-minutes": ("get", "item", EDIT),
    "meetings:attendance-update": ("get", "attendance", EDIT),
    "meetings:attendance-remove": ("get", "attendance", EDIT),
    "meetings:attendance-move": ("post", "attendance-up", EDIT_POST),
    "meetings:agenda-edit": ("get", "meeting", EDIT),
    "meetings:item-update": ("get", "item", EDIT),
    "meetings:item-delete": ("get", "item", EDIT),
    "meetings:item-move": ("post", "item-up", EDIT_POST),
    "meetings:item-history": ("get", "item", READ),
    "meetings:item-autosave": ("post", "item", (302, 403, 200, 403, 403, 200)),
    "meetings:item-draft-discard": ("post", "item", EDIT_POST),
    "meetings:item-restore": ("post", "meeting-deleted-item", EDIT_POST),
    "meetings:attendance-restore": ("post", "meeting-removed-attendance", EDIT_POST),
    "meetings:decision-create": ("post", "item", (302, 403, 200, 403, 403, 200)),
    "meetings:decision-update": ("get", "decision", EDIT),
    "meetings:decision-delete": ("get", "decision", EDIT),
    "meetings:note-submit": ("get", "meeting", EDIT),
    "meetings:note-sign": ("get", "submitted", SIGN),
    "meetings:note-return": ("get", "submitted", SIGN),
    "meetings:note-publish": ("post", "signed", EDIT_POST),
    "meetings:note-revise": ("post", "signed", EDIT_POST),
    "meetings:note-pdf": ("get", "meeting", READ),
    "meetings:meeting-next": ("get", "meeting", EDIT),
    "meetings:comparison": ("get", "meeting", READ),
    "meetings:exception-report-list": ("get", "meeting", READ),
    "meetings:exception-report-update": ("get", "report", EDIT),
    "meetings:exception-report-accept": ("post", "report", EDIT_POST),
    "meetings:exception-report-dismiss": ("get", "report", EDIT),
    "meetings:conclusion": ("get", "report", (302, 403, 403, 200, 403, 403)),
    "meetings:action-plan-create": ("post", "report", (302, 403, 200, 403, 403, 200)),
    "meetings:action-plan-update": ("get", "plan", EDIT),
    "meetings:action-plan-delete": ("get", "plan", EDIT),
    "meetings:aim-create": ("post", "plan", EDIT_POST),
    "meetings:aim-move": ("post", "aim-up", EDIT_POST),
    "meetings:aim-delete": ("get", "aim", EDIT),
    "meetings:review": ("get", None, READ),
    "meetings:decision-restore": ("post", "item-deleted-decision", EDIT_POST),
    "meetings:action-plan-restore": ("post", "report-deleted-plan", EDIT_POST),
    "meetings:aim-restore": ("post", "plan-deleted-aim", EDIT_POST),
    "meetings:action-log": ("get", "meeting", READ),
    "meetings:action-update": ("get", "action-at-meeting", EDIT),
    "meetings:my-actions": ("get", None, (302, 200, 200, 200, 200, 200)),
    "meetings:my-work": ("get", None, (302, 200, 200, 200, 200, 200)),
    "meetings:publication-tracker": ("get", None, EDIT),
    "meetings:notification-preferences": ("get", None, (302, 200, 200, 200, 200, 200)),
    "meetings:action-edit": ("get", "action", EDIT),
    "meetings:action-delete": ("get", "action", EDIT),
    "meetings:action-restore": ("post", "meeting-deleted-action", EDIT_POST),
    "meetings:user-list": ("get", None, USERS),
    "meetings:user-create": ("get", None, USERS),
    "meetings:user-detail": ("get", "staff-account", USERS),
    "meetings:user-roles": ("post", "staff-account", (302, 403, 403, 403, 403, 400)),
    "meetings:user-active": ("post", "staff-account", (302, 403, 403, 403, 403, 400)),
    "meetings:user-sign-in-link": ("post", "staff-account", (302, 403, 403, 403, 403, 302)),
    "password_reset_confirm": ("get", "reset-link", PUBLIC),
    "password_reset_complete": ("get", None, PUBLIC),
    "performance:dashboard": ("get", None, READ),
    "performance:comparison-csv": ("get", "home-force", READ),
    "performance:category-detail": ("get", "category", READ),
    "performance:import-list": ("get", None, EDIT),
    "performance:import-upload": ("get", None, EDIT),
    # The preview is shown once its check (a job) is done: while it waits, to the job's page.
    "performance:import-preview": ("get", "own-pending-import", EDIT_POST),
    "performance:peer-groups-compute": ("post", None, EDIT_POST),
    "performance:import-cancel": ("post", "own-pending-import", EDIT_POST),
    "public:note-list": ("get", None, PUBLIC),
    "public:note-detail": ("get", "published", PUBLIC),
    "public:note-pdf": ("get", "published", PUBLIC),
    "public:note-json": ("get", "published", PUBLIC),
    "public:note-feed": ("get", None, PUBLIC),
    "public:meetings-calendar": ("get", None, PUBLIC),
    "public:verify": ("get", None, PUBLIC),
    "public:accessibility": ("get", None, PUBLIC),
    "public:contact": ("get", None, PUBLIC),
    "public:privacy": ("get", None, PUBLIC),
    "healthz": ("get", None, PUBLIC),
    # A job is followed by whoever asked for it (another's is a 404: tests/jobs/).
    "jobs:job-detail": ("get", "own-job", (302, 200, 200, 200, 200, 200)),
    "jobs:job-status": ("get", "own-job", (302, 200, 200, 200, 200, 200)),
}


def _named_urls() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name and namespace in NAMESPACES:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, None)
    return names


def test_every_url_has_a_rule():
    assert _named_urls() == set(RULES), (
        "Give each new view a rule in RULES (and remove rules of views that are gone)."
    )


def _user(persona: str) -> User | None:
    if persona == "anonymous":
        return None
    role = {
        "nobody": None,
        "staff": roles.STAFF,
        "commissioner": roles.REVIEWER,
        "chief_executive": roles.SIGNATORY,
        "admin": roles.ADMINISTRATOR,
    }[persona]
    user = User.objects.create_user(
        username=f"matrix-{persona}",
        password="x",
        is_staff=persona == "admin",
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def _meeting_in(status: str):
    staff = _user_with(roles.STAFF, "matrix-setup-staff")
    signatory = _user_with(roles.SIGNATORY, "matrix-setup-signatory")
    meeting = MeetingFactory()
    AttendanceFactory(meeting=meeting)
    AgendaItemFactory(meeting=meeting)
    if status in ("submitted", "signed", "published"):
        sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)
    if status in ("signed", "published"):
        note_signed(user=signatory, meeting=meeting)
    if status == "published":
        sign_off.note_publish(user=staff, meeting=meeting)
    return meeting


def _user_with(role: str, username: str) -> User:
    user, created = User.objects.get_or_create(username=username)
    if created:
        user.groups.add(Group.objects.get(name=role))
        if role == roles.SIGNATORY:
            Person.objects.create(name=username, signing_title="Chief Executive", user=user)
    return user


def _args(target: str | None, user: User | None) -> list:
    if target is None:
        return []
    if target == "category":
        from performance.models import Category

        return [
            Category.objects.create(
                slug="rural-crime", name="Rural crime", kind="force_defined"
            ).slug
        ]
    if target == "home-force":
        from performance.models import Force

        Force.objects.create(code="E23000003", name="Lancashire")
        return []
    if target == "own-pending-import":
        from django.core.files.base import ContentFile

        from performance.models import PendingImport

        owner = user if user is not None else _user_with(roles.STAFF, "matrix-uploader")
        pending = PendingImport(kind="monthly", file_name="extract.csv", created_by=owner)
        pending.file.save("extract.csv", ContentFile(b"force,month,category,count\n"))
        return [pending.pk]
    if target == "own-job":
        from jobs.models import Job

        owner = user if user is not None else _user_with(roles.STAFF, "matrix-job-owner")
        return [Job.objects.create(kind="note_pdf", idempotency_key="matrix", created_by=owner).pk]
    if target == "staff-account":
        return [_user_with(roles.STAFF, "matrix-colleague").pk]
    if target == "reset-link":
        return ["MQ", "not-a-valid-token"]
    if target in ("submitted", "signed", "published"):
        return [_meeting_in(target).pk]
    if target == "meeting":
        return [MeetingFactory().pk]
    if target == "body":
        return [BodyFactory().pk]
    if target == "attendance":
        return [AttendanceFactory().pk]
    if target == "attendance-up":
        return [AttendanceFactory().pk, "up"]
    if target == "item":
        return [AgendaItemFactory().pk]
    if target == "item-up":
        return [AgendaItemFactory().pk, "up"]
    if target == "meeting-deleted-item":
        item = AgendaItemFactory()
        meeting_id, item_id = item.meeting_id, item.pk
        item.delete()
        return [meeting_id, item_id]
    if target == "meeting-removed-attendance":
        attendance = AttendanceFactory()
        meeting_id, attendance_id = attendance.meeting_id, attendance.pk
        attendance.delete()
        return [meeting_id, attendance_id]
    if target == "report":
        return [ExceptionReportFactory().pk]
    if target == "plan":
        return [ActionPlanFactory().pk]
    if target == "aim":
        return [AimFactory().pk]
    if target == "aim-up":
        return [AimFactory().pk, "up"]
    if target == "action-at-meeting":
        action = ActionFactory()
        return [action.raised_at_id, action.pk]
    if target == "item-deleted-decision":
        decision = DecisionFactory()
        parent, child = decision.item_id, decision.pk
        decision.delete()
        return [parent, child]
    if target == "report-deleted-plan":
        plan = ActionPlanFactory()
        parent, child = plan.report_id, plan.pk
        plan.delete()
        return [parent, child]
    if target == "plan-deleted-aim":
        aim = AimFactory()
        parent, child = aim.plan_id, aim.pk
        aim.delete()
        return [parent, child]
    if target == "action":
        return [ActionFactory().pk]
    if target == "meeting-deleted-action":
        action = ActionFactory()
        parent, child = action.raised_at_id, action.pk
        action.delete()
        return [parent, child]
    if target == "decision":
        return [DecisionFactory().pk]
    raise AssertionError(target)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(RULES))
def test_each_role_gets_the_expected_outcome(client, name, persona):
    method, target, outcomes = RULES[name]
    user = _user(persona)
    url = reverse(name, args=_args(target, user))
    if target == "home-force":
        url += "?force=E23000003&month=9&year=2013"
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(url)
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)  # consuming it closes the file
    expected = outcomes[PERSONAS.index(persona)]
    assert response.status_code == expected, f"{persona} {method.upper()} {url}"
    if persona == "anonymous" and expected == 302 and name != "home":
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "expected"),
    [("anonymous", 302), ("staff", 302), ("commissioner", 302), ("admin", 200)],
)
def test_only_administrators_reach_the_admin(client, persona, expected):
    user = _user(persona)
    if user is not None:
        client.force_login(user)
    assert client.get(reverse("admin:index")).status_code == expected
