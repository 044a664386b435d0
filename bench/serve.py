"""Benchmark: what `make run` serves — throughput, page weight and memory of the production server.

Starts `iite serve` (gunicorn + WhiteNoise) on a fresh SQLite database with the reference data,
then, from this process, sends a bounded number of requests over loopback with N concurrent
connections and prints requests per second for:

- the home page (HTML, six action areas from the database),
- a JSON list from the API (first page of countries),
- a static file (the stylesheet, served from memory by WhiteNoise) — the ceiling for this server,

with each dynamic figure as a ratio of the static ceiling measured in the same run; the home page's
transfer size (HTML plus its CSS and JavaScript, compressed as the server sends them); and the
resident memory of the gunicorn processes after the run.

    .venv/bin/python bench/serve.py [--requests 2000] [--concurrency 20]
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IITE = str(Path(sys.executable).with_name("iite"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(port: int, path: str, gzip: bool = False) -> tuple[int, bytes, dict[str, str]]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Accept-Encoding": "br, gzip"} if gzip else {}
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body, {k.lower(): v for k, v in response.getheaders()}


def load(port: int, path: str, total: int, concurrency: int) -> float:
    """Requests per second for ``total`` GETs of ``path`` over ``concurrency`` keep-alive links."""
    per_worker = total // concurrency
    errors: list[str] = []

    def worker() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for _ in range(per_worker):
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                errors.append(f"{path}: {response.status}")
        connection.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise SystemExit(f"errors during load: {errors[:3]}")
    return per_worker * concurrency / elapsed


def rss_kib(pid: int) -> int:
    """Resident memory of a process and its children, in KiB (from /proc)."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(child) for child in children.read_text().split()]
    for one in pids:
        for line in Path(f"/proc/{one}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

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
        subprocess.run([IITE, "setup", "-v", "0"], env=env, check=True, cwd=ROOT)
        port = free_port()
        server = subprocess.Popen(
            [IITE, "serve", "--port", str(port), "--workers", str(args.workers)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(100):
                try:
                    fetch(port, "/healthz")
                    break
                except OSError:
                    time.sleep(0.1)
            status, html, _headers = fetch(port, "/en/", gzip=True)
            assert status == 200, status
            assets = re.findall(rb'(?:href|src)="(/static/[^"]+)"', html)
            weight = len(html)
            for asset in assets:
                _status, body, _h = fetch(port, asset.decode(), gzip=True)
                weight += len(body)
            css = next(a.decode() for a in assets if a.endswith(b".css"))
            load(port, "/en/", 100, 10)  # warm up every worker
            static_rps = load(port, css, args.requests, args.concurrency)
            home_rps = load(port, "/en/", args.requests, args.concurrency)
            api_rps = load(port, "/api/v1/reference/countries", args.requests, args.concurrency)
            memory = rss_kib(server.pid)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)

    print(f"gunicorn, {args.workers} workers x 4 threads, SQLite, {args.concurrency} connections")
    rows = [("static stylesheet", static_rps), ("home page (HTML)", home_rps)]
    rows.append(("API countries JSON", api_rps))
    for label, rps in rows:
        print(f"  {label:<18}  {rps:8.0f} requests/s   ({rps / static_rps:.2f} of static)")
    print(f"  home page transfer  {weight / 1024:8.1f} KiB over {1 + len(assets)} requests")
    print(f"  resident memory     {memory / 1024:8.1f} MiB (gunicorn master and workers)")


if __name__ == "__main__":
    main()
