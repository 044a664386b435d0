"""HTML to PDF with WeasyPrint, using only the fonts and files that ship with the project.

Nothing is fetched over the network: the URL fetcher refuses every address that is not a
``data:`` URL or a file inside the project's package. Fonts for Latin, Cyrillic, Arabic and
Chinese come from ``core/fonts`` (SIL OFL), so a PDF looks the same on every host.
"""

from __future__ import annotations

import atexit
import threading
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from django.utils.translation import gettext as _

from iite.core.errors import ApplicationError

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
PACKAGE_DIR = FONTS_DIR.parent.parent
_LOCK = threading.Lock()
_FONTS: list[Any] = []  # font configuration, font stylesheet and fetcher, made on first use
atexit.register(_FONTS.clear)  # release them while WeasyPrint can still clean up after itself
FONT_FAMILIES = '"Noto Sans", "Noto Naskh Arabic", "Noto Sans SC", sans-serif'


def _local_fetcher() -> Any:
    """A WeasyPrint URL fetcher for data: URLs and files inside the package, and nothing else."""
    from weasyprint.urls import URLFetcher

    class LocalFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no type hints
        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.startswith(("file://", "data:")):
                raise ValueError(f"PDFs fetch nothing from the network: {url}")
            if url.startswith("file://"):
                path = Path(unquote(url.removeprefix("file://").split("?")[0])).resolve()
                if not path.is_relative_to(PACKAGE_DIR):
                    raise ValueError(f"PDFs read no file outside the project: {url}")
            return super().fetch(url, headers)

    return LocalFetcher(allowed_protocols={"file", "data"})


def html_to_pdf(html: str, *, compress: bool = True) -> bytes:
    """Render a complete HTML document to PDF bytes (``compress=False`` keeps it readable)."""
    try:
        from weasyprint import CSS, HTML
        from weasyprint.text.fonts import FontConfiguration
    except OSError as error:  # WeasyPrint needs the system's Pango library
        raise ApplicationError(
            _("PDF export is not available on this server (the Pango library is missing)."),
            code="pdf_unavailable",
            status=503,
        ) from error
    with _LOCK:
        if not _FONTS:
            # Registering the hundred-odd font faces takes seconds; do it once per process.
            fonts = FontConfiguration()
            fetcher = _local_fetcher()
            stylesheet = CSS(
                filename=str(FONTS_DIR / "fonts.css"), font_config=fonts, url_fetcher=fetcher
            )
            _FONTS.extend([fonts, stylesheet, fetcher])
        fonts, stylesheet, fetcher = _FONTS
        document = HTML(string=html, base_url=str(FONTS_DIR) + "/", url_fetcher=fetcher)
        pdf: bytes = document.write_pdf(
            stylesheets=[stylesheet], font_config=fonts, uncompressed_pdf=not compress
        )
    return pdf
