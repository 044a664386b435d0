"""Demo content for a new installation: people in each role, and the organisations they work in.

Idempotent: running it again changes nothing but re-reads the demo password it wrote before.
Each app's demo content joins here as the app is built.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from iite.accounts import selectors as account_selectors
from iite.accounts import services as account_services
from iite.accounts.models import Organisation, User
from iite.assessments import selectors as assessment_selectors
from iite.assessments import services as assessment_services
from iite.assessments.models import Campaign
from iite.core.errors import ApplicationError
from iite.countries import demo as countries_demo
from iite.learning import demo as learning_demo
from iite.library import demo as library_demo
from iite.reference.models import Country
from iite.reference.services import reference_load

ADMIN_EMAIL = "admin@demo.iite.example"
SCHOOL_INSTRUMENT = "school-digital-readiness"


@dataclass(frozen=True)
class DemoPerson:
    email: str
    name: str
    role: str
    country: str = ""
    organisation: str = ""
    education_role: str = ""
    language: str = ""


ORGANISATIONS = (
    # (name, kind, country alpha-2)
    ("Ministry of Education (demo), Kenya", Organisation.Kind.MINISTRY, "KE"),
    ("Riverside Secondary School (demo)", Organisation.Kind.SCHOOL, "KE"),
    ("Digital Learning Alliance (demo)", Organisation.Kind.NGO, "FR"),
)

PEOPLE = (
    DemoPerson("editor@demo.iite.example", "Elena Editor", "editor", "RU", language="ru"),
    DemoPerson("reviewer@demo.iite.example", "Rashid Reviewer", "reviewer", "EG", language="ar"),
    DemoPerson(
        "focal.point@demo.iite.example",
        "Wanjiru Focal Point",
        "focal-point",
        "KE",
        organisation="Ministry of Education (demo), Kenya",
        education_role=User.EducationRole.POLICY_MAKER,
    ),
    DemoPerson(
        "coordinator@demo.iite.example",
        "Otieno Coordinator",
        "school-coordinator",
        "KE",
        organisation="Riverside Secondary School (demo)",
        education_role=User.EducationRole.SCHOOL_LEADER,
    ),
    DemoPerson(
        "partner@demo.iite.example",
        "Pauline Partner",
        "partner-manager",
        "FR",
        organisation="Digital Learning Alliance (demo)",
        language="fr",
    ),
    DemoPerson(
        "teacher@demo.iite.example",
        "Li Teacher",
        "member",
        "CN",
        education_role=User.EducationRole.TEACHER,
        language="zh-hans",
    ),
)


@dataclass(frozen=True)
class DemoSummary:
    admin_email: str
    password: str
    people: tuple[str, ...]
    campaign_code: str


def _password() -> str:
    """The demo password: made once, kept under var/ so every run prints the same login."""
    path = Path(settings.VAR_DIR) / "demo-password"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    password = "demo-" + secrets.token_urlsafe(9)
    path.write_text(password)
    path.chmod(0o600)
    return password


def _person(email: str, name: str, password: str, *, superuser: bool = False) -> User:
    user = account_selectors.user_by_email(email)
    if user is None:
        create = User.objects.create_superuser if superuser else User.objects.create_user
        user = create(email, password, name=name, email_verified=True)
        account_services.role_grant(user=user, role="member", by=None)
    elif not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def demo_load() -> DemoSummary:
    """Load the reference data if missing, then the demo organisations and people."""
    if not Country.objects.exists():
        reference_load()
    password = _password()
    admin = _person(ADMIN_EMAIL, "Demo Administrator", password, superuser=True)
    countries = {
        country.alpha2: country
        for country in Country.objects.filter(
            alpha2__in={person.country for person in PEOPLE} | {o[2] for o in ORGANISATIONS}
        )
    }
    organisations = {
        name: account_services.organisation_create(
            name=name, kind=kind, country=countries[code], by=admin
        )
        for name, kind, code in ORGANISATIONS
    }
    for person in PEOPLE:
        user = _person(person.email, person.name, password)
        account_services.user_profile_update(
            user=user,
            by=user,
            country=countries.get(person.country),
            education_role=person.education_role,
            organisation=organisations.get(person.organisation),
            language=person.language,
        )
        organisation = organisations.get(person.organisation)
        scoped_to_school = person.role == "school-coordinator"
        account_services.role_grant(
            user=user,
            role=person.role,
            country=countries[person.country] if person.role == "focal-point" else None,
            organisation=organisation if scoped_to_school else None,
            by=admin,
        )
    campaign = _school_campaign(organisations["Riverside Secondary School (demo)"])
    # Each app's content, in layer order: learning paths are built on library resources, and
    # country profiles show both.
    library_demo.demo_load(admin=admin)
    learning_demo.demo_load(admin=admin)
    countries_demo.demo_load(admin=admin)
    return DemoSummary(
        ADMIN_EMAIL, password, tuple(person.email for person in PEOPLE), campaign.join_code
    )


def _school_campaign(school: Organisation) -> Campaign:
    """An open school self-reflection at the demo school, run by its coordinator."""
    instrument = assessment_selectors.instrument_latest(SCHOOL_INSTRUMENT)
    if instrument is None:
        assessment_services.instruments_load_packaged()
        instrument = assessment_selectors.instrument_latest(SCHOOL_INSTRUMENT)
    if instrument is None:
        raise ApplicationError(f"The {SCHOOL_INSTRUMENT} instrument file is missing.")
    existing = Campaign.objects.filter(instrument=instrument, organisation=school).first()
    if existing is not None:
        return existing
    coordinator = account_selectors.user_by_email("coordinator@demo.iite.example")
    if coordinator is None:
        raise ApplicationError("The demo school coordinator is missing.")
    now = timezone.now()
    return assessment_services.campaign_open(
        instrument=instrument,
        scope=Campaign.Scope.ORGANISATION,
        organisation=school,
        opens_at=now,
        closes_at=now + timedelta(days=365),
        by=coordinator,
    )
