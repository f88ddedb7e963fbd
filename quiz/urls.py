from django.urls import path

from quiz import views

app_name = "quiz"

urlpatterns = [
    path("", views.home, name="home"),
    path("sources/<slug:slug>/", views.source_detail, name="source"),
]
