from django.urls import path

import annotator.converters  # noqa: F401 (registers <id:…>)
from annotator.web import dashboard, datasets, documents, jobs_page, review, settings_page, views

app_name = "web"

P = "projects/<id:project_id>/"

urlpatterns = [
    path("", views.projects, name="projects"),
    path("projects/new/", views.new_project, name="new_project"),
    path(P, dashboard.page, name="project"),
    path(P + "documents/", documents.page, name="documents"),
    path(P + "settings/", settings_page.page, name="settings"),
    path(P + "jobs/", jobs_page.page, name="jobs"),
    path(P + "import/", datasets.import_page, name="import"),
    path(P + "export/", datasets.export_page, name="export"),
    path(P + "documents/<id:document_id>/", views.annotate, name="annotate"),
    path(P + "review/", review.queue, name="review_queue"),
    path(P + "documents/<id:document_id>/review/", review.page, name="review"),
]
