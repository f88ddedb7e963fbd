"""Template access to what a question's kind does (`quiz.engine.kinds`): templates ask it which
partial draws a question and how, instead of comparing `question.kind` with a name."""

from django import template

from quiz import engine

register = template.Library()


@register.filter
def kind_of(question: engine.Question) -> engine.QuestionKind:
    return engine.kind_of(question)
