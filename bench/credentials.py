"""Benchmark: issue and verify N Open Badges 3.0 credentials (eddsa-rdfc-2022, Ed25519).

Builds a throwaway database (SQLite in a temporary folder, or test_<name> on PostgreSQL), one
published path and N learners who have completed it, then times in one run:

- issuing: ``learning.credential_services.credential_issue`` for each completed enrolment (build
  the OpenBadgeCredential, canonicalise, hash, sign, store);
- verifying: ``learning.credential_selectors.credential_verify`` on each stored credential (parse,
  check contexts, canonicalise, hash, verify the signature, issuer, dates, revocation in the
  database);

and prints credentials per second for each and where the time goes: JSON-LD canonicalisation
(RDFC-1.0 with pyld over the shipped contexts), Ed25519 signing or verifying, and the rest
(building documents, SHA-256, the database). Keys live in the temporary folder.

    .venv/bin/python bench/credentials.py            # N = 10,000
    .venv/bin/python bench/credentials.py 1000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/iite .venv/bin/python bench/credentials.py
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from typing import Any


class Clock:
    """Seconds spent inside wrapped functions (wrapping module globals, for this run only)."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}

    def wrap(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.spent[name] = self.spent.get(name, 0.0) + time.perf_counter() - started

        return timed

    def take(self) -> dict[str, float]:
        spent, self.spent = self.spent, {}
        return spent


def prepare(count: int) -> list[int]:
    """One published path and ``count`` completed enrolments; their ids."""
    from django.utils import timezone

    from iite.accounts.models import User
    from iite.learning import services
    from iite.learning.models import Enrolment
    from iite.reference.services import reference_load

    reference_load()
    staff = User.objects.create(email="bench-staff@example.org", name="Staff", is_superuser=True)
    path = services.path_create(
        slug="bench",
        title="Teaching with ICT: first steps",
        summary="A benchmark path aligned to two competencies.",
        language="en",
        competencies=["3.KA", "4.KA"],
        by=staff,
    )
    services.step_add(
        path=path, kind="external", title="A course", url="https://example.org/c", by=staff
    )
    services.path_publish(path=path, by=staff)
    learners = User.objects.bulk_create(
        User(email=f"learner{n}@example.org", name=f"Learner {n}") for n in range(count)
    )
    now = timezone.now()
    Enrolment.objects.bulk_create(
        Enrolment(path=path, learner=learner, status="completed", completed_at=now)
        for learner in learners
    )
    return list(Enrolment.objects.order_by("pk").values_list("pk", flat=True))


def run(count: int) -> None:
    from iite.learning import credential_selectors, credential_services
    from iite.learning.credentials import signing
    from iite.learning.models import Credential, Enrolment

    enrolment_ids = prepare(count)
    clock = Clock()
    # Count time in canonicalisation and in the whole hash (canonicalisation + SHA-256) without
    # changing what runs: the cryptosuite calls both through its module globals.
    signing.canonicalise = clock.wrap("canonicalise", signing.canonicalise)
    signing.hash_data = clock.wrap("hash_data", signing.hash_data)
    signing.sign = clock.wrap("sign", signing.sign)
    signing.signature_valid = clock.wrap("verify", signing.signature_valid)

    enrolments = list(Enrolment.objects.select_related("path", "learner").order_by("pk"))
    credential_services.credential_issue(enrolment=enrolments[0])  # first use: generates the key
    clock.take()
    started = time.perf_counter()
    for enrolment in enrolments[1:]:
        credential_services.credential_issue(enrolment=enrolment)
    issue_time = time.perf_counter() - started
    issued = clock.take()
    assert Credential.objects.count() == len(enrolment_ids)

    documents = list(Credential.objects.order_by("pk").values_list("document", flat=True))
    started = time.perf_counter()
    invalid = sum(
        1 for document in documents if not credential_selectors.credential_verify(document).valid
    )
    verify_time = time.perf_counter() - started
    verified = clock.take()
    assert invalid == 0, f"{invalid} credentials did not verify"

    def report(label: str, total: float, spent: dict[str, float], crypto: str, n: int) -> None:
        canonical = spent.get("canonicalise", 0.0)
        hashing = spent.get("hash_data", 0.0) - canonical
        ed25519 = spent.get(crypto, 0.0) - spent.get("hash_data", 0.0)
        rest = total - spent.get(crypto, 0.0)
        print(f"{label}: {n:,} in {total:.1f} s = {n / total:,.0f} credentials/s")
        for name, seconds in (
            ("JSON-LD canonicalisation", canonical),
            ("SHA-256", hashing),
            (
                f"Ed25519 {'signing' if crypto == 'sign' else 'verifying'} (+ proof assembly)",
                ed25519,
            ),
            ("the rest (documents, checks, database)", rest),
        ):
            print(f"  {name:<52} {seconds:7.2f} s  {100 * seconds / total:5.1f} %")
        if ed25519 > 0:
            print(f"  canonicalisation / Ed25519 = {canonical / ed25519:,.0f} x")

    n = len(enrolment_ids) - 1
    report("Issue", issue_time, issued, "sign", n)
    report("Verify", verify_time, verified, "verify", len(documents))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=10_000, help="credentials (N)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["IITE_VAR_DIR"] = tmp
        os.environ["IITE_ENV"] = "test"
        os.environ["DJANGO_SETTINGS_MODULE"] = "iite.config.settings"
        if not os.environ.get("DATABASE_URL"):
            os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        throwaway = connection.vendor == "postgresql"
        if throwaway:
            connection.creation.create_test_db(verbosity=0, autoclobber=True)
        else:
            call_command("migrate", verbosity=0)
        print(f"Database: {connection.vendor}; N = {args.count:,}")
        try:
            run(args.count + 1)
        finally:
            if throwaway:
                connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
