"""The peer the load benchmark measures the quiz against: Django's own way to build a questionnaire.

A django-formtools `SessionWizardView` with as many single-choice steps as the quiz's longest
path (`BENCH_WIZARD_STEPS`), each step a radio form that the wizard keeps in a database session,
a bare template and a trivial result page. It runs on the project's Django, database and
gunicorn settings, so the two differ only in what the app itself does per request.
"""
