"""Benchmark: OAI-PMH ListRecords records per second at the first page and at a deep page.

``measure_list_records()`` measures on whatever database Django is set up with (bench/library.py
calls it on its corpus): it requests the first page of ListRecords through the whole Django
stack (URL routing, view, selectors, XML writing), then the page ``deep_page`` by the resumption
token a harvester would hold after walking there (the key of the last record of the page before,
signed exactly as the provider signs it), and reports records per second and the ratio.

Run on its own, it builds a throwaway database with a generated corpus (languages, kinds, topics,
creators and abstract lengths like the demo content) and measures it:

    .venv/bin/python bench/library_oai.py --resources 60000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/iite .venv/bin/python bench/library_oai.py
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

WORDS = [
    *("digital", "learning", "teachers", "competencies", "school", "policy", "inclusive"),
    *("education", "open", "resources", "mobile", "assessment", "curriculum", "data"),
    *("artificial", "intelligence", "literacy", "safety", "skills", "platform", "equity"),
    *("access", "rural", "connectivity", "pedagogy", "innovation", "training", "framework"),
]


def _page_seconds(client: Any, params: dict[str, str], repeat: int) -> tuple[float, int, bytes]:
    durations = []
    body = b""
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get("/oai", params)
        durations.append(time.perf_counter() - started)
        assert response.status_code == 200
        body = response.content
    return statistics.median(durations), body.count(b"<record>"), body


def measure_list_records(
    *, page_size: int = 100, deep_page: int = 500, prefix: str = "oai_dc", repeat: int = 5
) -> dict[str, Any]:
    """ListRecords records/second at page 1 and at ``deep_page`` on the current database.

    Needs at least ``page_size * deep_page`` published or withdrawn resources with datestamps.
    """
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from iite.library.models import Resource
    from iite.library.oai import tokens
    from iite.library.oai.selectors import VISIBLE

    settings.LIBRARY_OAI_PAGE_SIZE = page_size
    visible = Resource.objects.filter(status__in=VISIBLE, datestamp__isnull=False)
    total = visible.count()
    needed = page_size * deep_page
    if total < needed:
        raise SystemExit(f"{total} records; page {deep_page} of {page_size} needs {needed}.")
    client = Client()
    first_seconds, first_records, _body = _page_seconds(
        client, {"verb": "ListRecords", "metadataPrefix": prefix}, repeat
    )
    # The key a harvester holds after page deep_page - 1: the last record of that page.
    # (Found here with an offset, once, outside the timing; the provider itself never uses one.)
    last = visible.order_by("datestamp", "id").values_list("datestamp", "id")[
        page_size * (deep_page - 1) - 1
    ]
    now = timezone.now().replace(microsecond=0)
    token = tokens.encode(
        tokens.ListState(
            verb="ListRecords",
            prefix=prefix,
            set_spec="",
            start="",
            end=now.isoformat(),
            after_datestamp=last[0].isoformat(),
            after_id=last[1],
            cursor=page_size * (deep_page - 1),
            size=total,
        )
    )
    deep_seconds, deep_records, _body = _page_seconds(
        client, {"verb": "ListRecords", "resumptionToken": token}, repeat
    )
    assert first_records == deep_records == page_size, (first_records, deep_records)
    result = {
        "records": total,
        "prefix": prefix,
        "page_size": page_size,
        "first_page_ms": first_seconds * 1000,
        "deep_page": deep_page,
        "deep_page_ms": deep_seconds * 1000,
        "first_records_per_second": page_size / first_seconds,
        "deep_records_per_second": page_size / deep_seconds,
    }
    result["deep_to_first"] = result["deep_records_per_second"] / result["first_records_per_second"]
    return result


def generate(count: int, seed: int) -> None:
    """``count`` resources, 95 % published and 5 % withdrawn, with creators and topics."""
    from django.db import transaction

    from iite.library.models import Creator, Resource
    from iite.reference.models import Language, Topic

    rng = random.Random(seed)
    languages = {
        code: Language.objects.get(code=code).pk for code in ("en", "fr", "es", "ru", "ar", "zh")
    }
    weights = [50, 15, 12, 10, 8, 5]
    topics = list(Topic.objects.values_list("pk", flat=True))
    kinds = [kind.value for kind in Resource.Kind]
    start = datetime(2015, 1, 1, tzinfo=UTC)
    batch = 5000
    through = Resource.topics.through
    for offset in range(0, count, batch):
        rows = []
        for _number in range(offset, min(count, offset + batch)):
            stamp = start + timedelta(seconds=rng.randrange(0, 10 * 365 * 86400))
            withdrawn = rng.random() < 0.05
            rows.append(
                Resource(
                    uuid=uuid.uuid4(),
                    work=uuid.uuid4(),
                    kind=rng.choice(kinds),
                    status=Resource.Status.WITHDRAWN if withdrawn else Resource.Status.PUBLISHED,
                    title=" ".join(rng.choices(WORDS, k=rng.randint(4, 12))).capitalize(),
                    abstract=" ".join(rng.choices(WORDS, k=rng.randint(40, 220))),
                    keywords=rng.sample(WORDS, 3),
                    language_id=rng.choices(list(languages.values()), weights)[0],
                    publisher="UNESCO IITE",
                    issued=stamp.date(),
                    datestamp=stamp,
                    published_at=stamp,
                )
            )
        with transaction.atomic():
            created = Resource.objects.bulk_create(rows)
            Creator.objects.bulk_create(
                Creator(
                    resource=resource,
                    order=order,
                    family_name=rng.choice(WORDS).title(),
                    given_names="A.",
                )
                for resource in created
                for order in range(rng.randint(1, 3))
            )
            through.objects.bulk_create(
                through(resource_id=resource.pk, topic_id=topic)
                for resource in created
                for topic in rng.sample(topics, rng.randint(0, 2))
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=60_000)
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--deep-page", type=int, default=500)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("IITE_VAR_DIR", tmp)
        os.environ["IITE_ENV"] = "test"
        os.environ["DJANGO_SETTINGS_MODULE"] = "iite.config.settings"
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection

        from iite.reference.services import reference_load

        settings.ALLOWED_HOSTS = ["testserver"]
        throwaway = connection.vendor == "postgresql"
        if throwaway:
            connection.creation.create_test_db(verbosity=0, autoclobber=True)
        else:
            call_command("migrate", verbosity=0)
        try:
            reference_load()
            started = time.perf_counter()
            generate(args.resources, args.seed)
            seconds = time.perf_counter() - started
            print(f"{connection.vendor}: generated {args.resources:,} resources in {seconds:.1f} s")
            for prefix in ("oai_dc", "iite_lrmi"):
                result = measure_list_records(
                    page_size=args.page_size, deep_page=args.deep_page, prefix=prefix
                )
                print(
                    f"ListRecords {prefix}: page 1 {result['first_page_ms']:.0f} ms "
                    f"({result['first_records_per_second']:.0f} records/s), page {args.deep_page} "
                    f"{result['deep_page_ms']:.0f} ms ({result['deep_records_per_second']:.0f} "
                    f"records/s), deep/first {result['deep_to_first']:.2f}"
                )
        finally:
            if throwaway:
                connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
