"""Demo content for the countries app, loaded by `iite demo` after the demo people exist.

The real SDG 4 extracts shipped in ``data/sdg4/`` (UN SDG Global Database, source UIS, April
2021) are imported, and the demo focal point's country (Kenya) gets a published policy
self-assessment round.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from iite.accounts.models import User
from iite.countries import services
from iite.countries.models import PolicyRound, Release
from iite.reference.models import Country

EXTRACTS = Path(__file__).resolve().parent / "data" / "sdg4"
FOCAL_POINT_EMAIL = "focal.point@demo.iite.example"
LABEL = "UN SDG Global Database, source UIS (extracted April 2021)"
# Kenya's demo round: (level 0-3, target, evidence note) per theme.
KENYA_ROUND = {
    "vision-planning": (2, "advanced", "Demo: a national ICT-in-education strategy with a plan."),
    "ict-infrastructure": (1, "established", "Demo: electricity and connectivity programmes."),
    "teachers": (2, "advanced", "Demo: ICT CFT-based teacher training."),
    "skills-competencies": (1, "established", "Demo: digital literacy in the curriculum."),
    "digital-resources": (2, "established", "Demo: a national content portal."),
    "emis": (1, "established", "Demo: an electronic school census."),
    "monitoring-innovation": (1, "established", "Demo: project evaluations."),
    "equity-inclusion-safety": (0, "emerging", "Demo: measures are being drafted."),
}


def demo_load(*, admin: User) -> None:
    """Load this app's demo content; safe to run again (changes nothing the second time)."""
    for path in sorted(EXTRACTS.glob("*.csv.gz")):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if Release.objects.filter(
            file_sha256=digest, status__in=[Release.Status.DONE, Release.Status.UNCHANGED]
        ).exists():
            continue
        services.indicators_import(path=path, label=f"{LABEL}: {path.name}")
    kenya = Country.objects.filter(alpha2="KE").first()
    focal_point = User.objects.filter(email=FOCAL_POINT_EMAIL).first()
    if kenya is None or focal_point is None:
        return
    if PolicyRound.objects.filter(country=kenya).exists():
        return
    round = services.policy_round_start(country=kenya, by=focal_point)
    themes = {
        theme: services.ThemeInput(level=level, target=target, note=note)
        for theme, (level, target, note) in KENYA_ROUND.items()
    }
    services.policy_round_save(round=round, themes=themes, by=focal_point)
    services.policy_round_submit(round=round, by=focal_point)
    services.policy_round_visibility(round=round, visibility="published", by=focal_point)
