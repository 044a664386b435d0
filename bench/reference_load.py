"""Benchmark: `iite load-reference` into an empty database, then again with nothing to change.

Prints the time of each run and their ratio, on a fresh SQLite file (or the PostgreSQL database in
DATABASE_URL, whose tables it creates in a throwaway test database).

    .venv/bin/python bench/reference_load.py
"""

from __future__ import annotations

import os
import tempfile
import time


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("IITE_VAR_DIR", tmp)
        os.environ["IITE_ENV"] = "test"
        os.environ["DJANGO_SETTINGS_MODULE"] = "iite.config.settings"
        import django

        django.setup()
        from django.db import connection

        from iite.reference.services import reference_load

        connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            started = time.perf_counter()
            first = reference_load()
            first_seconds = time.perf_counter() - started
            started = time.perf_counter()
            second = reference_load()
            second_seconds = time.perf_counter() - started
        finally:
            connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)

    print(f"database: {connection.vendor}")
    print(f"  first load   {first_seconds:6.2f} s   {first.changed} rows written")
    print(f"  second load  {second_seconds:6.2f} s   {second.changed} rows written")
    print(f"  ratio        {first_seconds / second_seconds:6.1f}x faster when nothing changed")


if __name__ == "__main__":
    main()
