"""The draft and its versions in the admin: review and publish the draft, discard it, compare
and restore versions, the shipped file's proposals, and giving test cases the answers a new
required question needs (importing a file into the draft is quiz.admin_import).

The editable tables are the draft; the public reads only published versions. Every action that
replaces the draft (discard, restore, adopt a proposal, import) shows first what it changes,
and posts the digest of the draft it was shown (`DraftShownForm`): when the draft changed
meanwhile (another editor's save), nothing happens and the page shows the changes again.
Nothing here drops an editor's unpublished work without saying so first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quiz import criteria_diff, engine
from quiz.admin_forms import (
    CompareForm,
    DraftShownForm,
    MissingAnswersForm,
    PublishForm,
)
from quiz.admin_names import in_admin_language
from quiz.criteria import (
    Blocked,
    canonical,
    digest_of,
    draft_data,
    live_data,
    load_criteria,
    publish_blockers,
    publish_draft,
    write_tables,
)
from quiz.engine.glossary import load_glossary, new_text_notes
from quiz.models import CriteriaTestCase, CriteriaVersion, ShippedCriteria

CAN_EDIT = "quiz.change_strategy"
CAN_PUBLISH = "quiz.publish_criteria"


def tool_context(request: HttpRequest, title: str, **extra: Any) -> dict[str, Any]:
    """What every tool's page needs: the admin site's context and the page's title."""
    return {**admin.site.each_context(request), "title": title, **extra}


def posted(request: HttpRequest) -> QueryDict | None:
    """What a form was sent, to bind it; None (an unbound form) when the page is only opened."""
    return request.POST if request.method == "POST" else None


def _who(request: HttpRequest) -> str:
    return str(request.user.get_username())


def _live_number() -> int | None:
    latest = CriteriaVersion.objects.newest()
    return latest.number if latest else None


def draft_must_be_valid(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For the tools that run on the draft (preview, test cases, coverage): a draft that is not
    valid criteria yet is said to be so, with why, instead of being run."""

    @wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        problems = engine.criteria_problems(draft_data())
        if problems:
            return render(
                request,
                "admin/quiz/draft_invalid.html",
                tool_context(
                    request,
                    _("下書きがまだ完成していません"),
                    problems=in_admin_language(problems),
                ),
                status=409,
            )
        return view(request, *args, **kwargs)

    return checked


@permission_required(CAN_EDIT)
def draft(request: HttpRequest) -> HttpResponse:
    """The draft against the live version, what blocks publishing it, and the publish form."""
    data = draft_data()
    form = PublishForm(posted(request), shown=digest_of(data))
    if form.is_bound:
        if not request.user.has_perm(CAN_PUBLISH):
            raise PermissionDenied
        if form.is_valid() and (published := _publish(request, form)):
            return published
    return render(
        request,
        "admin/quiz/draft.html",
        tool_context(request, _("下書きの確認と公開"), form=form, **_draft_context(request, data)),
        status=422 if form.is_bound else 200,
    )


def _publish(request: HttpRequest, form: PublishForm) -> HttpResponse | None:
    """Publishes the draft with the form's note; None, with the form saying why, when what
    blocks it was not fixed."""
    try:
        version = publish_draft(form.cleaned_data["note"], _who(request))
    except Blocked:
        form.add_error(None, _("公開できませんでした。下の問題を直してください。"))
        return None
    if version is None:
        messages.info(request, _("下書きは公開中の版と同じです。"))
    else:
        messages.success(request, _("第%(n)s版として公開しました。") % {"n": version.number})
    return HttpResponseRedirect(reverse("admin:quiz_versions"))


def _draft_context(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    live = live_data()
    return {
        "changes": criteria_diff.diff(live, data),
        "blockers": in_admin_language(publish_blockers(data)),
        "missing_answers": bool(cases_missing_answers(load_criteria())),
        "proposals": ShippedCriteria.objects.filter(state=ShippedCriteria.State.PROPOSED).count(),
        "notes": in_admin_language(new_text_notes(live, data, load_glossary())),
        "live_number": _live_number(),
        "can_publish": request.user.has_perm(CAN_PUBLISH),
    }


@permission_required(CAN_PUBLISH, raise_exception=True)
def discard(request: HttpRequest) -> HttpResponse:
    """One action: the newest version back into the tables, after a screen that shows what goes."""
    latest = CriteriaVersion.objects.order_by("-number").first()
    if latest is None:
        messages.error(request, _("公開した版がまだないので、下書きを破棄できません。"))
        return HttpResponseRedirect(reverse("admin:quiz_draft"))
    return _replace_draft(
        request,
        latest.data,
        Replacement(
            title=_("下書きを破棄する"),
            lead=_("下書きの変更をすべて捨てて、公開中の第%(n)s版に戻します。")
            % {"n": latest.number},
            button=_("下書きを破棄する"),
            done=_("下書きを破棄しました（今は公開中の第%(n)s版と同じです）。")
            % {"n": latest.number},
            discarding=True,
        ),
    )


@permission_required(CAN_PUBLISH, raise_exception=True)
def restore(request: HttpRequest, number: int) -> HttpResponse:
    """An earlier version, whole, as a new draft to review and publish."""
    version = get_object_or_404(CriteriaVersion, number=number)
    return _replace_draft(
        request,
        version.data,
        Replacement(
            title=_("第%(n)s版を下書きに戻す") % {"n": number},
            lead=_("第%(n)s版の基準をまるごと下書きにします。公開するまで利用者には見えません。")
            % {"n": number},
            button=_("第%(n)s版を下書きに戻す") % {"n": number},
            done=_("第%(n)s版を下書きに戻しました。確かめてから公開してください。") % {"n": number},
        ),
    )


@permission_required(CAN_PUBLISH, raise_exception=True)
def adopt(request: HttpRequest, pk: int) -> HttpResponse:
    """A proposal of the shipped file, into the draft."""
    proposal = get_object_or_404(ShippedCriteria, pk=pk, state=ShippedCriteria.State.PROPOSED)

    return _replace_draft(
        request,
        proposal.data,
        Replacement(
            title=_("出荷されたファイルを下書きに取り込む"),
            lead=_(
                "新しいコードと一緒に届いた基準のファイルを下書きにします。公開するまで利用者には見えません。"
            ),
            button=_("下書きに取り込む"),
            done=_("出荷されたファイルを下書きに取り込みました。確かめてから公開してください。"),
        ),
        after=lambda: _decide(request, proposal, ShippedCriteria.State.ADOPTED),
    )


def _decide(request: HttpRequest, proposal: ShippedCriteria, state: str) -> None:
    """A proposal adopted or dismissed, and by whom."""
    proposal.state = state
    proposal.decided_by = _who(request)
    proposal.save(update_fields=["state", "decided_by"])


@dataclass(frozen=True)
class Replacement:
    """What a page that replaces the draft says: its title and lead, its button, the message
    once done; `discarding` when the draft goes back to the live version (nothing is lost that
    the page would have to list)."""

    title: str
    lead: str
    button: str
    done: str
    discarding: bool = False


def _replace_draft(
    request: HttpRequest,
    data: dict[str, Any],
    says: Replacement,
    after: Callable[[], None] | None = None,
) -> HttpResponse:
    """The confirmation screen for replacing the draft with `data`, and the replacing itself."""
    current = draft_data()
    form = DraftShownForm(posted(request), shown=digest_of(current))
    if form.is_valid():
        with transaction.atomic():
            write_tables(canonical(data))
            if after is not None:
                after()
        messages.success(request, says.done)
        return HttpResponseRedirect(reverse("admin:quiz_draft"))
    return render(
        request,
        "admin/quiz/replace_draft.html",
        tool_context(
            request,
            says.title,
            form=form,
            says=says,
            changes=criteria_diff.diff(current, canonical(data)),
            # The draft's unpublished changes, if any, are what would be lost.
            unpublished=[] if says.discarding else criteria_diff.diff(live_data(), current),
        ),
        status=409 if form.is_bound else 200,
    )


@permission_required("quiz.view_criteriaversion")
def versions(request: HttpRequest) -> HttpResponse:
    """Every published version, and any two compared (`?a=1&b=3`)."""
    rows = list(CriteriaVersion.objects.defer("data"))
    asked = bool({"a", "b"} & set(request.GET))
    form = CompareForm(request.GET if asked else None, numbers=[v.number for v in rows])
    changes: list[criteria_diff.ItemChange] = []
    if form.is_valid():
        compared = (form.cleaned_data["a"], form.cleaned_data["b"])
        data = dict(
            CriteriaVersion.objects.filter(number__in=compared).values_list("number", "data")
        )
        changes = criteria_diff.diff(data[compared[0]], data[compared[1]])
    return render(
        request,
        "admin/quiz/versions.html",
        tool_context(
            request,
            _("基準の版"),
            versions=rows,
            form=form,
            changes=changes,
            can_publish=request.user.has_perm(CAN_PUBLISH),
            live_number=rows[0].number if rows else None,
        ),
        status=400 if form.errors else 200,
    )


@permission_required("quiz.view_criteriaversion")
def proposals(request: HttpRequest) -> HttpResponse:
    """The shipped file's states that wait for an editor, each with its changes to live."""
    live = live_data()
    waiting = [
        (p, criteria_diff.diff(live, p.data))
        for p in ShippedCriteria.objects.filter(state=ShippedCriteria.State.PROPOSED)
    ]
    return render(
        request,
        "admin/quiz/proposals.html",
        tool_context(
            request,
            _("出荷された基準の提案"),
            waiting=waiting,
            can_publish=request.user.has_perm(CAN_PUBLISH),
        ),
    )


@require_POST
@permission_required(CAN_PUBLISH, raise_exception=True)
def dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(ShippedCriteria, pk=pk, state=ShippedCriteria.State.PROPOSED)
    _decide(request, proposal, ShippedCriteria.State.DISMISSED)
    messages.success(request, _("提案を取り込まずに閉じました。"))
    return HttpResponseRedirect(reverse("admin:quiz_proposals"))


def cases_missing_answers(
    criteria: engine.Criteria,
) -> list[tuple[CriteriaTestCase, list[engine.Question]]]:
    """Each saved test case with the required questions it shows but does not answer: what a
    new required question asks of the test cases before the draft can be published."""
    rows = []
    for case in CriteriaTestCase.objects.all():
        if not isinstance(case.answers, dict):
            continue
        flow = engine.progress(criteria, case.answers)
        missing = [q for q in flow.visible if q.required and q.slug not in case.answers]
        if missing:
            rows.append((case, missing))
    return rows


@permission_required("quiz.change_criteriatestcase")
@draft_must_be_valid
def missing_answers(request: HttpRequest) -> HttpResponse:
    """Every test case that lacks an answer to a required question, on one screen, with that
    question's choices: one form gives each case its answer."""
    rows = cases_missing_answers(load_criteria())
    form = MissingAnswersForm(rows, posted(request))
    if form.is_valid():
        saved = form.save()
        messages.success(request, _("%(n)s件のテストケースに答えを入れました。") % {"n": saved})
        return HttpResponseRedirect(reverse("admin:quiz_missing_answers"))
    return render(
        request,
        "admin/quiz/missing_answers.html",
        tool_context(request, _("テストケースに足りない答え"), form=form),
        status=422 if form.is_bound else 200,
    )
