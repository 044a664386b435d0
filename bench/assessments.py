"""Benchmark: assessment reports over many generated responses, against the same sums in SQL.

Generates N submitted responses of the teacher instrument (ICT CFT, 36 items each, scored by the
real scoring function) across 100 countries and 10,000 schools (one campaign per school), with
their answers, then times in one run:

- a school report (``group_summary`` of one school's campaign), mean of the 5 largest schools
  and of 5 schools of median size;
- a country report (``group_summary`` of every response in the country with most responses);
- the open-data export (``open_data`` over every response), and the same in plain SQL;
- for the school and the country, the same aggregation written directly in SQL over the same
  tables (respondents per group; target counts and sums per group and level from the narrow
  ``assessments_targetscore`` table; item distributions from the answers), and the ratio.

    .venv/bin/python bench/assessments.py --responses 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/iite .venv/bin/python bench/assessments.py

It builds a throwaway test database (SQLite in a temporary file, or test_<name> on PostgreSQL)
and drops it afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable
from typing import Any

SCHOOLS = 10_000
COUNTRIES = 100
BATCH = 20_000


def timed(function: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    """Mean wall time of ``repeat`` calls, after one untimed call that warms the caches, so
    whichever of a report and its direct SQL runs first does not pay for reading the disk."""
    function()
    durations = []
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        durations.append(time.perf_counter() - started)
    return statistics.mean(durations), result


# The SQL below is assembled from table and column names written in this file, never from input
# (hence its S608 exceptions); every value goes through the driver's parameters.


def insert(table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Bulk insert: COPY on PostgreSQL, executemany on SQLite (the ORM is far too slow here)."""
    from django.db import connection

    names = ", ".join(f'"{column}"' for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" for _ in columns)
            statement = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
            cursor.cursor.executemany(statement, rows)


def generate(responses: int, seed: int) -> dict[str, Any]:
    from django.db import connection, transaction
    from django.utils import timezone

    from iite.accounts.models import Organisation
    from iite.assessments import selectors, services
    from iite.assessments.models import Campaign, Item
    from iite.assessments.scoring import score
    from iite.reference.models import Country
    from iite.reference.services import reference_load

    rng = random.Random(seed)
    reference_load()
    services.instruments_load_packaged()
    instrument = selectors.instrument_latest("ict-cft-teacher")
    assert instrument is not None
    definition = selectors.definition_of(instrument)
    items = {item.code: item.pk for item in Item.objects.filter(instrument=instrument)}
    countries = list(Country.objects.order_by("alpha2")[:COUNTRIES])
    now = timezone.now()
    with transaction.atomic():
        schools = Organisation.objects.bulk_create(
            Organisation(name=f"School {n}", kind="school", country=countries[n % COUNTRIES])
            for n in range(SCHOOLS)
        )
        campaigns = Campaign.objects.bulk_create(
            Campaign(
                instrument=instrument,
                scope="organisation",
                organisation=school,
                opens_at=now - timezone.timedelta(days=30),
                closes_at=now + timezone.timedelta(days=30),
                groups=["teacher"],
                join_code=f"B{n:08d}",
            )
            for n, school in enumerate(schools)
        )
    # Schools differ in size: a few large ones, many small ones.
    weights = [rng.paretovariate(1.5) for _ in campaigns]
    chosen = rng.choices(range(len(campaigns)), weights=weights, k=responses)
    postgres = connection.vendor == "postgresql"
    moment: Any = now if postgres else now.replace(tzinfo=None)  # SQLite keeps naive UTC
    started = time.perf_counter()
    answer_id = 0
    score_id = 0
    for first in range(0, responses, BATCH):
        batch = chosen[first : first + BATCH]
        response_rows, result_rows, answer_rows, score_rows = [], [], [], []
        for offset, index in enumerate(batch):
            response_id = first + offset + 1
            key = uuid.uuid4()
            response_rows.append(
                (
                    response_id,
                    campaigns[index].pk,
                    instrument.pk,
                    "teacher",
                    "submitted",
                    key if postgres else key.hex,
                    "",
                    moment,
                    moment,
                )
            )
            habit = rng.random()  # how far this teacher's practice goes, overall
            values = {code: min(3, max(0, round(habit * 3 + rng.gauss(0, 0.8)))) for code in items}
            outcome = score(definition, values)
            result_rows.append(
                (
                    response_id,
                    response_id,
                    json.dumps(dict(outcome.scores)),
                    json.dumps(dict(outcome.levels)),
                    json.dumps(dict(outcome.rollup)),
                    moment,
                )
            )
            for target, value in outcome.scores.items():
                score_id += 1
                score_rows.append(
                    (
                        score_id,
                        response_id,
                        campaigns[index].pk,
                        instrument.pk,
                        "teacher",
                        target,
                        float(value),
                        outcome.levels[target],
                        countries[index % COUNTRIES].pk,
                        True,
                    )
                )
            for code, value in values.items():
                answer_id += 1
                answer_rows.append((answer_id, response_id, items[code], value, False, ""))
        with transaction.atomic():
            insert(
                "assessments_response",
                (
                    "id",
                    "campaign_id",
                    "instrument_id",
                    "group",
                    "status",
                    "submission_key",
                    "language",
                    "started_at",
                    "submitted_at",
                ),
                response_rows,
            )
            insert(
                "assessments_result",
                ("id", "response_id", "scores", "levels", "rollup", "computed_at"),
                result_rows,
            )
            insert(
                "assessments_answer",
                ("id", "response_id", "item_id", "value", "not_applicable", "text"),
                answer_rows,
            )
            insert(
                "assessments_targetscore",
                (
                    "id",
                    "response_id",
                    "campaign_id",
                    "instrument_id",
                    "group",
                    "target",
                    "score",
                    "level",
                    "country_id",
                    "counted",
                ),
                score_rows,
            )
    if postgres:
        with connection.cursor() as cursor:
            tables = (
                "assessments_response",
                "assessments_result",
                "assessments_answer",
                "assessments_targetscore",
            )
            for table in tables:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"(SELECT MAX(id) FROM {table}))"
                )
            cursor.execute("ANALYZE")
    generation = time.perf_counter() - started
    by_country: dict[int, int] = {}
    for index in chosen:
        country = countries[index % COUNTRIES].pk
        by_country[country] = by_country.get(country, 0) + 1
    biggest_country = max(by_country, key=lambda key: by_country[key])
    # School reports are timed on the five largest schools and on five schools of median size.
    sizes = Counter(chosen)
    ranked = sizes.most_common()
    middle = len(ranked) // 2
    largest = [index for index, _count in ranked[:5]]
    typical = [index for index, _count in ranked[middle : middle + 5]]
    return {
        "instrument": instrument,
        "campaigns": campaigns,
        "country": biggest_country,
        "country_responses": by_country[biggest_country],
        "generation": generation,
        "school_indexes": largest,
        "school_sizes": [sizes[index] for index in largest],
        "typical_indexes": typical,
        "typical_sizes": [sizes[index] for index in typical],
        "items": items,
    }


def direct_sql(campaign_filter: str, parameters: list[Any]) -> Any:
    """The report's aggregation in plain SQL over the same tables: respondents per group, target
    counts and sums per group and level from the narrow table, item distributions."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            'SELECT p."group", COUNT(*) FROM assessments_response p '  # noqa: S608
            f"WHERE p.status = 'submitted' AND p.campaign_id {campaign_filter} "
            'GROUP BY p."group"',
            parameters,
        )
        respondents = cursor.fetchall()
        cursor.execute(
            'SELECT t."group", t.target, t.level, COUNT(*), SUM(t.score) '  # noqa: S608
            f"FROM assessments_targetscore t WHERE t.campaign_id {campaign_filter} "
            'GROUP BY t."group", t.target, t.level',
            parameters,
        )
        targets = cursor.fetchall()
        cursor.execute(
            'SELECT p."group", a.item_id, a.value, a.not_applicable, COUNT(*) '  # noqa: S608
            "FROM assessments_answer a JOIN assessments_response p ON p.id = a.response_id "
            f"WHERE p.status = 'submitted' AND p.campaign_id {campaign_filter} "
            'GROUP BY p."group", a.item_id, a.value, a.not_applicable',
            parameters,
        )
        distributions = cursor.fetchall()
    return respondents, targets, distributions


def direct_open_data_sql() -> Any:
    """Open data's aggregation in plain SQL: counted rows per version, country and target."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM assessments_instrument WHERE code = %s", ["ict-cft-teacher"])
        versions = [row[0] for row in cursor.fetchall()]
        marks = ", ".join("%s" for _ in versions)
        cursor.execute(
            "SELECT t.instrument_id, t.country_id, t.target, COUNT(*), SUM(t.score) "  # noqa: S608
            f"FROM assessments_targetscore t WHERE t.instrument_id IN ({marks}) "
            "AND t.counted AND t.country_id IS NOT NULL "
            "GROUP BY t.instrument_id, t.country_id, t.target",
            versions,
        )
        return cursor.fetchall()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("IITE_VAR_DIR", tmp)
        os.environ["IITE_ENV"] = "test"
        # Its own throwaway database on PostgreSQL, never the test suite's.
        os.environ.setdefault("TEST_DATABASE_NAME", "iite_bench_assessments")
        os.environ["DJANGO_SETTINGS_MODULE"] = "iite.config.settings"
        if not os.environ.get("DATABASE_URL"):
            os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from iite.assessments.models import Campaign
        from iite.assessments.open_data import open_data
        from iite.assessments.selectors import group_summary

        throwaway = connection.vendor == "postgresql"
        if throwaway:
            connection.creation.create_test_db(verbosity=0, autoclobber=True)
        else:  # the SQLite file in the temporary folder is throwaway already
            call_command("migrate", verbosity=0)
        try:
            data = generate(args.responses, args.seed)
            campaigns = data["campaigns"]
            schools = [campaigns[n] for n in data["school_indexes"]]
            school_time, _ = timed(lambda: [group_summary(c) for c in schools])
            school_time /= len(schools)
            school_sql, _ = timed(lambda: [direct_sql("= %s", [c.pk]) for c in schools])
            school_sql /= len(schools)
            typical = [campaigns[n] for n in data["typical_indexes"]]
            typical_time, _ = timed(lambda: [group_summary(c) for c in typical])
            typical_time /= len(typical)
            typical_sql, _ = timed(lambda: [direct_sql("= %s", [c.pk]) for c in typical])
            typical_sql /= len(typical)
            country_filter = (
                "IN (SELECT c.id FROM assessments_campaign c "
                "JOIN accounts_organisation o ON o.id = c.organisation_id WHERE o.country_id = %s)"
            )
            in_country = Campaign.objects.filter(organisation__country_id=data["country"])
            country_time, _ = timed(lambda: group_summary(in_country))
            country_sql, _ = timed(lambda: direct_sql(country_filter, [data["country"]]))
            open_time, published = timed(lambda: open_data(instrument="ict-cft-teacher"))
            open_sql, _ = timed(direct_open_data_sql)
        finally:
            if throwaway:
                connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)

    sizes = ", ".join(str(size) for size in data["school_sizes"])
    print(f"database: {connection.vendor}; {args.responses:,} responses x 36 answers")
    print(f"  generated in {data['generation']:.0f} s")
    print(
        f"  school report   {school_time * 1000:8.1f} ms   direct SQL {school_sql * 1000:8.1f} ms"
        f"   ratio {school_time / school_sql:5.2f}   (schools of {sizes} responses)"
    )
    typical_sizes = ", ".join(str(size) for size in data["typical_sizes"])
    print(
        f"  median school   {typical_time * 1000:8.1f} ms   direct SQL {typical_sql * 1000:8.1f} ms"
        f"   ratio {typical_time / typical_sql:5.2f}   (schools of {typical_sizes} responses)"
    )
    print(
        f"  country report  {country_time * 1000:8.1f} ms   direct SQL {country_sql * 1000:8.1f} ms"
        f"   ratio {country_time / country_sql:5.2f}   ({data['country_responses']:,} responses)"
    )
    print(
        f"  open data       {open_time * 1000:8.1f} ms   direct SQL {open_sql * 1000:8.1f} ms"
        f"   ratio {open_time / open_sql:5.2f}   ({len(published.rows)} rows published, "
        f"{published.withheld_rows} withheld)"
    )


if __name__ == "__main__":
    main()
