from django.urls import path

from . import public_views

app_name = "public"

urlpatterns = [
    path("notes/", public_views.note_list, name="note-list"),
    path("notes/<int:pk>/", public_views.note_detail, name="note-detail"),
    path("notes/<int:pk>/note.pdf", public_views.note_pdf, name="note-pdf"),
    path("notes/<int:pk>/note.json", public_views.note_json, name="note-json"),
    path("notes/feed.atom", public_views.PublishedNotesFeed(), name="note-feed"),
    path("meetings.ics", public_views.meetings_calendar, name="meetings-calendar"),
    path("verify/", public_views.verify, name="verify"),
]
