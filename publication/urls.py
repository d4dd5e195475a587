from django.urls import path

from . import feeds, views

app_name = "public"

urlpatterns = [
    path("notes/", views.note_list, name="note-list"),
    path("notes/<int:pk>/", views.note_detail, name="note-detail"),
    path("notes/<int:pk>/note.pdf", views.note_pdf, name="note-pdf"),
    path("notes/<int:pk>/note.json", views.note_json, name="note-json"),
    path("notes/feed.atom", feeds.PublishedNotesFeed(), name="note-feed"),
    path("meetings.ics", feeds.meetings_calendar, name="meetings-calendar"),
    path("verify/", views.verify, name="verify"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("contact/", views.contact, name="contact"),
    path("privacy/", views.privacy, name="privacy"),
]
