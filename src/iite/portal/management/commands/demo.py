"""iite demo: load the demo content and print the demo logins."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from iite.portal.demo import demo_load


class Command(BaseCommand):
    help = (
        "Load demo content (organisations and one person in each role: editor, reviewer, "
        "country focal point, school coordinator, partner manager, teacher) and print the demo "
        "admin login. Safe to run again; the password is kept in var/demo-password."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = demo_load()
        line = "-" * 64
        self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Demo content loaded."))
        self.stdout.write(f"  Sign in at   {settings.SITE_URL}/en/accounts/login/")
        self.stdout.write(f"  Demo admin   {summary.admin_email}")
        self.stdout.write(f"  Password     {summary.password}   (the same for every demo person)")
        self.stdout.write("  Also: " + ", ".join(summary.people))
        self.stdout.write(
            f"  School self-reflection: {settings.SITE_URL}/en/assessments/c/"
            f"{summary.campaign_code}/ (code {summary.campaign_code})"
        )
        self.stdout.write(line)
