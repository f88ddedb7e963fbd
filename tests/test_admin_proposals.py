"""The shipped file's proposals (quiz.admin_drafts.proposals, adopt, dismiss)."""

from __future__ import annotations

import pytest

from quiz import criteria as store
from quiz.models import CriteriaVersion, ShippedCriteria
from tests import factories as f
from tests.admin_pages import diff_rows, digest_field, page

pytestmark = pytest.mark.usefixtures("shipped_criteria")


def test_a_proposal_is_listed_with_its_diff_and_adopted_into_the_draft(editor):
    shipped = f.shipped_criteria()
    shipped["warnings"][0]["title_en"] = "Shipped title"
    proposal = ShippedCriteria.objects.create(
        digest=store.digest_of(store.canonical(shipped)),
        data=store.canonical(shipped),
        state="proposed",
    )
    slug = shipped["warnings"][0]["slug"]

    draft = page(editor, "/admin/tools/draft/")
    listed = page(editor, "/admin/tools/proposals/")
    confirm = page(editor, f"/admin/tools/proposals/{proposal.pk}/adopt/")
    editor.post(
        f"/admin/tools/proposals/{proposal.pk}/adopt/", {"draft": digest_field(confirm, "draft")}
    )

    assert (
        f"変更 注意 {slug}",
        "タイトル（英語）",
        f.shipped_criteria()["warnings"][0]["title_en"],
        "Shipped title",
    ) in diff_rows(listed)
    assert "基準のファイルが1件、提案として待っています。" in draft
    assert store.draft_data()["warnings"][0]["title_en"] == "Shipped title"
    assert CriteriaVersion.objects.count() == 1
    proposal.refresh_from_db()
    assert (proposal.state, proposal.decided_by) == ("adopted", "hanako")


def test_a_proposal_can_be_dismissed(editor):
    proposal = ShippedCriteria.objects.create(digest="a" * 64, data={}, state="proposed")

    editor.post(f"/admin/tools/proposals/{proposal.pk}/dismiss/")

    proposal.refresh_from_db()
    assert proposal.state == "dismissed"
    assert 'id="no-proposals"' in page(editor, "/admin/tools/proposals/")
