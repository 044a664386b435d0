"""Benchmark: rendering a country profile page with 20 years x 10 series of values.

Builds a throwaway database (SQLite in a temporary file, or test_<name> on PostgreSQL), writes
observations for one country (10 series-breakdowns x 20 years, plus the same for 40 other
countries of its region and income group so the comparison has means to compute), then renders
the profile page through Django's test client and reports the mean time of the renders and the
number of SQL queries one render takes (with and without five peer countries).

    .venv/bin/python bench/country_profile.py --years 20 --renders 20
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=20)
    parser.add_argument("--renders", type=int, default=20)
    parser.add_argument("--others", type=int, default=40)
    parser.add_argument("--queries", action="store_true", help="print the SQL of one render")
    parser.add_argument(
        "--profile", action="store_true", help="print the cProfile of one render (top 25)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("IITE_VAR_DIR", tmp)
        os.environ["IITE_ENV"] = "test"
        os.environ["DJANGO_SETTINGS_MODULE"] = "iite.config.settings"
        if not os.environ.get("DATABASE_URL"):
            os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection, reset_queries
        from django.test import Client

        from iite.countries import importing
        from iite.countries.models import Observation, Release
        from iite.reference.models import Country
        from iite.reference.services import reference_load

        throwaway = connection.vendor == "postgresql"
        if throwaway:
            connection.creation.create_test_db(verbosity=0, autoclobber=True)
        else:
            call_command("migrate", verbosity=0)
        try:
            reference_load()
            series = importing.series_sync()
            kenya = Country.objects.get(alpha2="KE")
            others = list(
                Country.objects.filter(unesco_region=kenya.unesco_region).exclude(pk=kenya.pk)[
                    : args.others
                ]
            )
            release = Release.objects.create(file_name="bench", status=Release.Status.DONE)
            # 10 series-breakdowns: 4 series x levels, teachers by level and sex.
            shapes = [
                (series["SE_ACS_INTNT"], "PRIMAR", "", ""),
                (series["SE_ACS_INTNT"], "LOWSEC", "", ""),
                (series["SE_ACS_CMPTR"], "PRIMAR", "", ""),
                (series["SE_ACS_CMPTR"], "LOWSEC", "", ""),
                (series["SE_ACS_ELECT"], "PRIMAR", "", ""),
                (series["SE_ACS_ELECT"], "UPPSEC", "", ""),
                (series["SE_TRA_GRDL"], "PRIMAR", "BOTHSEX", ""),
                (series["SE_TRA_GRDL"], "PRIMAR", "FEMALE", ""),
                (series["SE_TRA_GRDL"], "PRIMAR", "MALE", ""),
                (series["SE_ADT_ACTS"], "", "BOTHSEX", "CMFL"),
            ]
            rows = [
                Observation(
                    series=s,
                    country=c,
                    year=2000 + y,
                    level=level,
                    sex=sex,
                    skill=skill,
                    value=(7 * y + c.pk) % 100,
                    release=release,
                )
                for c in [kenya, *others]
                for (s, level, sex, skill) in shapes
                for y in range(args.years)
            ]
            Observation.objects.bulk_create(rows, batch_size=2000)
            client = Client()
            url = "/en/countries/KEN/"
            peers = "?series=SE_TRA_GRDL&" + "&".join(f"peers={c.alpha3}" for c in others[:5])
            client.get(url)  # warm caches (templates, translations)
            durations = []
            for _n in range(args.renders):
                started = time.perf_counter()
                response = client.get(url)
                durations.append(time.perf_counter() - started)
                assert response.status_code == 200
            # Counted with the connection's own log (the test client closes nothing here).
            connection.force_debug_cursor = True
            reset_queries()
            client.get(url)
            plain = list(connection.queries)
            reset_queries()
            response = client.get(url + peers)
            compared = list(connection.queries)
            connection.force_debug_cursor = False
            if args.queries:
                for query in compared:
                    print(f"{query['time']:>6}s  {query['sql'][:300]}")
            peer_time = []
            for _n in range(args.renders):
                started = time.perf_counter()
                client.get(url + peers)
                peer_time.append(time.perf_counter() - started)
            size = len(response.content)
            if args.profile:
                import cProfile
                import pstats

                profiler = cProfile.Profile()
                profiler.enable()
                client.get(url + peers)
                profiler.disable()
                stats = pstats.Stats(profiler)
                stats.sort_stats("cumulative").print_stats(25)
                stats.sort_stats("tottime").print_stats(15)
        finally:
            if throwaway:
                connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)
    print(
        f"database: {connection.vendor}; profile of one country with 10 series-breakdowns x "
        f"{args.years} years ({len(others)} other countries in its region)"
    )
    print(
        f"  render: mean {statistics.mean(durations) * 1000:.0f} ms, median "
        f"{statistics.median(durations) * 1000:.0f} ms over {args.renders}; "
        f"{len(plain)} queries"
    )
    print(
        f"  with five peers: mean {statistics.mean(peer_time) * 1000:.0f} ms; "
        f"{len(compared)} queries; page {size / 1024:.0f} KiB"
    )


if __name__ == "__main__":
    main()
