from django.urls import path, register_converter

from . import scrutiny_views, sign_off_views, views


class UpDownConverter:
    regex = "up|down"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(UpDownConverter, "updown")

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="meeting-list"),
    path("new/", views.meeting_create, name="meeting-create"),
    path("<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("<int:pk>/edit/", views.meeting_update, name="meeting-update"),
    path("<int:pk>/attendance/", views.attendance_edit, name="attendance-edit"),
    path("attendance/<int:pk>/edit/", views.attendance_update, name="attendance-update"),
    path("attendance/<int:pk>/remove/", views.attendance_remove, name="attendance-remove"),
    path(
        "attendance/<int:pk>/move/<updown:direction>/",
        views.attendance_move,
        name="attendance-move",
    ),
    path("<int:pk>/agenda/", views.agenda_edit, name="agenda-edit"),
    path("items/<int:pk>/edit/", views.agenda_item_update, name="item-update"),
    path("items/<int:pk>/delete/", views.agenda_item_delete, name="item-delete"),
    path("items/<int:pk>/move/<updown:direction>/", views.agenda_item_move, name="item-move"),
    path("items/<int:pk>/decisions/new/", views.decision_add, name="decision-create"),
    path("decisions/<int:pk>/edit/", views.decision_update, name="decision-update"),
    path(
        "items/<int:pk>/decisions/<int:decision_id>/restore/",
        views.decision_restore,
        name="decision-restore",
    ),
    path("decisions/<int:pk>/delete/", views.decision_delete, name="decision-delete"),
    path("<int:pk>/history/", views.meeting_history, name="meeting-history"),
    path("<int:pk>/items/<int:item_id>/restore/", views.agenda_item_restore, name="item-restore"),
    path(
        "<int:pk>/attendance/<int:attendance_id>/restore/",
        views.attendance_restore,
        name="attendance-restore",
    ),
    path("items/<int:pk>/history/", views.item_history, name="item-history"),
    path("items/<int:pk>/autosave/", views.item_autosave, name="item-autosave"),
    path("items/<int:pk>/discard-unsaved/", views.item_draft_discard, name="item-draft-discard"),
    path("<int:pk>/submit/", sign_off_views.note_submit, name="note-submit"),
    path("<int:pk>/sign/", sign_off_views.note_sign, name="note-sign"),
    path("<int:pk>/return/", sign_off_views.note_return, name="note-return"),
    path("<int:pk>/publish/", sign_off_views.note_publish, name="note-publish"),
    path("<int:pk>/revise/", sign_off_views.note_revise, name="note-revise"),
    path("<int:pk>/note.pdf", sign_off_views.note_pdf, name="note-pdf"),
    path("<int:pk>/next/", scrutiny_views.meeting_next, name="meeting-next"),
    path("<int:pk>/performance/", scrutiny_views.comparison, name="comparison"),
    path(
        "<int:pk>/exception-reports/",
        scrutiny_views.exception_report_list,
        name="exception-report-list",
    ),
    path(
        "exception-reports/<int:pk>/edit/",
        scrutiny_views.exception_report_update,
        name="exception-report-update",
    ),
    path(
        "exception-reports/<int:pk>/accept/",
        scrutiny_views.exception_report_accept,
        name="exception-report-accept",
    ),
    path(
        "exception-reports/<int:pk>/dismiss/",
        scrutiny_views.exception_report_dismiss,
        name="exception-report-dismiss",
    ),
    path(
        "exception-reports/<int:pk>/conclusion/",
        scrutiny_views.conclusion,
        name="conclusion",
    ),
    path(
        "exception-reports/<int:pk>/plans/new/",
        scrutiny_views.action_plan_create,
        name="action-plan-create",
    ),
    path("plans/<int:pk>/edit/", scrutiny_views.action_plan_update, name="action-plan-update"),
    path(
        "exception-reports/<int:pk>/plans/<int:plan_id>/restore/",
        scrutiny_views.action_plan_restore,
        name="action-plan-restore",
    ),
    path(
        "plans/<int:pk>/aims/<int:aim_id>/restore/", scrutiny_views.aim_restore, name="aim-restore"
    ),
    path("plans/<int:pk>/delete/", scrutiny_views.action_plan_delete, name="action-plan-delete"),
    path("plans/<int:pk>/aims/new/", scrutiny_views.aim_create, name="aim-create"),
    path("aims/<int:pk>/move/<updown:direction>/", scrutiny_views.aim_move, name="aim-move"),
    path("aims/<int:pk>/delete/", scrutiny_views.aim_delete, name="aim-delete"),
    path("review/", scrutiny_views.review, name="review"),
    path("<int:pk>/actions/", scrutiny_views.action_log_view, name="action-log"),
    path(
        "<int:meeting_pk>/actions/<int:pk>/update/",
        scrutiny_views.action_update,
        name="action-update",
    ),
    path("actions/mine/", scrutiny_views.my_actions, name="my-actions"),
    path("actions/<int:pk>/edit/", scrutiny_views.action_edit, name="action-edit"),
    path("actions/<int:pk>/delete/", scrutiny_views.action_delete, name="action-delete"),
    path(
        "<int:pk>/actions/<int:action_id>/restore/",
        scrutiny_views.action_restore,
        name="action-restore",
    ),
]
