from django.urls import path, register_converter

from .views import (
    action_log,
    agenda,
    attendance,
    bodies,
    exception_reports,
    history,
    note,
    notifications,
    queues,
    review,
    series,
    sign_off,
    users,
)


class UpDownConverter:
    regex = "up|down"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(UpDownConverter, "updown")

app_name = "meetings"

urlpatterns = [
    path("", note.meeting_list, name="meeting-list"),
    path("my-work/", queues.my_work, name="my-work"),
    path("publication/", queues.publication_tracker, name="publication-tracker"),
    path(
        "my-work/emails/",
        notifications.notification_preferences,
        name="notification-preferences",
    ),
    path("new/", note.meeting_create, name="meeting-create"),
    path("<int:pk>/", note.meeting_detail, name="meeting-detail"),
    path("<int:pk>/edit/", note.meeting_update, name="meeting-update"),
    path("bodies/", bodies.body_list, name="body-list"),
    path("bodies/new/", bodies.body_create, name="body-create"),
    path("bodies/<int:pk>/", bodies.body_detail, name="body-detail"),
    path("bodies/<int:pk>/edit/", bodies.body_update, name="body-update"),
    path("<int:pk>/attendance/", attendance.attendance_edit, name="attendance-edit"),
    path("<int:pk>/attendance/paste/", attendance.attendance_paste, name="attendance-paste"),
    path("attendance/<int:pk>/edit/", attendance.attendance_update, name="attendance-update"),
    path("attendance/<int:pk>/remove/", attendance.attendance_remove, name="attendance-remove"),
    path(
        "attendance/<int:pk>/move/<updown:direction>/",
        attendance.attendance_move,
        name="attendance-move",
    ),
    path("<int:pk>/agenda/", agenda.agenda_edit, name="agenda-edit"),
    path("items/<int:pk>/edit/", agenda.agenda_item_update, name="item-update"),
    path("items/<int:pk>/delete/", agenda.agenda_item_delete, name="item-delete"),
    path("items/<int:pk>/move/<updown:direction>/", agenda.agenda_item_move, name="item-move"),
    path("items/<int:pk>/decisions/new/", agenda.decision_add, name="decision-create"),
    path("decisions/<int:pk>/edit/", agenda.decision_update, name="decision-update"),
    path(
        "items/<int:pk>/decisions/<int:decision_id>/restore/",
        agenda.decision_restore,
        name="decision-restore",
    ),
    path("decisions/<int:pk>/delete/", agenda.decision_delete, name="decision-delete"),
    path("<int:pk>/history/", history.meeting_history, name="meeting-history"),
    path("<int:pk>/items/<int:item_id>/restore/", agenda.agenda_item_restore, name="item-restore"),
    path(
        "<int:pk>/attendance/<int:attendance_id>/restore/",
        attendance.attendance_restore,
        name="attendance-restore",
    ),
    path("items/<int:pk>/history/", history.item_history, name="item-history"),
    path("items/<int:pk>/autosave/", agenda.item_autosave, name="item-autosave"),
    path("items/<int:pk>/discard-unsaved/", agenda.item_draft_discard, name="item-draft-discard"),
    path("<int:pk>/submit/", sign_off.note_submit, name="note-submit"),
    path("<int:pk>/sign/", sign_off.note_sign, name="note-sign"),
    path("<int:pk>/return/", sign_off.note_return, name="note-return"),
    path("<int:pk>/publish/", sign_off.note_publish, name="note-publish"),
    path("<int:pk>/revise/", sign_off.note_revise, name="note-revise"),
    path("<int:pk>/note.pdf", sign_off.note_pdf, name="note-pdf"),
    path("<int:pk>/next/", series.meeting_next, name="meeting-next"),
    path("items/<int:pk>/previous-minutes/", series.previous_minutes, name="item-previous-minutes"),
    path("<int:pk>/performance/", exception_reports.comparison, name="comparison"),
    path(
        "<int:pk>/exception-reports/",
        exception_reports.exception_report_list,
        name="exception-report-list",
    ),
    path(
        "exception-reports/<int:pk>/edit/",
        exception_reports.exception_report_update,
        name="exception-report-update",
    ),
    path(
        "exception-reports/<int:pk>/accept/",
        exception_reports.exception_report_accept,
        name="exception-report-accept",
    ),
    path(
        "exception-reports/<int:pk>/dismiss/",
        exception_reports.exception_report_dismiss,
        name="exception-report-dismiss",
    ),
    path(
        "exception-reports/<int:pk>/conclusion/",
        review.conclusion,
        name="conclusion",
    ),
    path(
        "exception-reports/<int:pk>/plans/new/",
        exception_reports.action_plan_create,
        name="action-plan-create",
    ),
    path("plans/<int:pk>/edit/", exception_reports.action_plan_update, name="action-plan-update"),
    path(
        "exception-reports/<int:pk>/plans/<int:plan_id>/restore/",
        exception_reports.action_plan_restore,
        name="action-plan-restore",
    ),
    path(
        "plans/<int:pk>/aims/<int:aim_id>/restore/",
        exception_reports.aim_restore,
        name="aim-restore",
    ),
    path("plans/<int:pk>/delete/", exception_reports.action_plan_delete, name="action-plan-delete"),
    path("plans/<int:pk>/aims/new/", exception_reports.aim_create, name="aim-create"),
    path("aims/<int:pk>/move/<updown:direction>/", exception_reports.aim_move, name="aim-move"),
    path("aims/<int:pk>/delete/", exception_reports.aim_delete, name="aim-delete"),
    path("review/", review.review, name="review"),
    path("users/", users.user_list, name="user-list"),
    path("users/new/", users.user_create, name="user-create"),
    path("users/<int:pk>/", users.user_detail, name="user-detail"),
    path("users/<int:pk>/roles/", users.user_roles, name="user-roles"),
    path("users/<int:pk>/active/", users.user_active, name="user-active"),
    path("users/<int:pk>/sign-in-link/", users.user_sign_in_link, name="user-sign-in-link"),
    path("<int:pk>/actions/", action_log.action_log_view, name="action-log"),
    path(
        "<int:meeting_pk>/actions/<int:pk>/update/",
        action_log.action_update,
        name="action-update",
    ),
    path("actions/mine/", action_log.my_actions, name="my-actions"),
    path("actions/<int:pk>/edit/", action_log.action_edit, name="action-edit"),
    path("actions/<int:pk>/delete/", action_log.action_delete, name="action-delete"),
    path(
        "<int:pk>/actions/<int:action_id>/restore/",
        action_log.action_restore,
        name="action-restore",
    ),
]
