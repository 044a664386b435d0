"""Importing an indicator file: stream, stage, check, then merge in one transaction.

1. Rows are parsed one at a time (``formats``) and resolved against the series and countries
   held in memory (a few hundred entries); accepted rows go to ``StagedObservation`` in batches,
   so memory stays flat however long the file.
2. The database finds duplicate keys (``GROUP BY``): the same value twice is counted once; two
   different values for one key reject every row of that key.
3. Consistency rule: **all or nothing**. If the file is refused as a whole (wrong shape,
   truncated, not UTF-8) or any row is rejected, nothing is imported and the rejected rows are
   listed with their reasons. Rows outside what the platform keeps (regional aggregates,
   untracked indicators, parity indices) are *skipped* and counted; they do not block.
4. Otherwise one transaction records the changes (old and new values), adds and updates the
   observations and empties the staging rows. A crash before the commit leaves the
   observations exactly as they were; the release is marked failed.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import IO, Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from iite.countries import formats
from iite.countries.models import (
    IndicatorSeries,
    Observation,
    ObservationChange,
    Rejection,
    Release,
    StagedObservation,
)
from iite.reference.models import Country, SdgIndicator

logger = logging.getLogger(__name__)
BATCH = 5000
MAX_LISTED = 1000  # rejections kept per release; all are counted
STALE_AFTER = timedelta(hours=6)
Progress = Callable[[int], None]  # bytes of the file read so far

KEY = ("series_id", "country_id", "year", "level", "sex", "skill")


def series_sync() -> dict[str, IndicatorSeries]:
    """The series of ``data/series.toml`` as rows (created or updated), by code."""
    indicators = {indicator.code: indicator for indicator in SdgIndicator.objects.all()}
    found = {series.code: series for series in IndicatorSeries.objects.all()}
    for spec in formats.series_specs():
        indicator = indicators.get(spec.indicator)
        if indicator is None:
            raise LookupError(f"SDG indicator {spec.indicator} is not in the reference data.")
        fields = {
            "indicator": indicator,
            "names": spec.names,
            "dimensions": list(spec.dimensions),
            "order": spec.order,
        }
        current = found.get(spec.code)
        if current is None:
            found[spec.code] = IndicatorSeries.objects.create(code=spec.code, **fields)
        elif any(getattr(current, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(current, name, value)
            current.save()
    return found


def _tables() -> dict[str, str]:
    quote = connection.ops.quote_name
    return {
        "staged": quote(StagedObservation._meta.db_table),
        "obs": quote(Observation._meta.db_table),
        "change": quote(ObservationChange._meta.db_table),
    }


def sweep_stale() -> int:
    """Mark imports that died long ago as failed and drop their staging rows."""
    cutoff = timezone.now() - STALE_AFTER
    stale = list(
        Release.objects.filter(status=Release.Status.RUNNING, started_at__lt=cutoff).values_list(
            "pk", flat=True
        )
    )
    if stale:
        StagedObservation.objects.filter(release_id_value__in=stale).delete()
        Release.objects.filter(pk__in=stale).update(
            status=Release.Status.FAILED,
            message=_("The import stopped before it finished; nothing was imported."),
            finished_at=timezone.now(),
        )
    return len(stale)


class _Stager:
    """Collects accepted rows and writes them to the staging table in batches."""

    def __init__(self, release_id: int) -> None:
        self.release_id = release_id
        self.rows: list[tuple[Any, ...]] = []
        self.count = 0
        tables = _tables()
        columns = (
            "release_id_value, line, series_id_value, country_id_value, year, level, sex, "
            "skill, value, magnitude, qualifier"
        )
        self.sql = (
            f"INSERT INTO {tables['staged']} ({columns}) "  # noqa: S608  (table name from the model, values are parameters)
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
        )
        self.copy_sql = f"COPY {tables['staged']} ({columns}) FROM STDIN"
        self.copy = connection.vendor == "postgresql"

    def add(self, row: tuple[Any, ...]) -> None:
        self.rows.append(row)
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            # One transaction per batch: in autocommit SQLite would commit (and sync) every row.
            with transaction.atomic(), connection.cursor() as cursor:
                if self.copy:
                    # COPY: one stream per batch instead of a statement per row (psycopg 3).
                    with cursor.cursor.copy(self.copy_sql) as copy:
                        for row in self.rows:
                            copy.write_row(row)
                else:
                    cursor.executemany(self.sql, self.rows)
            self.count += len(self.rows)
            self.rows = []


class _Rejections:
    def __init__(self, release: Release) -> None:
        self.release = release
        self.count = 0
        self.pending: list[Rejection] = []

    def add(self, line: int, reason: str, content: str = "") -> None:
        self.count += 1
        if self.count <= MAX_LISTED:
            self.pending.append(
                Rejection(release=self.release, line=line, reason=reason[:300], content=content)
            )

    def save(self) -> None:
        Rejection.objects.bulk_create(self.pending, batch_size=500)
        self.pending = []


def _claim(release: Release) -> Release | None:
    """Mark ``release`` running, unless another import is: then that one is returned.

    The database holds the lock: a partial unique index allows one running release only, so of
    two imports starting at the same moment exactly one gets it, on SQLite and PostgreSQL alike
    (on PostgreSQL the second update waits for the first to commit, then fails).
    """
    now = timezone.now()
    try:
        with transaction.atomic():
            Release.objects.filter(pk=release.pk).update(
                status=Release.Status.RUNNING, started_at=now, updated_at=now
            )
    except IntegrityError:
        other = Release.objects.filter(status=Release.Status.RUNNING).exclude(pk=release.pk)
        return other.first() or Release(pk=0, started_at=now)
    release.status = Release.Status.RUNNING
    release.started_at = now
    return None


def _refuse_busy(release: Release, other: Release) -> Release:
    release.status = Release.Status.REFUSED
    release.message = _(
        "Another import (release %(other)d, started at %(when)s UTC) is running, and only one "
        "import runs at a time; nothing was imported from this file. Import it again when that "
        "one has finished."
    ) % {
        "other": other.pk or 0,
        "when": (other.started_at or timezone.now()).strftime("%Y-%m-%d %H:%M"),
    }
    release.finished_at = timezone.now()
    release.stored_file = ""
    release.save()
    return release


def run(*, release: Release, raw: IO[bytes], progress: Progress | None = None) -> Release:
    """Import one file into ``release`` (already created); returns it with its summary.

    Only one import runs at a time: while another is running, the release is refused with a
    message saying so, and nothing is read.
    """
    sweep_stale()
    other = _claim(release)
    if other is not None:
        logger.info("Indicator import %s refused: import %s is running", release.pk, other.pk)
        return _refuse_busy(release, other)
    rejections = _Rejections(release)
    try:
        _stage(release, raw, rejections, progress)
        if release.status == Release.Status.RUNNING:
            _check_duplicates(release, rejections)
        if release.status == Release.Status.RUNNING and rejections.count:
            release.status = Release.Status.REFUSED
            release.message = _(
                "%(n)d rows were rejected, so nothing was imported: an import is kept only when "
                "every row is consistent. Correct the rows listed and import the file again."
            ) % {"n": rejections.count}
        if release.status == Release.Status.RUNNING:
            _merge(release)
    except Exception:
        logger.exception("Indicator import %s failed", release.pk)
        release.status = Release.Status.FAILED
        release.message = _("The import failed unexpectedly; nothing was imported.")
        raise
    finally:
        StagedObservation.objects.filter(release_id_value=release.pk).delete()
        release.rejected = rejections.count
        rejections.save()
        release.finished_at = timezone.now()
        release.stored_file = ""
        release.save()
    return release


def _stage(
    release: Release,
    raw: IO[bytes],
    rejections: _Rejections,
    progress: Progress | None,
) -> None:
    series_ids = {code: series.pk for code, series in series_sync().items()}
    by_m49: dict[str, int] = {}
    by_alpha3: dict[str, int] = {}
    for pk, m49, alpha3 in Country.objects.values_list("pk", "m49", "alpha3"):
        by_m49[m49] = pk
        by_alpha3[alpha3] = pk
    uis_areas = formats.uis_known_areas()
    stream, counter = formats.open_text(raw)
    stager = _Stager(release.pk)
    skipped: Counter[str] = Counter()
    read = 0
    try:
        source, rows = formats.read_rows(stream)
        release.source = source
        countries = by_alpha3 if source == Release.Source.UIS_BULK else by_m49
        for parsed in rows:
            read += 1
            if progress is not None and read % 10_000 == 0:
                progress(counter.count)
            if isinstance(parsed, formats.Skipped):
                skipped[parsed.reason] += 1
                continue
            if isinstance(parsed, formats.Rejected):
                rejections.add(parsed.line, parsed.reason, parsed.content)
                continue
            country_id = countries.get(parsed.area)
            if country_id is None:
                if source == Release.Source.UIS_BULK and parsed.area in uis_areas:
                    skipped["aggregate"] += 1
                else:
                    rejections.add(
                        parsed.line,
                        _("Unknown country or area code “%(code)s”.") % {"code": parsed.area},
                    )
                continue
            stager.add(
                (
                    release.pk,
                    parsed.line,
                    series_ids[parsed.series],
                    country_id,
                    parsed.year,
                    parsed.level,
                    parsed.sex,
                    parsed.skill,
                    parsed.value,
                    parsed.magnitude,
                    parsed.qualifier,
                )
            )
        stager.flush()
    except formats.FileRefused as refused:
        release.status = Release.Status.REFUSED
        release.message = str(refused)
    if progress is not None:
        progress(counter.count)
    release.rows_read = read
    release.skipped = dict(skipped)


def _analyze() -> None:
    """Fresh statistics for the staging and observation tables (PostgreSQL).

    Right after a large import autovacuum has not yet looked at them; the planner then guesses
    "few rows" and joins the staged rows to the observations with nested loops over sequential
    scans, which made a second import of 100,000 rows take minutes instead of seconds. An
    *empty* observation table is not analysed: statistics saying "no rows" lead to the same
    nested loop while the merge fills it (2.5 minutes for a first import of 100,000 rows).
    """
    if connection.vendor != "postgresql":
        return
    tables = _tables()
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables['staged']}")
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {tables['obs']})")  # noqa: S608
        if cursor.fetchone()[0]:
            cursor.execute(f"ANALYZE {tables['obs']}")


def _check_duplicates(release: Release, rejections: _Rejections) -> None:
    _analyze()
    tables = _tables()
    key = "series_id_value, country_id_value, year, level, sex, skill"
    sql = (
        f"SELECT MIN(line), MAX(line), COUNT(*), "  # noqa: S608  (names from the model)
        "COUNT(DISTINCT COALESCE(CAST(value AS TEXT), '') || '|' || magnitude || '|' || qualifier) "
        f"FROM {tables['staged']} WHERE release_id_value = %s GROUP BY {key} HAVING COUNT(*) > 1 "
        "ORDER BY MIN(line)"
    )
    duplicates = 0
    with connection.cursor() as cursor:
        cursor.execute(sql, [release.pk])
        groups = cursor.fetchall()
    for first, last, count, distinct in groups:
        if distinct > 1:
            rejections.add(
                int(last),
                _(
                    "Conflicts with line %(first)d: the same series, country, year and "
                    "disaggregation with another value (%(n)d rows for this key)."
                )
                % {"first": first, "n": count},
            )
        else:
            duplicates += int(count) - 1
    release.duplicates = duplicates
    if duplicates and not rejections.count:
        delete = (
            f"DELETE FROM {tables['staged']} WHERE release_id_value = %s AND id NOT IN ("  # noqa: S608
            f"SELECT MIN(id) FROM {tables['staged']} WHERE release_id_value = %s GROUP BY {key})"
        )
        with connection.cursor() as cursor:
            cursor.execute(delete, [release.pk, release.pk])


def _merge(release: Release) -> None:
    t = _tables()
    join = (
        "o.series_id = s.series_id_value AND o.country_id = s.country_id_value "
        "AND o.year = s.year AND o.level = s.level AND o.sex = s.sex AND o.skill = s.skill"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {t['staged']} WHERE release_id_value = %s",  # noqa: S608
            [release.pk],
        )
        staged = int(cursor.fetchone()[0])
        # Changed: recorded with the old values before anything is written.
        cursor.execute(
            f"INSERT INTO {t['change']} (release_id, observation_id, kind, old_value, "  # noqa: S608
            "old_magnitude, old_qualifier, new_value, new_magnitude, new_qualifier) "
            "SELECT %s, o.id, 'changed', o.value, o.magnitude, o.qualifier, s.value, "
            f"s.magnitude, s.qualifier FROM {t['staged']} s JOIN {t['obs']} o ON {join} "
            "WHERE s.release_id_value = %s AND (o.value IS DISTINCT FROM s.value "
            "OR o.magnitude <> s.magnitude OR o.qualifier <> s.qualifier)",
            [release.pk, release.pk],
        )
        changed = max(cursor.rowcount, 0)
        # Added: keys not held yet.
        cursor.execute(
            f"INSERT INTO {t['obs']} (series_id, country_id, year, level, sex, skill, value, "  # noqa: S608
            "magnitude, qualifier, release_id) SELECT s.series_id_value, s.country_id_value, "
            "s.year, s.level, s.sex, s.skill, s.value, s.magnitude, s.qualifier, %s "
            f"FROM {t['staged']} s WHERE s.release_id_value = %s AND NOT EXISTS "
            f"(SELECT 1 FROM {t['obs']} o WHERE {join})",
            [release.pk, release.pk],
        )
        added = max(cursor.rowcount, 0)
        if added:
            cursor.execute(
                f"INSERT INTO {t['change']} (release_id, observation_id, kind, old_value, "  # noqa: S608
                "old_magnitude, old_qualifier, new_value, new_magnitude, new_qualifier) "
                "SELECT %s, o.id, 'added', NULL, '', '', o.value, o.magnitude, o.qualifier "
                f"FROM {t['obs']} o WHERE o.release_id = %s",
                [release.pk, release.pk],
            )
        if changed:
            cursor.execute(
                f"UPDATE {t['obs']} SET value = c.new_value, magnitude = c.new_magnitude, "  # noqa: S608
                f"qualifier = c.new_qualifier, release_id = c.release_id FROM {t['change']} c "
                f"WHERE c.release_id = %s AND c.kind = 'changed' AND {t['obs']}.id = "
                "c.observation_id",
                [release.pk],
            )
        release.added = added
        release.changed = changed
        release.unchanged = staged - added - changed
        release.status = Release.Status.DONE if added or changed else Release.Status.UNCHANGED
        cursor.execute(
            f"DELETE FROM {t['staged']} WHERE release_id_value = %s",  # noqa: S608
            [release.pk],
        )
