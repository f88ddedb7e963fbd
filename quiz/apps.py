from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class QuizConfig(AppConfig):
    name = "quiz"
    verbose_name = _("人脈診断")


class QuizAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "quiz.admin_site.QuizAdminSite"
