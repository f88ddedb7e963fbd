"""URL configuration: the quiz app at the root, the admin under /admin/."""

from django.contrib import admin
from django.urls import include, path

from quiz import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("", include("quiz.urls")),
]

handler400 = "quiz.errors.bad_request"
handler403 = "quiz.errors.permission_denied"
handler404 = "quiz.errors.not_found"
handler500 = "quiz.errors.server_error"
