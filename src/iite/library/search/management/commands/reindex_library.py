"""``iite reindex-library``: rebuild the library's search index from the published resources."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from iite.library.search.index import rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the library's search index: empty it and index every published resource again "
        "(title, abstract, creators, keywords, extracted full text and facets), in one "
        "transaction, so searches see the old index until the new one is complete. Needed only "
        "after restoring a database or changing how text is indexed; publishing and editing "
        "keep the index current by themselves."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        count = rebuild()
        seconds = time.perf_counter() - started
        self.stdout.write(f"Indexed {count} published resources in {seconds:.1f} s.")
