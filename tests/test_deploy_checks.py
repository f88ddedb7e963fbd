"""`check --deploy` fails when a release would serve broken pages (no font for share images, no
compiled translations), and a share image that cannot be drawn is a readable card, never a 5xx."""

from __future__ import annotations

import io
import shutil

import pytest
from django.test import Client
from PIL import Image

from quiz import apps, result_views
from tests import factories as f
from tests.servers import ROOT, manage, production_env


def test_check_deploy_fails_without_the_share_image_font(tmp_path):
    result = manage(
        "check", "--deploy", env=production_env(DJANGO_OG_FONT_PATH=str(tmp_path / "gone.ttf"))
    )

    assert result.returncode == 1
    assert f"(quiz.E001) The font for share images is missing: {tmp_path / 'gone.ttf'}" in (
        result.stderr
    )


def test_the_font_check_passes_when_the_font_is_there(settings):
    assert apps.share_image_font_is_installed() == []


def test_catalogues_without_their_compiled_files_are_an_error(settings, tmp_path):
    shutil.copytree(ROOT / "locale", tmp_path / "locale")
    (tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.mo").unlink()
    settings.LOCALE_PATHS = [tmp_path / "locale"]

    (error,) = apps.catalogues_are_compiled()

    assert error.id == "quiz.E002"
    assert error.msg == (
        f"Translations are not compiled: {tmp_path / 'locale/en/LC_MESSAGES/django.mo'}"
    )


def test_compiled_catalogues_pass(settings):
    assert apps.catalogues_are_compiled() == []


@pytest.mark.django_db
@pytest.mark.usefixtures("shipped_criteria")
def test_a_share_image_that_cannot_be_drawn_is_the_fallback_card(settings, tmp_path, caplog):
    settings.OG_FONT_PATH = str(tmp_path / "gone.ttf")
    made = f.result()

    response = Client().get(f"/r/{made.token}/og.png")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content == result_views.SHARE_FALLBACK.read_bytes()
    # Kept nowhere: once the font is back, the result's own image is drawn.
    assert response["Cache-Control"] == "no-store"
    made.refresh_from_db()
    assert made.og_image is None
    assert caplog.records[-1].getMessage() == (
        "The share image could not be drawn; the fallback was sent."
    )
    assert made.token not in caplog.text


def test_the_fallback_card_is_a_share_image_sized_png():
    image = Image.open(io.BytesIO(result_views.SHARE_FALLBACK.read_bytes()))

    assert (image.format, image.size) == ("PNG", (1200, 630))
