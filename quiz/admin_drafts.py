"""The draft and its versions in the admin: review and publish the draft, discard it, compare
and restore versions, the shipped file's proposals, importing a file into the draft, and giving
test cases the answers a new required question needs.

The editable tables are the draft; the public reads only published versions. Every action that
replaces the draft (discard, restore, adopt a proposal, import) shows first what it changes,
and posts the digest of the draft it was shown: when the draft changed meanwhile (another
editor's save), nothing happens and the page shows the changes again. Nothing here drops an
editor's unpublished work without saying so first.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.decorators import permission_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quiz import criteria_diff, engine
from quiz.admin import in_admin_language
from quiz.criteria import (
    Blocked,
    canonical,
    digest_of,
    draft_data,
    live_data,
    load_criteria,
    publish_blockers,
    publish_draft,
    stage_criteria,
    write_tables,
)
from quiz.engine.glossary import load_glossary, new_text_notes
from quiz.models import CriteriaTestCase, CriteriaVersion, ShippedCriteria, UploadedCriteria

CAN_EDIT = "quiz.change_strategy"
CAN_PUBLISH = "quiz.publish_criteria"
NOTE_MAX = CriteriaVersion._meta.get_field("note").max_length or 200
# An uploaded file waits this long for its "apply" button; then it is uploaded again.
UPLOAD_KEPT = timedelta(days=1)


def stale_message() -> str:
    return _("このページを開いた後で下書きが変わりました。変更点を確かめ直してください。")


def _context(request: HttpRequest, title: str, **extra: Any) -> dict[str, Any]:
    return {**admin.site.each_context(request), "title": title, **extra}


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
                _context(
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
    shown = digest_of(data)
    note = ""
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        if not request.user.has_perm(CAN_PUBLISH):
            return _forbidden(request)
        note = request.POST.get("note", "").strip()[:NOTE_MAX]
        if request.POST.get("draft") != shown:
            errors = [stale_message()]
        elif not note:
            errors = [_("公開のメモを書いてください（何を、なぜ変えたか）。")]
        else:
            try:
                version = publish_draft(note, _who(request))
            except Blocked:
                errors = [_("公開できませんでした。下の問題を直してください。")]
            else:
                if version is None:
                    messages.info(request, _("下書きは公開中の版と同じです。"))
                else:
                    messages.success(
                        request, _("第%(n)s版として公開しました。") % {"n": version.number}
                    )
                return HttpResponseRedirect(reverse("admin:quiz_versions"))
        status = 422
    live = live_data()
    blockers = in_admin_language(publish_blockers(data))
    return render(
        request,
        "admin/quiz/draft.html",
        _context(
            request,
            _("下書きの確認と公開"),
            changes=criteria_diff.diff(live, data),
            blockers=blockers,
            missing_answers=bool(cases_missing_answers(load_criteria())),
            proposals=ShippedCriteria.objects.filter(state=ShippedCriteria.State.PROPOSED).count(),
            notes=in_admin_language(new_text_notes(live, data, load_glossary())),
            live_number=_live_number(),
            draft_digest=shown,
            note=note,
            note_max=NOTE_MAX,
            errors=errors,
            can_publish=request.user.has_perm(CAN_PUBLISH),
        ),
        status=status,
    )


def _forbidden(request: HttpRequest) -> HttpResponse:
    from quiz.errors import permission_denied

    return permission_denied(request)


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
        title=_("下書きを破棄する"),
        lead=_("下書きの変更をすべて捨てて、公開中の第%(n)s版に戻します。") % {"n": latest.number},
        button=_("下書きを破棄する"),
        done=_("下書きを破棄しました（今は公開中の第%(n)s版と同じです）。") % {"n": latest.number},
        discarding=True,
    )


@permission_required(CAN_PUBLISH, raise_exception=True)
def restore(request: HttpRequest, number: int) -> HttpResponse:
    """An earlier version, whole, as a new draft to review and publish."""
    version = get_object_or_404(CriteriaVersion, number=number)
    return _replace_draft(
        request,
        version.data,
        title=_("第%(n)s版を下書きに戻す") % {"n": number},
        lead=_("第%(n)s版の基準をまるごと下書きにします。公開するまで利用者には見えません。")
        % {"n": number},
        button=_("第%(n)s版を下書きに戻す") % {"n": number},
        done=_("第%(n)s版を下書きに戻しました。確かめてから公開してください。") % {"n": number},
    )


@permission_required(CAN_PUBLISH, raise_exception=True)
def adopt(request: HttpRequest, pk: int) -> HttpResponse:
    """A proposal of the shipped file, into the draft."""
    proposal = get_object_or_404(ShippedCriteria, pk=pk, state=ShippedCriteria.State.PROPOSED)

    def decided() -> None:
        proposal.state = ShippedCriteria.State.ADOPTED
        proposal.decided_by = _who(request)
        proposal.save(update_fields=["state", "decided_by"])

    return _replace_draft(
        request,
        proposal.data,
        title=_("出荷されたファイルを下書きに取り込む"),
        lead=_(
            "新しいコードと一緒に届いた基準のファイルを下書きにします。公開するまで利用者には見えません。"
        ),
        button=_("下書きに取り込む"),
        done=_("出荷されたファイルを下書きに取り込みました。確かめてから公開してください。"),
        after=decided,
    )


def _replace_draft(
    request: HttpRequest,
    data: dict[str, Any],
    *,
    title: str,
    lead: str,
    button: str,
    done: str,
    discarding: bool = False,
    after: Callable[[], None] | None = None,
) -> HttpResponse:
    """The confirmation screen for replacing the draft with `data`, and the replacing itself.
    The draft's unpublished changes, if any, are listed as what would be lost."""
    current = draft_data()
    shown = digest_of(current)
    status = 200
    if request.method == "POST":
        if request.POST.get("draft") == shown:
            with transaction.atomic():
                write_tables(canonical(data))
                if after is not None:
                    after()
            messages.success(request, done)
            return HttpResponseRedirect(reverse("admin:quiz_draft"))
        messages.warning(
            request,
            stale_message(),
        )
        status = 409
    live = live_data()
    unpublished = [] if discarding else criteria_diff.diff(live, current)
    return render(
        request,
        "admin/quiz/replace_draft.html",
        _context(
            request,
            title,
            lead=lead,
            button=button,
            changes=criteria_diff.diff(current, canonical(data)),
            unpublished=unpublished,
            discarding=discarding,
            draft_digest=shown,
        ),
        status=status,
    )


@permission_required("quiz.view_criteriaversion")
def versions(request: HttpRequest) -> HttpResponse:
    """Every published version, and any two compared (`?a=1&b=3`)."""
    rows = list(CriteriaVersion.objects.defer("data"))
    numbers = {v.number for v in rows}
    compared: tuple[int, int] | None = None
    changes: list[criteria_diff.ItemChange] = []
    a, b = request.GET.get("a", ""), request.GET.get("b", "")
    if a.isdigit() and b.isdigit() and int(a) in numbers and int(b) in numbers:
        compared = (int(a), int(b))
        data = dict(
            CriteriaVersion.objects.filter(number__in=compared).values_list("number", "data")
        )
        changes = criteria_diff.diff(data[compared[0]], data[compared[1]])
    return render(
        request,
        "admin/quiz/versions.html",
        _context(
            request,
            _("基準の版"),
            versions=rows,
            compared=compared,
            changes=changes,
            can_publish=request.user.has_perm(CAN_PUBLISH),
            live_number=rows[0].number if rows else None,
        ),
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
        _context(
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
    proposal.state = ShippedCriteria.State.DISMISSED
    proposal.decided_by = _who(request)
    proposal.save(update_fields=["state", "decided_by"])
    messages.success(request, _("提案を取り込まずに閉じました。"))
    return HttpResponseRedirect(reverse("admin:quiz_proposals"))


@permission_required(CAN_EDIT)
def import_criteria(request: HttpRequest) -> HttpResponse:
    """Upload a file, see what it changes in the draft, then apply exactly that file: the apply
    form carries the file's digest, so another upload (in another tab) never takes its place,
    and a refused upload leaves everything as it was."""
    errors: list[str] = []
    status = 200
    incoming: dict[str, Any] | None = None
    if request.method == "POST" and "apply" in request.POST:
        upload = UploadedCriteria.objects.filter(digest=request.POST.get("digest", "")).first()
        if upload is None:
            errors = [_("このファイルはもう残っていません。もう一度読み込んでください。")]
            status = 410
        elif request.POST.get("draft") != digest_of(draft_data()):
            messages.warning(
                request,
                stale_message(),
            )
            incoming, status = upload.data, 409
        else:
            with transaction.atomic():
                changed = stage_criteria(upload.data)
                upload.delete()
            messages.success(
                request,
                _("ファイルを下書きに読み込みました。確かめてから公開してください。")
                if changed
                else _("下書きはすでにこのファイルと同じです。"),
            )
            return HttpResponseRedirect(reverse("admin:quiz_draft"))
    elif request.method == "POST" and "file" in request.FILES:
        try:
            # Never more than one byte past the limit in memory, however large the upload.
            raw = engine.read_criteria_json(
                request.FILES.getlist("file")[0].read(engine.FILE_MAX_BYTES + 1)
            )
            incoming = canonical(raw)
        except engine.CriteriaError as error:
            errors = in_admin_language(error.problems)
        else:
            UploadedCriteria.objects.filter(uploaded_at__lt=timezone.now() - UPLOAD_KEPT).delete()
            UploadedCriteria.objects.get_or_create(
                digest=digest_of(incoming), defaults={"data": incoming}
            )
    current = draft_data()
    context: dict[str, Any] = {"errors": errors}
    if incoming is not None:
        context |= {
            "digest": digest_of(incoming),
            "draft_digest": digest_of(current),
            "changes": criteria_diff.diff(current, incoming),
            "unpublished": criteria_diff.diff(live_data(), current),
            "blockers": in_admin_language(publish_blockers(incoming)),
            "notes": in_admin_language(new_text_notes(current, incoming, load_glossary())),
        }
    return render(
        request,
        "admin/quiz/import.html",
        _context(request, _("基準の読み込みと書き出し"), **context),
        status=status,
    )


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


def _answer(question: engine.Question, values: list[str]) -> engine.AnswerValue | None:
    """One posted answer as a test case stores it; None when nothing usable was given."""
    answer = engine.parse_answer(question, values)
    return None if isinstance(answer, engine.AnswerError) else answer


@permission_required("quiz.change_criteriatestcase")
@draft_must_be_valid
def missing_answers(request: HttpRequest) -> HttpResponse:
    """Every test case that lacks an answer to a required question, on one screen, with that
    question's choices: one form gives each case its answer."""
    criteria = load_criteria()
    rows = cases_missing_answers(criteria)
    if request.method == "POST":
        saved = 0
        for case, questions in rows:
            answers = dict(case.answers)
            for question in questions:
                value = _answer(question, request.POST.getlist(f"{case.slug}:{question.slug}"))
                if value is not None:
                    answers[question.slug] = list(value) if isinstance(value, tuple) else value
            if answers != case.answers:
                case.answers = answers
                case.save(update_fields=["answers"])
                saved += 1
        messages.success(request, _("%(n)s件のテストケースに答えを入れました。") % {"n": saved})
        return HttpResponseRedirect(reverse("admin:quiz_missing_answers"))
    return render(
        request,
        "admin/quiz/missing_answers.html",
        _context(request, _("テストケースに足りない答え"), rows=rows),
    )
