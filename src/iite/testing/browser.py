"""Drive Debian's Chromium with Playwright and audit pages with the vendored axe-core."""

from __future__ import annotations

import gzip
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

AXE_PATH = Path(__file__).with_name("axe.min.js")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BLOCKING_IMPACTS = {"serious", "critical"}


def chromium_path() -> str | None:
    """Debian's Chromium, or $CHROMIUM_PATH; Playwright's own browser download cannot work here."""
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Serious and critical WCAG 2.x A/AA violations axe-core finds on the page as it is now."""
    page.add_script_tag(path=str(AXE_PATH))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                             'wcag22aa', 'best-practice']}
        })"""
    )
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "targets": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in result["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


@dataclass
class TransferLog:
    """Bytes a page load would transfer: HTML as served, static files gzip-compressed."""

    entries: list[tuple[str, int]] = field(default_factory=list)

    def record(self, response: Any) -> None:
        try:
            body = response.body()
        except Exception:
            return
        encoding = (response.headers.get("content-encoding") or "").lower()
        is_static = "/static/" in response.url
        size = len(gzip.compress(body, 6)) if is_static and not encoding else len(body)
        self.entries.append((response.url, size))

    @property
    def total(self) -> int:
        return sum(size for _url, size in self.entries)
