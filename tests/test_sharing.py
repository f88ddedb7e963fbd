"""What a shared result says: the sharing tags, the share text and where LINE and X lead, in
the result's language like its image; the image itself, drawn once and kept."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.test import Client
from django.utils.html import escape

from quiz import sharing
from quiz.models import Result
from tests import factories as f


@pytest.mark.django_db
@pytest.mark.usefixtures("shipped_criteria")
@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_tags_and_the_share_text_name_the_type(language):
    made = f.result(language=language)
    titles = [r["title"][language] for r in made.snapshot["recommendations"][:3]]
    name = made.snapshot["type"]["name"][language]
    line = made.snapshot["type"]["line"][language]

    page = Client().get(f"/r/{made.token}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()

    title = {"ja": f"人脈診断の結果：{name}", "en": f"Networking Check result: {name}"}[language]
    described = {
        "ja": f"{line}まずやること：{'／'.join(titles)}",
        "en": f"{line} Do these first: {'; '.join(titles)}",
    }[language]
    assert f'<meta property="og:title" content="{escape(title)}">' in page
    assert f'<meta name="twitter:title" content="{escape(title)}">' in page
    assert f'<meta property="og:description" content="{escape(described)}">' in page
    assert f'<meta name="twitter:description" content="{escape(described)}">' in page
    # The share buttons are the owner's alone (#32): their text, and where LINE and X lead.
    owner = Client(HTTP_ACCEPT_LANGUAGE=language)
    f.owned(owner, made)
    assert f'data-share-text="{escape(title)}"' in owner.get(f"/r/{made.token}/").content.decode()
    line = owner.get(f"/r/{made.token}/share/line/")["Location"]
    x = owner.get(f"/r/{made.token}/share/x/")["Location"]
    assert line.startswith("https://line.me/R/share?text=" + quote(title, safe=""))
    assert x.startswith("https://twitter.com/intent/tweet?text=" + quote(title, safe=""))


@pytest.mark.django_db
@pytest.mark.usefixtures("shipped_criteria")
@pytest.mark.parametrize("reader", ["ja", "en"])
def test_the_tags_and_the_share_text_are_in_the_result_s_language_like_its_image(reader):
    made = f.result(language="en")
    name = made.snapshot["type"]["name"]["en"]

    page = Client().get(f"/r/{made.token}/", HTTP_ACCEPT_LANGUAGE=reader).content.decode()

    title = f"Networking Check result: {name}"
    assert f'<meta property="og:title" content="{escape(title)}">' in page
    owner = Client(HTTP_ACCEPT_LANGUAGE=reader)
    f.owned(owner, made)
    assert f'data-share-text="{escape(title)}"' in owner.get(f"/r/{made.token}/").content.decode()
    line = owner.get(f"/r/{made.token}/share/line/")["Location"]
    assert line.startswith("https://line.me/R/share?text=" + quote(title, safe=""))


@pytest.mark.django_db
@pytest.mark.usefixtures("shipped_criteria")
def test_the_share_image_is_drawn_on_first_use_and_kept_with_the_result(django_assert_num_queries):
    made = f.result()

    with django_assert_num_queries(1):  # the UPDATE that keeps it
        first = sharing.share_image(made)
    with django_assert_num_queries(0):
        again = sharing.share_image(made)

    assert first == again
    assert first.startswith(b"\x89PNG")
    assert bytes(Result.objects.get(pk=made.pk).og_image or b"") == first
