"""Benchmark: importing a UIS bulk-format indicator file, against a plain ``csv`` read of it.

Generates a UIS ``SDG_DATA_NATIONAL.csv``-shaped file of N rows (tracked indicator ids with stray
spaces, real ISO3 codes, MAGNITUDE and QUALIFIER codes, unique keys) and a second of N/4 rows.
For each size a fresh process builds a throwaway database (SQLite in a temporary file, or
test_<name> on PostgreSQL), then times in one run:

- a plain ``csv.reader`` pass over the file (the floor any importer pays);
- ``iite import-indicators``' service (stream, stage, check duplicates, merge in one transaction);
- the process's peak resident memory before and after the import (``ru_maxrss``), to show that
  memory stays flat as the file grows.

    .venv/bin/python bench/indicators.py --rows 1000000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/iite .venv/bin/python bench/indicators.py
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
UIS_COUNTRIES = HERE.parent / "src" / "iite" / "countries" / "data" / "uis" / "SDG_COUNTRY.csv"
LEVELS = ("1", "2", "2T3", "3")
SCHOOL = ("WELEC", "WINTERN", "WCOMPUT", "WINFSTUDIS", "WWATA", "WTOILA", "WWASH")
SKILLS = ("ATTACH", "CONNEC", "COPI", "CREAT", "DUPLIC", "FORMULA", "PROGLANG", "SOFTWARE")
SEXES = ("", ".F", ".M")


def indicator_ids() -> list[str]:
    ids = [f"SCHBSP.{level}.{code}" for level in LEVELS for code in SCHOOL]
    ids += [f"TRTP.{level}{sex}" for level in ("02", *LEVELS) for sex in SEXES]
    ids += [f"ICTSKILL{skill}{sex}" for skill in SKILLS for sex in SEXES]
    return ids


def generate(path: Path, rows: int, seed: int) -> None:
    import pycountry

    known = {c.alpha_3 for c in pycountry.countries}
    with UIS_COUNTRIES.open(encoding="utf-8") as handle:
        countries = [r["COUNTRY_ID"] for r in csv.DictReader(handle) if r["COUNTRY_ID"] in known]
    rng = random.Random(seed)
    keys = itertools.product(range(1970, 2101), countries, indicator_ids())
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("INDICATOR_ID,COUNTRY_ID,YEAR,VALUE,MAGNITUDE,QUALIFIER\n")
        for _n, (year, country, indicator) in zip(range(rows), keys, strict=False):
            pad = "     " if rng.random() < 0.1 else ""
            magnitude = rng.choice(("", "", "", "", "LOWREL"))
            qualifier = rng.choice(("", "", "NAT_EST", "UIS_EST"))
            out.write(
                f"{indicator}{pad},{country},{year},{rng.uniform(0, 100):.5f},"
                f"{magnitude},{qualifier}\n"
            )


def plain_read(path: Path) -> tuple[float, int]:
    started = time.perf_counter()
    with path.open(encoding="utf-8", newline="") as handle:
        count = sum(1 for _row in csv.reader(handle)) - 1
    return time.perf_counter() - started, count


def child(path: Path) -> None:
    """Import one file into a fresh database and print the figures as JSON."""
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("IITE_VAR_DIR", tmp)
        os.environ["IITE_ENV"] = "test"
        os.environ["DJANGO_SETTINGS_MODULE"] = "iite.config.settings"
        if not os.environ.get("DATABASE_URL"):
            os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from iite.countries import services
        from iite.reference.services import reference_load

        throwaway = connection.vendor == "postgresql"
        if throwaway:
            connection.creation.create_test_db(verbosity=0, autoclobber=True)
        else:
            call_command("migrate", verbosity=0)
        try:
            reference_load()
            csv_seconds, count = plain_read(path)
            before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            started = time.perf_counter()
            release = services.indicators_import(path=path)
            seconds = time.perf_counter() - started
            after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            started = time.perf_counter()
            again = services.indicators_import(path=path)
            second = time.perf_counter() - started
        finally:
            if throwaway:
                connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)
        print(
            json.dumps(
                {
                    "vendor": connection.vendor,
                    "rows": count,
                    "csv_seconds": csv_seconds,
                    "import_seconds": seconds,
                    "second_import_seconds": second,
                    "status": release.status,
                    "added": release.added,
                    "second_status": again.status,
                    "rss_before_mb": before / 1024,
                    "rss_peak_mb": after / 1024,
                }
            )
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for rows in (args.rows // 4, args.rows):
            path = Path(tmp) / f"uis-{rows}.csv"
            generate(path, rows, args.seed)
            done = subprocess.run(
                [sys.executable, __file__, "--child", str(path)],
                check=False,
                capture_output=True,
                text=True,
            )
            if done.returncode:
                raise SystemExit(done.stderr[-3000:])
            output = done.stdout
            results.append(json.loads(output.strip().splitlines()[-1]))
    small, large = results
    sizes = f"{small['rows']:,} and {large['rows']:,} rows"
    print(f"database: {large['vendor']}; UIS bulk format, {sizes}")
    for r in results:
        rate = r["rows"] / r["import_seconds"]
        csv_rate = r["rows"] / r["csv_seconds"]
        print(
            f"  {r['rows']:>9,} rows: import {r['import_seconds']:.1f} s ({rate:,.0f} rows/s), "
            f"plain csv read {r['csv_seconds']:.2f} s ({csv_rate:,.0f} rows/s), "
            f"ratio {r['import_seconds'] / r['csv_seconds']:.0f}x; status {r['status']}, "
            f"added {r['added']:,}; second import {r['second_import_seconds']:.1f} s "
            f"({r['second_status']})"
        )
        print(
            f"             peak memory: {r['rss_before_mb']:.0f} MB before the import, "
            f"{r['rss_peak_mb']:.0f} MB after (+{r['rss_peak_mb'] - r['rss_before_mb']:.0f} MB)"
        )
    growth = (large["rss_peak_mb"] - large["rss_before_mb"]) - (
        small["rss_peak_mb"] - small["rss_before_mb"]
    )
    print(f"  memory growth from {small['rows']:,} to {large['rows']:,} rows: {growth:+.0f} MB")


if __name__ == "__main__":
    main()
