"""Benchmark: assessment reports over many generated responses, against the same sums in SQL.

Generates N submitted responses of the teacher instrument (ICT CFT, 36 items each) across 100
countries and 10,000 schools (one campaign per school), with their answers, then times in one
run:

- a school report (``group_summary`` of one school's campaign), mean of the 5 largest schools
  and of 5 schools of median size;
- a country report (``group_summary`` of every response in the country with most responses);
- the open-data export (``open_data`` over every response), and the same in plain SQL;
- for the school and the country, the same aggregation written directly in SQL over the same
  tables (respondents per group; target counts and sums per group and level from the narrow
  ``assessments_targetscore`` table; item distributions from the answers), and the ratio.

    .venv/bin/python bench/assessments.py --responses 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/iite .venv/bin/python bench/assessments.py

Each response's answers are one of 20,000 answer sets drawn at random and scored by the real
scoring function (scoring every one of a million responses would take most of the generation
time and change nothing in the tables' shape). School sizes follow a log-normal distribution:
100 responses per school on average, a few schools of a thousand and more.

It builds a throwaway database (SQLite in a temporary file, or iite_bench_assessments on
PostgreSQL) and drops it afterwards. Generating a million responses takes a while, so
``--keep`` leaves the database in place (SQLite: ``--sqlite-file PATH``) and a later run with
the same options times the reports on it again without generating.
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
from collections.abc import Callable
from typing import Any

SCHOOLS = 10_000
COUNTRIES = 100
BATCH = 20_000
POOL = 20_000  # distinct scored answer sets


def timed(function: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    """Mean wall time of ``repeat`` calls, after one untimed call that warms the caches, so
    whichever of a report and its direct SQL runs first does not pay for reading the disk.
    (Reports and their SQL are timed in turn, the same number of times.)"""
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


def generate(responses: int, seed: int) -> float:
    """Fill the database; return the seconds it took."""
    from django.db import connection, transaction
    from django.utils import timezone

    from iite.accounts.models import Organisation
    from iite.assessments import selectors, services
    from iite.assessments.models import Campaign, Item
    from iite.assessments.scoring import score
    from iite.reference.models import Country
    from iite.reference.services import reference_load

    started = time.perf_counter()
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
    # The answer sets: how far a teacher's practice goes overall, and item by item around it.
    pool = []
    for _ in range(POOL):
        habit = rng.random()
        values = {code: min(3, max(0, round(habit * 3 + rng.gauss(0, 0.8)))) for code in items}
        outcome = score(definition, values)
        pool.append(
            (
                [(items[code], value) for code, value in values.items()],
                json.dumps(dict(outcome.scores)),
                json.dumps(dict(outcome.levels)),
                json.dumps(dict(outcome.rollup)),
                [
                    (target, float(value), outcome.levels[target])
                    for target, value in outcome.scores.items()
                ],
            )
        )
    # Schools differ in size: log-normal, a hundred responses on average, a few of a thousand.
    weights = [rng.lognormvariate(0, 1.0) for _ in campaigns]
    chosen = rng.choices(range(len(campaigns)), weights=weights, k=responses)
    postgres = connection.vendor == "postgresql"
    moment: Any = now if postgres else now.replace(tzinfo=None)  # SQLite keeps naive UTC
    answer_id = 0
    score_id = 0
    for first in range(0, responses, BATCH):
        batch = chosen[first : first + BATCH]
        response_rows, result_rows, answer_rows, score_rows = [], [], [], []
        for offset, index in enumerate(batch):
            response_id = first + offset + 1
            campaign_id = campaigns[index].pk
            country_id = countries[index % COUNTRIES].pk
            key = uuid.uuid4()
            response_rows.append(
                (
                    response_id,
                    campaign_id,
                    instrument.pk,
                    "teacher",
                    "submitted",
                    key if postgres else key.hex,
                    "",
                    moment,
                    moment,
                )
            )
            answers, scores, levels, rollup, targets = pool[rng.randrange(POOL)]
            result_rows.append((response_id, response_id, scores, levels, rollup, moment))
            for target, value, level in targets:
                score_id += 1
                score_rows.append(
                    (
                        score_id,
                        response_id,
                        campaign_id,
                        instrument.pk,
                        "teacher",
                        target,
                        value,
                        level,
                        country_id,
                        True,
                    )
                )
            for item_id, value in answers:
                answer_id += 1
                answer_rows.append((answer_id, response_id, item_id, value, False, ""))
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
    with connection.cursor() as cursor:
        if postgres:
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
        if not postgres:
            # Fold the write-ahead log into the database, as SQLite's automatic checkpoints do
            # in normal use; reads through a gigabyte of log are several times slower.
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return time.perf_counter() - started


def picks() -> dict[str, Any]:
    """What to time, read from the database (generated now or kept from an earlier run): the
    five largest schools, five of median size, and the country with most responses."""
    from django.db import connection

    from iite.assessments.models import Campaign

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT campaign_id, COUNT(*) FROM assessments_response "
            "WHERE status = 'submitted' GROUP BY campaign_id ORDER BY COUNT(*) DESC, campaign_id"
        )
        ranked = cursor.fetchall()
        cursor.execute(
            "SELECT o.country_id, COUNT(*) FROM assessments_response p "
            "JOIN assessments_campaign c ON c.id = p.campaign_id "
            "JOIN accounts_organisation o ON o.id = c.organisation_id "
            "WHERE p.status = 'submitted' "
            "GROUP BY o.country_id ORDER BY COUNT(*) DESC, o.country_id"
        )
        country, country_responses = cursor.fetchone()
    middle = len(ranked) // 2
    by_id = Campaign.objects.select_related("instrument").in_bulk(
        [pk for pk, _count in ranked[:5] + ranked[middle : middle + 5]]
    )
    return {
        "responses": sum(count for _pk, count in ranked),
        "country": country,
        "country_responses": country_responses,
        "schools": [by_id[pk] for pk, _count in ranked[:5]],
        "school_sizes": [count for _pk, count in ranked[:5]],
        "typical": [by_id[pk] for pk, _count in ranked[middle : middle + 5]],
        "typical_sizes": [count for _pk, count in ranked[middle : middle + 5]],
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
    parser.add_argument(
        "--keep",
        action="store_true",
        help="leave the database in place, and reuse one an earlier run with --keep left",
    )
    parser.add_argument("--sqlite-file", help="the SQLite database file (default: a temporary one)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("IITE_VAR_DIR", tmp)
        os.environ["IITE_ENV"] = "test"
        # Its own throwaway database on PostgreSQL, never the test suite's.
        os.environ.setdefault("TEST_DATABASE_NAME", "iite_bench_assessments")
        os.environ["DJANGO_SETTINGS_MODULE"] = "iite.config.settings"
        if not os.environ.get("DATABASE_URL"):
            sqlite_file = os.path.abspath(args.sqlite_file or f"{tmp}/bench.sqlite3")
            os.environ["DATABASE_URL"] = f"sqlite:///{sqlite_file}"
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from iite.assessments.models import Campaign, Response
        from iite.assessments.open_data import open_data
        from iite.assessments.summaries import group_summary

        postgres = connection.vendor == "postgresql"
        bench_name = os.environ["TEST_DATABASE_NAME"]
        kept = False
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [bench_name])
                kept = args.keep and cursor.fetchone() is not None
            if kept:
                connection.close()
                connection.settings_dict["NAME"] = bench_name
            else:
                connection.creation.create_test_db(verbosity=0, autoclobber=True)
        else:  # a file in the temporary folder, or the one asked for
            kept = args.keep and _migrated() and Response.objects.exists()
            call_command("migrate", verbosity=0)
        try:
            if kept:
                generation = None
                found = Response.objects.count()
                if found != args.responses:
                    raise SystemExit(
                        f"The kept database holds {found:,} responses, not {args.responses:,}: "
                        "run with the same --responses, or without --keep to start afresh."
                    )
            else:
                if not postgres:  # a bulk load: the database is throwaway until it is complete
                    with connection.cursor() as cursor:
                        cursor.execute("PRAGMA synchronous=OFF")
                        cursor.execute("PRAGMA cache_size=-4000000")  # 4 GB
                generation = generate(args.responses, args.seed)
                connection.close()  # back to the project's own connection settings
            data = picks()
            schools = data["schools"]
            school_time, _ = timed(lambda: [group_summary(c) for c in schools], repeat=5)
            school_time /= len(schools)
            school_sql, _ = timed(lambda: [direct_sql("= %s", [c.pk]) for c in schools], repeat=5)
            school_sql /= len(schools)
            typical = data["typical"]
            typical_time, _ = timed(lambda: [group_summary(c) for c in typical], repeat=5)
            typical_time /= len(typical)
            typical_sql, _ = timed(lambda: [direct_sql("= %s", [c.pk]) for c in typical], repeat=5)
            typical_sql /= len(typical)
            country_filter = (
                "IN (SELECT c.id FROM assessments_campaign c "
                "JOIN accounts_organisation o ON o.id = c.organisation_id WHERE o.country_id = %s)"
            )
            in_country = Campaign.objects.filter(organisation__country_id=data["country"])
            country_time, _ = timed(lambda: group_summary(in_country), repeat=3)
            country_sql, _ = timed(lambda: direct_sql(country_filter, [data["country"]]), repeat=3)
            open_time, published = timed(lambda: open_data(instrument="ict-cft-teacher"), repeat=2)
            open_sql, _ = timed(direct_open_data_sql, repeat=2)
        finally:
            if postgres and not args.keep:
                connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)

    print(f"database: {connection.vendor}; {data['responses']:,} responses x 36 answers")
    if generation is None:
        print("  generated in an earlier run (--keep)")
    else:
        print(f"  generated in {generation:.0f} s")
    sizes = ", ".join(f"{size:,}" for size in data["school_sizes"])
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


def _migrated() -> bool:
    from django.db import connection

    return "assessments_response" in connection.introspection.table_names()


if __name__ == "__main__":
    main()
