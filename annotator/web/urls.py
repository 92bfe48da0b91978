from django.urls import path

import annotator.converters  # noqa: F401 (registers <id:…>)
from annotator.web import dashboard, documents, settings_page, views

app_name = "web"

P = "projects/<id:project_id>/"

urlpatterns = [
    path("", views.projects, name="projects"),
    path(P, dashboard.page, name="project"),
    path(P + "documents/", documents.page, name="documents"),
    path(P + "settings/", settings_page.page, name="settings"),
    path(P + "documents/<id:document_id>/", views.annotate, name="annotate"),
]
