"""Benchmark: anonymous assessment submissions per second through HTTP with 20 concurrent clients.

Sets up a throwaway database (`iite setup`, then `iite demo`, which opens an anonymous school
campaign of the "school-digital-readiness" instrument), starts `iite serve` (gunicorn, production
settings) on a free loopback port and fetches the instrument definition once. Then N client threads,
each over its own keep-alive connection, make complete submissions in a loop until a bounded total
is reached: start a response as group "teacher", PUT every section's answers (a random point of the
agreement scale for each item asked of teachers), POST submit with a fresh UUID. Every status code
is checked, and at the end the database is asked how many responses, answers and results exist.

Prints submissions per second, requests per second, the median and 95th-percentile latency of the
submit call, and errors (must be 0). Runs on a fresh SQLite file, then — when DATABASE_URL names a
PostgreSQL server — again on a throwaway database `iite_bench_http` on that server (created and
dropped here). Only 127.0.0.1 (and the PostgreSQL host of DATABASE_URL) is contacted.

    .venv/bin/python bench/assessments_http.py [--submissions 400] [--concurrency 20] [--workers 2]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/iite .venv/bin/python bench/assessments_http.py
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
IITE = str(Path(sys.executable).with_name("iite"))
API = "/api/v1/assessments"
INSTRUMENT = ("school-digital-readiness", 1)
GROUP = "teacher"
BENCH_DATABASE = "iite_bench_http"

COUNT_SCRIPT = """
import json
from iite.assessments.models import Answer, Response, Result
rows = Response.objects.filter(campaign__join_code={code!r})
print(json.dumps({{
    "responses": rows.count(),
    "submitted": rows.filter(status="submitted").count(),
    "teacher": rows.filter(status="submitted", group={group!r}).count(),
    "answers": Answer.objects.filter(response__in=rows).count(),
    "results": Result.objects.filter(response__in=rows).count(),
}}))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def call(
    connection: http.client.HTTPConnection,
    method: str,
    path: str,
    body: Any = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, Any]:
    """One JSON request on a keep-alive connection; returns the status and the decoded body."""
    sent = {"Accept": "application/json", **(headers or {})}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        sent["Content-Type"] = "application/json"
    connection.request(method, path, body=data, headers=sent)
    response = connection.getresponse()
    raw = response.read()
    try:
        decoded = json.loads(raw) if raw else None
    except ValueError:
        decoded = raw[:200]
    return response.status, decoded


@dataclass
class Plan:
    """What one teacher answers: section code → item codes, and the agreement scale's values."""

    sections: list[tuple[str, list[str]]]
    values: list[int]

    @classmethod
    def from_definition(cls, definition: dict[str, Any]) -> Plan:
        sections: list[tuple[str, list[str]]] = []
        values: set[int] = set()
        for section in definition["sections"]:
            items = [item for item in section["items"] if GROUP in item["groups"]]
            for item in items:
                if item["kind"] != "agreement":
                    raise SystemExit(f"item {item['code']} is not on the agreement scale")
                values |= {int(c["value"]) for c in item["choices"] if c["value"].isdigit()}
            if items:
                sections.append((section["code"], [item["code"] for item in items]))
        if not sections or not values:
            raise SystemExit("the instrument asks teachers nothing")
        return cls(sections, sorted(values))

    @property
    def items(self) -> int:
        return sum(len(codes) for _code, codes in self.sections)


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    claimed: int = 0
    submitted: int = 0
    requests: int = 0
    errors: list[str] = field(default_factory=list)
    submit_seconds: list[float] = field(default_factory=list)

    def claim(self, total: int) -> bool:
        with self.lock:
            if self.claimed >= total:
                return False
            self.claimed += 1
            return True


def submit_one(
    connection: http.client.HTTPConnection, join_code: str, plan: Plan, rng: random.Random
) -> tuple[int, float]:
    """One complete anonymous submission; returns the requests made and the submit call's time."""
    status, body = call(
        connection, "POST", f"{API}/campaigns/{join_code}/responses?lang=en", {"group": GROUP}
    )
    if status != 201 or not body.get("resume_code"):
        raise RuntimeError(f"start: {status} {body}")
    response_id = body["id"]
    headers = {"X-Resume-Code": body["resume_code"]}
    requests = 1
    for section, codes in plan.sections:
        answers = {code: rng.choice(plan.values) for code in codes}
        path = f"{API}/responses/{response_id}/sections/{section}?lang=en"
        status, body = call(connection, "PUT", path, {"answers": answers}, headers)
        requests += 1
        if status != 200:
            raise RuntimeError(f"save {section}: {status} {body}")
        done = {row["code"]: row["answered"] for row in body["sections"]}
        if done.get(section) != len(codes):
            raise RuntimeError(f"save {section}: {done.get(section)} of {len(codes)} answered")
    started = time.perf_counter()
    status, body = call(
        connection,
        "POST",
        f"{API}/responses/{response_id}/submit?lang=en",
        {"submission_key": str(uuid.uuid4())},
        headers,
    )
    elapsed = time.perf_counter() - started
    requests += 1
    if status != 200 or body.get("status") != "submitted":
        raise RuntimeError(f"submit: {status} {body}")
    if len(body["answers"]) != plan.items:
        raise RuntimeError(f"submit: {len(body['answers'])} answers kept of {plan.items}")
    return requests, elapsed


def warm_up(port: int, path: str, concurrency: int) -> None:
    """A few GETs over every connection so each worker has served requests before timing."""

    failures: list[str] = []

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for _ in range(5):
            status, body = call(connection, "GET", path)
            if status != 200:
                failures.append(f"warm-up {path}: {status} {body}")
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise SystemExit(failures[0])


def load(
    port: int, join_code: str, plan: Plan, total: int, concurrency: int
) -> tuple[Tally, float]:
    tally = Tally()

    def client(number: int) -> None:
        rng = random.Random(number)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while tally.claim(total):
            try:
                requests, seconds = submit_one(connection, join_code, plan, rng)
            except (RuntimeError, OSError, http.client.HTTPException, KeyError) as error:
                with tally.lock:
                    tally.errors.append(f"{type(error).__name__}: {error}"[:300])
                connection.close()  # a fresh connection for the next submission
                continue
            with tally.lock:
                tally.submitted += 1
                tally.requests += requests
                tally.submit_seconds.append(seconds)
        connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally, time.perf_counter() - started


def iite(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [IITE, *args], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    )
    return done.stdout


def run(database_url: str | None, args: argparse.Namespace) -> dict[str, Any]:
    """Set up, serve, load and verify one database; returns the figures."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "IITE_ENV": "production",
            "SECRET_KEY": "bench-" + "x" * 60,
            "ALLOWED_HOSTS": "127.0.0.1",
            "IITE_VAR_DIR": tmp,
            "SECURE_COOKIES": "false",
        }
        env.pop("DATABASE_URL", None)
        if database_url:
            env["DATABASE_URL"] = database_url
        iite(env, "setup", "-v", "0")
        found = re.search(r"\(code ([^)\s]+)\)", iite(env, "demo"))
        if found is None:
            raise SystemExit("`iite demo` printed no campaign code")
        join_code = found.group(1)

        port = free_port()
        log_path = Path(tmp) / "gunicorn.log"
        with log_path.open("wb") as log:
            server = subprocess.Popen(
                [IITE, "serve", "--port", str(port), "--workers", str(args.workers)],
                env=env,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        try:
            probe = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            for _ in range(150):
                try:
                    status, _body = call(probe, "GET", "/healthz")
                    if status == 200:
                        break
                except OSError:
                    probe.close()
                    time.sleep(0.1)
            else:
                raise SystemExit("the server did not answer /healthz")
            code, version = INSTRUMENT
            status, definition = call(probe, "GET", f"{API}/instruments/{code}/{version}?lang=en")
            if status != 200:
                raise SystemExit(f"instrument definition: {status} {definition}")
            plan = Plan.from_definition(definition)
            status, campaign = call(probe, "GET", f"{API}/campaigns/{join_code}?lang=en")
            if status != 200 or campaign.get("status") != "open":
                raise SystemExit(f"demo campaign {join_code}: {status} {campaign}")
            probe.close()
            warm_up(port, f"{API}/campaigns/{join_code}?lang=en", args.concurrency)
            tally, elapsed = load(port, join_code, plan, args.submissions, args.concurrency)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        if tally.errors:
            tail = log_path.read_text(errors="replace")[-2000:]
            print(f"server log (end):\n{tail}", file=sys.stderr)
        script = COUNT_SCRIPT.format(code=join_code, group=GROUP)
        counts = json.loads(iite(env, "shell", "-v", "0", "-c", script).strip().splitlines()[-1])

    expected = {
        "responses": args.submissions,
        "submitted": args.submissions,
        "teacher": args.submissions,
        "answers": args.submissions * plan.items,
        "results": args.submissions,
    }
    mismatches = [f"{k}: {counts[k]} (expected {v})" for k, v in expected.items() if counts[k] != v]
    quantiles = statistics.quantiles(tally.submit_seconds, n=20) if tally.submit_seconds else [0]
    return {
        "plan": plan,
        "submitted": tally.submitted,
        "requests": tally.requests,
        "elapsed": elapsed,
        "median_ms": 1000 * statistics.median(tally.submit_seconds or [0]),
        "p95_ms": 1000 * quantiles[-1],
        "errors": tally.errors,
        "counts": counts,
        "mismatches": mismatches,
    }


def report(label: str, figures: dict[str, Any], args: argparse.Namespace) -> bool:
    plan: Plan = figures["plan"]
    per = 2 + len(plan.sections)
    elapsed = figures["elapsed"]
    print(
        f"{label}: gunicorn {args.workers} workers x 4 threads, {args.concurrency} clients, "
        f"{args.submissions} submissions of {plan.items} answers ({per} requests each)"
    )
    print(f"  submissions/s        {figures['submitted'] / elapsed:8.1f}   ({elapsed:.1f} s)")
    print(f"  requests/s           {figures['requests'] / elapsed:8.1f}")
    print(f"  submit latency p50   {figures['median_ms']:8.1f} ms")
    print(f"  submit latency p95   {figures['p95_ms']:8.1f} ms")
    print(f"  errors               {len(figures['errors']):8d}")
    for error in figures["errors"][:5]:
        print(f"    {error}")
    counts = figures["counts"]
    print(
        f"  in the database      {counts['submitted']} submitted of {counts['responses']} "
        f"responses, {counts['answers']} answers, {counts['results']} results"
    )
    for mismatch in figures["mismatches"]:
        print(f"    MISMATCH {mismatch}")
    return not figures["errors"] and not figures["mismatches"]


def postgres_admin(url: str) -> tuple[str, str]:
    """The maintenance database's address and the throwaway database's, on DATABASE_URL's server."""
    parts = urlsplit(url)
    bench = urlunsplit(parts._replace(path=f"/{BENCH_DATABASE}"))
    admin = urlunsplit(parts._replace(path="/postgres", scheme="postgresql"))
    return admin, bench


def postgres_database(admin: str, *, create: bool) -> None:
    import psycopg

    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
        if create:
            connection.execute(f"CREATE DATABASE {BENCH_DATABASE}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--skip-sqlite", action="store_true", help="Only the PostgreSQL run (needs DATABASE_URL)."
    )
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    ok = True
    if not args.skip_sqlite:
        ok &= report("SQLite", run(None, args), args)
    if url.startswith(("postgres://", "postgresql://", "pgsql://")):
        admin, bench = postgres_admin(url)
        postgres_database(admin, create=True)
        try:
            figures = run(bench, args)
        finally:
            postgres_database(admin, create=False)
        ok &= report(f"PostgreSQL (database {BENCH_DATABASE}, dropped afterwards)", figures, args)
    elif args.skip_sqlite:
        raise SystemExit("--skip-sqlite needs DATABASE_URL=postgres://...")
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
