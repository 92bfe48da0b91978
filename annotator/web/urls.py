from django.urls import path

from annotator.web import views

app_name = "web"

urlpatterns = [
    path("", views.projects, name="projects"),
]
