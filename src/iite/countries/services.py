"""Writes of the countries app: indicator imports, and the policy self-assessment rounds.

Every function checks permissions and input first; bad input raises an ``ApplicationError``
with a translated message and changes nothing.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from iite.accounts.models import User
from iite.assessments import selectors as assessment_selectors
from iite.assessments import services as assessment_services
from iite.assessments.models import Instrument
from iite.core.errors import ApplicationError, NotFound, PermissionDenied
from iite.countries import evidence_sources, importing
from iite.countries.models import Evidence, PolicyRound, Release
from iite.countries.permissions import can
from iite.reference.models import Country

MAX_UPLOAD_BYTES = 512 * 1024 * 1024
UPLOAD_DIR = "countries/imports"


# --- Indicator imports ---------------------------------------------------------------------------
def _digest(handle: IO[bytes]) -> str:
    sha = hashlib.sha256()
    for chunk in iter(lambda: handle.read(1 << 20), b""):
        sha.update(chunk)
    handle.seek(0)
    return sha.hexdigest()


def indicators_import(
    *,
    path: Path,
    by: User | None = None,
    label: str = "",
    progress: Callable[[int], None] | None = None,
) -> Release:
    """Import a UN SDG or UIS bulk CSV file (plain or gzip) from disk; returns the release.

    ``by`` is None for the console command (whoever runs it has the server's rights).
    """
    if by is not None and not can(by, "indicators.import"):
        raise PermissionDenied(_("Only the institute's staff may import indicators."))
    path = Path(path)
    if not path.is_file():
        raise ApplicationError(
            _("There is no file at %(path)s.") % {"path": path}, code="file_missing"
        )
    with path.open("rb") as handle:
        release = Release.objects.create(
            file_name=path.name[:255],
            file_sha256=_digest(handle),
            label=label[:200],
            created_by=by,
        )
        return importing.run(release=release, raw=handle, progress=progress)


def indicator_upload_queue(*, upload: File[Any], by: User, label: str = "") -> Release:
    """Keep an uploaded file and queue its import as a background task; returns the release.

    The page showing the release follows the task until it has finished.
    """
    if not can(by, "indicators.import"):
        raise PermissionDenied(_("Only the institute's staff may import indicators."))
    size = upload.size or 0
    if size == 0:
        raise ApplicationError(
            _("The file is empty."),
            code="validation",
            details=[{"field": "file", "message": _("The file is empty.")}],
        )
    if size > MAX_UPLOAD_BYTES:
        raise ApplicationError(
            _("The file is larger than %(mb)d MB; import it with `iite import-indicators`.")
            % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
            code="validation",
            details=[{"field": "file", "message": _("The file is too large.")}],
        )
    name = Path(upload.name or "indicators.csv").name
    stored = default_storage.save(f"{UPLOAD_DIR}/{uuid.uuid4().hex}.csv", upload)
    with default_storage.open(stored, "rb") as handle:
        digest = _digest(handle)
    with transaction.atomic():
        release = Release.objects.create(
            file_name=name[:255],
            file_sha256=digest,
            stored_file=stored,
            label=label[:200],
            created_by=by,
        )
        release_id = release.pk
        transaction.on_commit(lambda: _enqueue(release_id))
    return release


def _enqueue(release_id: int) -> None:
    from iite.countries.tasks import indicator_import_task

    indicator_import_task.enqueue(release_id)


def indicator_import_queued(*, release_id: int) -> Release:
    """Run a queued upload (called by the background task); the stored file is then removed."""
    release = Release.objects.filter(pk=release_id).first()
    if release is None:
        raise NotFound(_("There is no such import."))
    if release.status != Release.Status.QUEUED or not release.stored_file:
        return release  # already run: running a task twice changes nothing
    stored = release.stored_file
    try:
        with default_storage.open(stored, "rb") as handle:
            return importing.run(release=release, raw=handle)
    finally:
        default_storage.delete(stored)


# --- Policy self-assessment ----------------------------------------------------------------------
POLICY_FILE = Path(__file__).resolve().parent / "instruments" / "ict-education-policy-v1.toml"
POLICY_GROUP = "focal-point"
ROUND_DAYS = 365
NOTE_MAX = 2000


def policy_instrument() -> Instrument:
    """The policy instrument, loaded with the engine's loader on first use (idempotent)."""
    return assessment_services.instrument_load(path=POLICY_FILE)


def _require(by: User, action: str, country: Country) -> None:
    if not can(by, action, country=country):
        raise PermissionDenied(
            _("Only the focal points of %(country)s (or staff) may do this.")
            % {"country": country.name}
        )


@transaction.atomic
def policy_round_start(*, country: Country, by: User) -> PolicyRound:
    """Open a new round of the country's policy self-assessment (a country campaign)."""
    _require(by, "policy.answer", country)
    now = timezone.now()
    campaign = assessment_services.campaign_open(
        instrument=policy_instrument(),
        scope="country",
        country=country,
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(days=ROUND_DAYS),
        groups=[POLICY_GROUP],
        by=by,
    )
    return PolicyRound.objects.create(country=country, campaign=campaign, created_by=by)


@dataclass(frozen=True)
class ThemeInput:
    """What a focal point enters for one theme; empty strings and None leave a part blank."""

    level: int | None = None
    target: str = ""
    note: str = ""
    link: str = ""
    resource_id: int | None = None


def _check_theme(
    theme: str, entry: ThemeInput, level_codes: list[str], country: Country
) -> tuple[list[dict[str, Any]], str]:
    errors: list[dict[str, Any]] = []
    title = ""
    if entry.level is not None and entry.level not in range(len(level_codes)):
        errors.append({"field": f"{theme}-level", "message": _("Choose one of the four levels.")})
    if entry.target and entry.target not in level_codes:
        errors.append({"field": f"{theme}-target", "message": _("Choose one of the four levels.")})
    if len(entry.note) > NOTE_MAX:
        errors.append(
            {
                "field": f"{theme}-note",
                "message": _("Write at most %(max)d characters.") % {"max": NOTE_MAX},
            }
        )
    if entry.link:
        try:
            URLValidator(schemes=["http", "https"])(entry.link)
        except ValidationError:
            errors.append(
                {"field": f"{theme}-link", "message": _("Enter a web address starting https://.")}
            )
    if entry.resource_id is not None:
        document = evidence_sources.document_by_id(country, entry.resource_id)
        if document is None:
            errors.append(
                {"field": f"{theme}-resource", "message": _("Choose a document from the list.")}
            )
        else:
            title = document.title
    return errors, title


def policy_round_save(
    *, round: PolicyRound, themes: Mapping[str, ThemeInput], by: User
) -> PolicyRound:
    """Save levels, targets and evidence of some themes; if any is invalid, nothing is saved."""
    _require(by, "policy.answer", round.country)
    definition = assessment_selectors.definition_of(round.campaign.instrument)
    level_codes = [level.code for level in definition.levels]
    errors: list[dict[str, Any]] = []
    titles: dict[str, str] = {}
    for theme, entry in themes.items():
        if theme not in definition.targets:
            errors.append({"field": theme, "message": _("This is not a theme of the rubric.")})
            continue
        found, titles[theme] = _check_theme(theme, entry, level_codes, round.country)
        errors += found
    if round.response is not None and round.response.is_submitted:
        errors.append({"field": "", "message": _("This round was submitted and is now read-only.")})
    if errors:
        raise ApplicationError(
            _("Nothing was saved: some answers need correcting; see each theme."),
            code="validation",
            details=errors,
        )
    with transaction.atomic():
        current = PolicyRound.objects.select_for_update().get(pk=round.pk)
        if current.response is None:
            response, _code = assessment_services.response_start(
                campaign=current.campaign, group=POLICY_GROUP, user=by
            )
            current.response = response
        targets = dict(current.targets)
        for theme, entry in themes.items():
            assessment_services.response_answers_save(
                response=current.response,
                section_code=theme,
                answers={theme: entry.level},
            )
            if entry.target:
                targets[theme] = entry.target
            else:
                targets.pop(theme, None)
            Evidence.objects.update_or_create(
                round=current,
                theme=theme,
                defaults={
                    "note": entry.note.strip(),
                    "link": entry.link.strip(),
                    "resource_id_value": entry.resource_id,
                    "resource_title": titles.get(theme, "")[:300],
                },
            )
        current.targets = targets
        current.save()
    round.refresh_from_db()
    return round


def policy_round_submit(*, round: PolicyRound, by: User) -> PolicyRound:
    """Submit the round: the engine checks every theme has a level and scores it."""
    _require(by, "policy.answer", round.country)
    if round.response is None:
        raise ApplicationError(
            _("Choose a level for every theme before submitting."), code="answers_missing"
        )
    with transaction.atomic():
        assessment_services.response_submit(response=round.response, submission_key=uuid.uuid4())
        assessment_services.campaign_close(campaign=round.campaign, by=by)
    round.refresh_from_db()
    return round


def policy_round_visibility(*, round: PolicyRound, visibility: str, by: User) -> PolicyRound:
    """Keep a round private, share it with the institute, or publish it on the profile."""
    _require(by, "policy.publish", round.country)
    if visibility not in PolicyRound.Visibility.values:
        raise ApplicationError(_("Choose who may see this round."), code="validation")
    if visibility != PolicyRound.Visibility.PRIVATE and not (
        round.response is not None and round.response.is_submitted
    ):
        raise ApplicationError(
            _("Submit the round before sharing or publishing it."), code="not_submitted"
        )
    with transaction.atomic():
        round.visibility = visibility
        round.published_at = (
            (round.published_at or timezone.now())
            if visibility == PolicyRound.Visibility.PUBLISHED
            else None
        )
        round.save(update_fields=["visibility", "published_at", "updated_at"])
    return round
