"""PDFs are drawn with the fonts that ship with the project and fetch nothing from outside it."""

from __future__ import annotations

import pytest

from iite.core.pdf import FONT_FAMILIES, _local_fetcher, html_to_pdf

PAGE = """<!doctype html><html lang="{lang}" dir="{dir}"><head><meta charset="utf-8">
<style>body {{ font-family: {families}; }}</style></head><body><p>{text}</p></body></html>"""


@pytest.mark.parametrize(
    ("lang", "direction", "text", "font"),
    [
        ("zh-Hans", "ltr", "教师信息通信技术能力自我评估", b"Noto-Sans-SC"),
        ("ar", "rtl", "التقييم الذاتي لكفاءات المعلمين", b"Noto-Naskh-Arabic"),
        ("ru", "ltr", "Самооценка ИКТ-компетентности учителя", b"Noto-Sans"),
    ],
)
def test_each_script_is_drawn_with_its_shipped_font(
    lang: str, direction: str, text: str, font: bytes
) -> None:
    html = PAGE.format(lang=lang, dir=direction, families=FONT_FAMILIES, text=text)
    document = html_to_pdf(html, compress=False)
    assert document.startswith(b"%PDF")
    assert font in document
    assert b"DejaVu" not in document  # nothing of this text fell back to the host's fonts


@pytest.mark.parametrize(
    "url", ["http://example.org/logo.png", "https://example.org/a.css", "file:///etc/passwd"]
)
def test_nothing_outside_the_project_is_fetched(url: str) -> None:
    with pytest.raises(ValueError, match="PDFs"):
        _local_fetcher().fetch(url)


def test_a_page_pointing_outside_still_renders(caplog: pytest.LogCaptureFixture) -> None:
    html = PAGE.format(lang="en", dir="ltr", families=FONT_FAMILIES, text="Hello")
    html = html.replace("<p>", '<img src="https://example.org/tracker.png" alt=""><p>')
    assert html_to_pdf(html).startswith(b"%PDF")
