"""iite serve: the production server (gunicorn), or Django's development server with --dev."""

from __future__ import annotations

import os
import shutil
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "Serve the platform at http://HOST:PORT with gunicorn, static files compressed and cached "
        "by WhiteNoise. --dev runs Django's auto-reloading development server instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on.")
        parser.add_argument("--port", default="8000", help="Port to listen on.")
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("WEB_CONCURRENCY", "2")),
            help="Gunicorn worker processes (default: $WEB_CONCURRENCY or 2).",
        )
        parser.add_argument("--dev", action="store_true", help="Use the development server.")

    def handle(self, *args: Any, **options: Any) -> None:
        address = f"{options['host']}:{options['port']}"
        if options["dev"]:
            call_command("runserver", address)
            return
        gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or "gunicorn"
        argv = [
            gunicorn,
            "iite.config.wsgi:application",
            "--bind",
            address,
            "--workers",
            str(options["workers"]),
            "--threads",
            "4",
            "--access-logfile",
            "-",
            "--forwarded-allow-ips",
            os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        ]
        self.stdout.write(f"Serving the IITE Platform at http://{address}/ (Ctrl+C stops it)")
        sys.stdout.flush()
        os.execv(gunicorn, argv)  # noqa: S606  (replace this process with gunicorn, no shell)
