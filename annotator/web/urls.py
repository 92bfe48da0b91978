from django.urls import path

import annotator.converters  # noqa: F401 (registers <id:…>)
from annotator.web import views

app_name = "web"

urlpatterns = [
    path("", views.projects, name="projects"),
    path("projects/<id:project_id>/documents/<id:document_id>/", views.annotate, name="annotate"),
]
