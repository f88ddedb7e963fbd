"""Importing a criteria file into the draft, in the admin: upload a file, see what it changes in
the draft, then apply exactly that file.

The apply form carries the file's digest, so another upload (in another tab) never takes its
place, and the digest of the draft it was shown against, so a draft changed meanwhile is shown
again rather than overwritten. A refused upload leaves everything as it was, earlier uploads
waiting for their button included.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from quiz import criteria_diff
from quiz.admin_drafts import CAN_EDIT, tool_context
from quiz.admin_forms import ApplyImportForm, ImportForm
from quiz.admin_names import in_admin_language
from quiz.criteria import digest_of, draft_data, live_data, publish_blockers, stage_criteria
from quiz.engine.glossary import load_glossary, new_text_notes
from quiz.models import UploadedCriteria

# An uploaded file waits this long for its "apply" button; then it is uploaded again.
UPLOAD_KEPT = timedelta(days=1)


@permission_required(CAN_EDIT)
def import_criteria(request: HttpRequest) -> HttpResponse:
    """The upload form; an upload's changes with the form that applies it; applying it."""
    current = draft_data()
    upload, apply, incoming = ImportForm(), None, None
    if request.method == "POST" and "apply" in request.POST:
        apply = ApplyImportForm(request.POST, shown=digest_of(current))
        if apply.is_valid():
            return _apply(request, apply.cleaned_data["digest"])
        kept = apply.cleaned_data.get("digest")
        incoming = kept.data if kept else None
    elif request.method == "POST":
        upload = ImportForm(request.POST, request.FILES)
        if upload.is_valid():
            incoming = _keep(upload.cleaned_data["file"])
            apply = ApplyImportForm(
                initial={"digest": digest_of(incoming)}, shown=digest_of(current)
            )
    context = tool_context(request, _("基準の読み込みと書き出し"), upload=upload, apply=apply)
    # Refused: stale, with the upload's changes shown again; or its file no longer kept.
    status = (409 if incoming else 410) if apply is not None and apply.is_bound else 200
    return render(
        request, "admin/quiz/import.html", context | _changes(current, incoming), status=status
    )


def _keep(incoming: dict[str, Any]) -> dict[str, Any]:
    """Keeps an uploaded file, by its digest, for its apply button; forgets old ones."""
    UploadedCriteria.objects.filter(uploaded_at__lt=timezone.now() - UPLOAD_KEPT).delete()
    UploadedCriteria.objects.get_or_create(digest=digest_of(incoming), defaults={"data": incoming})
    return incoming


def _apply(request: HttpRequest, upload: UploadedCriteria) -> HttpResponse:
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


def _changes(current: dict[str, Any], incoming: dict[str, Any] | None) -> dict[str, Any]:
    """What applying `incoming` would change in the draft `current`, and what it would lose or
    block."""
    if incoming is None:
        return {}
    return {
        "digest": digest_of(incoming),
        "changes": criteria_diff.diff(current, incoming),
        "unpublished": criteria_diff.diff(live_data(), current),
        "blockers": in_admin_language(publish_blockers(incoming)),
        "notes": in_admin_language(new_text_notes(current, incoming, load_glossary())),
    }
