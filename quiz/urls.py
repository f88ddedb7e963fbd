from django.urls import path

from quiz import language, result_views, views

app_name = "quiz"

urlpatterns = [
    path("", views.home, name="home"),
    path("start/", views.start, name="start"),
    path("start/again/", views.restart, name="restart"),
    path("mine/", views.my_results, name="mine"),
    path("q/<slug:slug>/", views.step, name="step"),
    path("resume/<str:token>/", views.resume, name="resume"),
    path("r/<str:token>/", result_views.result, name="result"),
    path("r/<str:token>/details/", result_views.result_details, name="result_details"),
    path("r/<str:token>/manage/", result_views.result_manage, name="result_manage"),
    path("r/<str:token>/invite/", result_views.invite, name="invite"),
    path("r/<str:token>/share/<slug:service>/", result_views.result_share, name="result_share"),
    path("r/<str:token>/og.png", result_views.result_image, name="result_image"),
    path("sources/<slug:slug>/", views.source_detail, name="source"),
    path("types/", views.type_list, name="types"),
    path("types/<slug:slug>/", views.type_detail, name="type"),
    path("language/", language.switch, name="language"),
    path("favicon.ico", views.favicon, name="favicon"),
]
