from django.urls import path

from . import views

app_name = "performance"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("comparison.csv", views.comparison_download, name="comparison-csv"),
    path("categories/<slug:slug>/", views.category_detail, name="category-detail"),
    path("imports/", views.import_list, name="import-list"),
    path("imports/new/", views.import_upload, name="import-upload"),
    path("imports/peer-groups/", views.peer_groups_compute, name="peer-groups-compute"),
    path("imports/<uuid:pk>/", views.import_preview, name="import-preview"),
    path("imports/<uuid:pk>/cancel/", views.import_cancel, name="import-cancel"),
]
