"""One wizard of `STEPS` radio steps, a home page leading to it, and the result it ends on."""

from __future__ import annotations

import os
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from formtools.wizard.views import SessionWizardView

# As many steps as the quiz's longest path: bench.wizard sets it.
STEPS = int(os.environ.get("BENCH_WIZARD_STEPS", "11"))
CHOICES = [("a", "A"), ("b", "B"), ("c", "C"), ("d", "D")]


class Step(forms.Form):
    answer = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect)


class Questionnaire(SessionWizardView):
    template_name = "wizard/step.html"

    def done(self, form_list: Any, **kwargs: Any) -> HttpResponse:
        answers = [form.cleaned_data["answer"] for form in form_list]
        return render(self.request, "wizard/done.html", {"answers": answers})


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "wizard/home.html")


urlpatterns = [
    path("", home),
    path("wizard/", Questionnaire.as_view([Step] * STEPS)),
]
