from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("api/v1/", include(("annotator.api.urls", "api"))),
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("annotator.web.urls")),
]

handler404 = "annotator.api.errors.not_found"
handler500 = "annotator.api.errors.server_error"
