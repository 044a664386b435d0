"""Reads for the pages of the people who run campaigns: their campaigns, group reports, plans.

Every figure comes from ``summaries.group_summary``, which withholds anything computed from fewer
than ``MIN_GROUP`` respondents; this module only labels, converts to percentages and lays out what
it returns, and carries the reason wherever a figure is withheld. Who may see what is decided by
``permissions.can`` alone.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _

from iite.accounts.models import Organisation, User
from iite.accounts.selectors import role_assignments_of
from iite.assessments import selectors, summaries
from iite.assessments.definition import Definition
from iite.assessments.definition import Item as ItemDefinition
from iite.assessments.models import ActionPlan, Campaign, Response
from iite.assessments.permissions import OPEN_ACTIONS, REPORT_ACTIONS, can
from iite.assessments.reports import IndividualReport
from iite.assessments.summaries import ALL, MIN_GROUP, Figure, GroupSummary
from iite.core.translation import pick
from iite.reference.models import Competency, Country

BANDS = 5  # heat-map shades of 20 percentage points each
WEAKEST = 3  # areas offered to the action plan


# --- Who manages what ----------------------------------------------------------------------------
class Permissions:
    """``can`` for one person, remembered per action and scope (each call costs a query)."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self._known: dict[tuple[str, int | None, int | None], bool] = {}
        self._held: tuple[set[int], set[int]] | None = None

    def __call__(self, action: str, *, country: Any = None, organisation: Any = None) -> bool:
        key = (action, getattr(country, "pk", country), getattr(organisation, "pk", organisation))
        if key not in self._known:
            # Allowed without a scope means allowed in every scope (roles held everywhere count
            # everywhere), so an admin's long list costs one query per action, not per campaign.
            everywhere = (action, None, None)
            if everywhere not in self._known:
                self._known[everywhere] = can(self.user, action)
            self._known[key] = self._known[everywhere] or can(
                self.user, action, country=key[1], organisation=key[2]
            )
        return self._known[key]

    def held_scopes(self) -> tuple[set[int], set[int]]:
        if self._held is None:
            self._held = _held_scopes(self.user)
        return self._held

    def manage(self, campaign: Campaign) -> bool:
        """Close it, see its code: its creator, or whoever may open a campaign for its scope."""
        return campaign.created_by_id == getattr(self.user, "pk", None) or self(
            OPEN_ACTIONS[campaign.scope],
            country=campaign.country_id,
            organisation=campaign.organisation_id,
        )

    def report(self, campaign: Campaign) -> bool:
        action = REPORT_ACTIONS.get(campaign.scope)
        return action is not None and self(
            action, country=campaign.country_id, organisation=campaign.organisation_id
        )

    def plan(self, campaign: Campaign, *, edit: bool = False) -> bool:
        return campaign.scope == Campaign.Scope.ORGANISATION and self(
            "action_plan.edit" if edit else "action_plan.view",
            organisation=campaign.organisation_id,
        )


def _held_scopes(user: User) -> tuple[set[int], set[int]]:
    """The organisations and countries someone holds any role for (``can`` decides the rest)."""
    organisations: set[int] = set()
    countries: set[int] = set()
    for assignment in role_assignments_of(user):
        if assignment.organisation_id:
            organisations.add(assignment.organisation_id)
        if assignment.country_id:
            countries.add(assignment.country_id)
    return organisations, countries


@dataclass(frozen=True)
class Choices:
    """What someone may open a campaign for: scopes, organisations and countries."""

    scopes: tuple[str, ...]
    organisations: tuple[Organisation, ...]
    countries: tuple[Country, ...]


def campaign_choices(user: User, allowed: Permissions | None = None) -> Choices:
    """The scopes, organisations and countries ``user`` may open a campaign for."""
    allowed = allowed or Permissions(user)
    organisation_ids, country_ids = allowed.held_scopes()
    everywhere_school = allowed(OPEN_ACTIONS["organisation"])
    everywhere_country = allowed(OPEN_ACTIONS["country"])
    organisations = Organisation.objects.select_related("country").order_by("name")
    if not everywhere_school:
        organisations = organisations.filter(pk__in=organisation_ids)
    chosen_organisations = tuple(
        organisation
        for organisation in organisations
        if everywhere_school or allowed(OPEN_ACTIONS["organisation"], organisation=organisation)
    )
    countries = Country.objects.all()
    if not everywhere_country:
        countries = countries.filter(pk__in=country_ids)
    chosen_countries = tuple(
        sorted(
            (
                country
                for country in countries
                if everywhere_country or allowed(OPEN_ACTIONS["country"], country=country)
            ),
            key=lambda country: pick(country.names).casefold(),
        )
    )
    scopes = []
    if chosen_organisations:
        scopes.append(Campaign.Scope.ORGANISATION.value)
    if chosen_countries:
        scopes.append(Campaign.Scope.COUNTRY.value)
    if allowed(OPEN_ACTIONS["cohort"]):
        scopes.append(Campaign.Scope.COHORT.value)
    return Choices(tuple(scopes), chosen_organisations, chosen_countries)


@dataclass(frozen=True)
class Managed:
    """One campaign on "My campaigns": what its manager may do, and who has answered."""

    campaign: Campaign
    counts: tuple[tuple[str, int], ...]  # (group name, submitted responses)
    total: int
    may_report: bool
    may_manage: bool
    may_plan: bool


def campaigns_managed_by(user: User, allowed: Permissions | None = None) -> list[Managed]:
    """The campaigns ``user`` may manage or report on, newest first.

    Those they created, and those for the organisations or countries they hold a role for (or
    for cohorts, or everything, where their roles count everywhere), as ``can`` decides.
    """
    allowed = allowed or Permissions(user)
    organisation_ids, country_ids = allowed.held_scopes()
    wanted = Q(created_by_id=user.pk)
    if allowed(REPORT_ACTIONS["organisation"]) or allowed(OPEN_ACTIONS["organisation"]):
        wanted |= Q(scope=Campaign.Scope.ORGANISATION)
    else:
        wanted |= Q(scope=Campaign.Scope.ORGANISATION, organisation_id__in=organisation_ids)
    if allowed(REPORT_ACTIONS["country"]) or allowed(OPEN_ACTIONS["country"]):
        wanted |= Q(scope=Campaign.Scope.COUNTRY)
    else:
        wanted |= Q(scope=Campaign.Scope.COUNTRY, country_id__in=country_ids)
    if allowed(REPORT_ACTIONS["cohort"]) or allowed(OPEN_ACTIONS["cohort"]):
        wanted |= Q(scope=Campaign.Scope.COHORT)
    campaigns = list(
        Campaign.objects.filter(wanted)
        .exclude(scope=Campaign.Scope.SELF)
        .select_related("instrument", "organisation", "country")
        .order_by("-opens_at", "-pk")
    )
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        Response.objects.filter(
            campaign_id__in=[campaign.pk for campaign in campaigns],
            status=Response.Status.SUBMITTED,
        )
        .values_list("campaign_id", "group")
        .annotate(n=Count("id"))
        .order_by()
    )
    for campaign_id, group, n in rows:
        counts[campaign_id][group] = n
    managed = []
    for campaign in campaigns:
        may_manage = allowed.manage(campaign)
        may_report = allowed.report(campaign)
        if not (may_manage or may_report):
            continue
        names = group_names(selectors.definition_of(campaign.instrument))
        per_group = tuple(
            (names.get(group, group), counts[campaign.pk].get(group, 0))
            for group in campaign.groups
        )
        managed.append(
            Managed(
                campaign=campaign,
                counts=per_group,
                total=sum(n for _name, n in per_group),
                may_report=may_report,
                may_manage=may_manage,
                may_plan=allowed.plan(campaign),
            )
        )
    return managed


def campaign_managed(campaign_id: int) -> Campaign | None:
    """A campaign (not a personal one) with what its staff pages show, or None."""
    return (
        Campaign.objects.exclude(scope=Campaign.Scope.SELF)
        .select_related("instrument", "organisation", "country", "created_by")
        .filter(pk=campaign_id)
        .first()
    )


def respondent_counts(campaign: Campaign) -> list[tuple[str, int, int]]:
    """Per respondent group of a campaign: its name, submitted and unfinished responses."""
    names = group_names(selectors.definition_of(campaign.instrument))
    found: dict[tuple[str, str], int] = {}
    rows = (
        Response.objects.filter(campaign=campaign)
        .values_list("group", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for group, status, n in rows:
        found[(group, status)] = n
    return [
        (
            names.get(group, group),
            found.get((group, Response.Status.SUBMITTED), 0),
            found.get((group, Response.Status.IN_PROGRESS), 0),
        )
        for group in campaign.groups
    ]


def group_names(definition: Definition) -> dict[str, str]:
    return {group.code: pick(group.names) for group in definition.groups}


def target_names(definition: Definition) -> dict[str, str]:
    """Names of an instrument's targets: its own areas, or its framework's competencies."""
    if definition.framework is None:
        return {area.code: pick(area.names) for area in definition.areas}
    competencies = Competency.objects.filter(
        framework__code=definition.framework.code,
        framework__version=definition.framework.version,
        code__in=definition.targets,
    )
    return {competency.code: competency.name for competency in competencies}


# --- The group report ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Cell:
    """One figure of the report, or why it is not shown."""

    n: int | None = None
    percent: int | None = None  # the mean as a percentage of the scale
    mean: float | None = None  # items only: the mean on the item's own scale
    level: str = ""
    distribution: tuple[tuple[str, int], ...] = ()
    withheld: str = ""
    not_asked: bool = False

    @property
    def shown(self) -> bool:
        return self.percent is not None and not self.withheld

    @property
    def band(self) -> int:
        """1 (lowest) … ``BANDS`` for the heat map; 0 when nothing is shown."""
        if not self.shown or self.percent is None:
            return 0
        return min(BANDS, self.percent * BANDS // 100 + 1)

    @property
    def distribution_text(self) -> str:
        return "; ".join(f"{label}: {count}" for label, count in self.distribution)


@dataclass(frozen=True)
class Column:
    code: str  # ALL ("") for every respondent together
    name: str
    respondents: int | None
    withheld: str


@dataclass(frozen=True)
class Row:
    code: str
    name: str
    cells: tuple[Cell, ...]  # one per column

    @property
    def all(self) -> Cell:
        return self.cells[0]


@dataclass(frozen=True)
class ItemSection:
    code: str
    name: str
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Change:
    """How an area moved since the previous round (all respondents together)."""

    code: str
    name: str
    before: Cell
    now: Cell
    points: int | None
    withheld: str


@dataclass(frozen=True)
class LevelBand:
    name: str
    min_percent: int


@dataclass(frozen=True)
class GroupReport:
    campaign: Campaign
    instrument_name: str
    columns: tuple[Column, ...]
    areas: tuple[Row, ...]
    sections: tuple[ItemSection, ...]
    levels: tuple[LevelBand, ...]
    previous: Campaign | None
    changes: tuple[Change, ...]
    empty: bool
    minimum: int = MIN_GROUP
    bands: tuple[tuple[int, int, int], ...] = field(
        default=tuple(
            (band, (band - 1) * 100 // BANDS, band * 100 // BANDS - (0 if band == BANDS else 1))
            for band in range(1, BANDS + 1)
        )
    )

    @property
    def groups(self) -> tuple[Column, ...]:
        return self.columns[1:]


def _level_name(definition: Definition, score: float) -> str:
    name = ""
    for level in definition.levels:
        if score >= level.min:
            name = pick(level.names)
    return name


def _target_cell(definition: Definition, figure: Figure | None) -> Cell:
    if figure is None:
        return Cell(withheld=_("No answers."))
    if figure.withheld:
        return Cell(withheld=figure.withheld)
    if not figure.n or figure.mean is None:
        return Cell(n=figure.n or 0, withheld=_("No answers."))
    counts = dict(figure.distribution or {})
    distribution = tuple(
        (pick(level.names), counts[level.code])
        for level in definition.levels
        if counts.get(level.code)
    )
    return Cell(
        n=figure.n,
        percent=round(figure.mean * 100),
        level=_level_name(definition, figure.mean),
        distribution=distribution,
    )


def _item_scale(item: ItemDefinition) -> tuple[int, int, list[tuple[str, str]]]:
    """The lowest and highest values of an item's scale and its buckets with their labels."""
    kind = item.scale.kind
    if kind == "agreement":
        labels = [(str(point.value), pick(point.labels)) for point in item.scale.points]
    elif kind == "yes-no":
        labels = [("1", _("Yes")), ("0", _("No"))]
    else:
        labels = [(str(statement.value), str(statement.value + 1)) for statement in item.statements]
    values = item.values()
    buckets = [*labels, ("not_applicable", _("Not applicable"))]
    return min(values), max(values), buckets


def _item_cell(item: ItemDefinition, group: str, figure: Figure | None) -> Cell:
    if group != ALL and group not in item.groups:
        return Cell(not_asked=True)
    if figure is None:
        return Cell(withheld=_("No answers."))
    if figure.withheld:
        return Cell(withheld=figure.withheld)
    low, high, buckets = _item_scale(item)
    counts = dict(figure.distribution or {})
    distribution = tuple((label, counts[key]) for key, label in buckets if counts.get(key))
    if not figure.n or figure.mean is None:
        return Cell(n=figure.n or 0, distribution=distribution, withheld=_("No answers."))
    percent = round((figure.mean - low) / (high - low) * 100) if high > low else 0
    return Cell(n=figure.n, percent=percent, mean=round(figure.mean, 1), distribution=distribution)


def previous_campaign(campaign: Campaign) -> Campaign | None:
    """The previous round: the latest earlier campaign of the same instrument (any version) for
    the same organisation, country or cohort that has submitted responses."""
    if campaign.scope == Campaign.Scope.SELF:
        return None
    same = Campaign.objects.filter(
        instrument__code=campaign.instrument.code,
        scope=campaign.scope,
        opens_at__lte=campaign.opens_at,
    ).exclude(pk=campaign.pk)
    if campaign.scope == Campaign.Scope.ORGANISATION:
        same = same.filter(organisation=campaign.organisation)
    elif campaign.scope == Campaign.Scope.COUNTRY:
        same = same.filter(country=campaign.country)
    else:
        same = same.filter(cohort_name=campaign.cohort_name)
    answered = Response.objects.filter(campaign=OuterRef("pk"), status=Response.Status.SUBMITTED)
    earlier = same.filter(Q(opens_at__lt=campaign.opens_at) | Q(pk__lt=campaign.pk))
    return (
        earlier.filter(Exists(answered))
        .select_related("instrument")
        .order_by("-opens_at", "-pk")
        .first()
    )


def _changes(
    definition: Definition,
    names: dict[str, str],
    now: GroupSummary | None,
    before: GroupSummary | None,
) -> tuple[Change, ...]:
    if now is None or before is None:
        return ()
    previous_definition = selectors.definition_of(before.instrument)
    now_part, before_part = now.part(ALL), before.part(ALL)
    changes = []
    for code in definition.targets:
        if code not in previous_definition.targets or now_part is None or before_part is None:
            continue
        after = _target_cell(definition, now_part.targets.get(code))
        earlier = _target_cell(previous_definition, before_part.targets.get(code))
        withheld = after.withheld or earlier.withheld
        points = (
            after.percent - earlier.percent
            if after.percent is not None and earlier.percent is not None and not withheld
            else None
        )
        changes.append(Change(code, names.get(code, code), earlier, after, points, withheld))
    return tuple(changes)


def group_report(campaign: Campaign, *, with_previous: bool = True) -> GroupReport:
    """The report of a campaign: per area and item, for everyone and per respondent group."""
    definition = selectors.definition_of(campaign.instrument)
    summary = summaries.group_summary(campaign)
    groups = [group for group in definition.group_codes if group in campaign.groups]
    names = group_names(definition)
    targets = target_names(definition)
    parts = {group: summary.part(group) if summary else None for group in [ALL, *groups]}
    columns = tuple(
        Column(
            code=group,
            name=_("All respondents") if group == ALL else names.get(group, group),
            respondents=part.respondents if part else 0,
            withheld=part.withheld if part else "",
        )
        for group, part in parts.items()
    )
    areas = tuple(
        Row(
            code=code,
            name=targets.get(code, code),
            cells=tuple(
                _target_cell(definition, part.targets.get(code) if part else None)
                for part in parts.values()
            ),
        )
        for code in definition.targets
    )
    sections = []
    for section in definition.sections:
        rows = tuple(
            Row(
                code=item.code,
                name=pick(item.text),
                cells=tuple(
                    _item_cell(item, group, part.items.get(item.code) if part else None)
                    for group, part in parts.items()
                ),
            )
            for item in section.items
            if item.scored and any(group in item.groups for group in groups)
        )
        if rows:
            sections.append(ItemSection(section.code, pick(section.names), rows))
    previous = previous_campaign(campaign) if with_previous else None
    before = summaries.group_summary(previous, by_group=False) if previous else None
    return GroupReport(
        campaign=campaign,
        instrument_name=pick(definition.names),
        columns=columns,
        areas=areas,
        sections=tuple(sections),
        levels=tuple(
            LevelBand(pick(level.names), round(level.min * 100)) for level in definition.levels
        ),
        previous=previous,
        changes=_changes(definition, targets, summary, before),
        empty=summary is None,
    )


def weakest_areas(report: GroupReport, limit: int = WEAKEST) -> list[Row]:
    """The areas with the lowest means of all respondents, only where the mean is shown."""
    shown = [row for row in report.areas if row.all.shown and (row.all.n or 0) >= MIN_GROUP]
    return sorted(shown, key=lambda row: (row.all.percent, row.code))[:limit]


# --- CSV -----------------------------------------------------------------------------------------
def _csv(rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheet programs read every language correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _figure_columns(cell: Cell) -> list[Any]:
    if cell.not_asked:
        return ["", "", "", "", "", _("Not asked of this group")]
    if cell.withheld:
        return ["", "", "", "", "", cell.withheld]
    return [
        "" if cell.n is None else cell.n,
        "" if cell.percent is None else cell.percent,
        "" if cell.mean is None else cell.mean,
        cell.level,
        cell.distribution_text,
        "",
    ]


def group_report_csv(report: GroupReport, *, own: Sequence[Row] = ()) -> bytes:
    """The figures of a group report as CSV: the same figures, withheld in the same places.

    ``own``: the rows of the campaign's own questions (``own_questions.own_report``), if any.
    """
    header = [
        _("part"),
        _("code"),
        _("name"),
        _("respondent group"),
        _("respondents"),
        _("mean (%)"),
        _("mean on the scale"),
        _("level"),
        _("distribution"),
        _("withheld because"),
    ]
    rows: list[list[Any]] = [header]
    for row in report.areas:
        for column, cell in zip(report.columns, row.cells, strict=True):
            rows.append([_("area"), row.code, row.name, column.name, *_figure_columns(cell)])
    for section in report.sections:
        for row in section.rows:
            for column, cell in zip(report.columns, row.cells, strict=True):
                rows.append([_("item"), row.code, row.name, column.name, *_figure_columns(cell)])
    for row in own:
        for column, cell in zip(report.columns, row.cells, strict=True):
            rows.append(
                [_("own question"), row.code, row.name, column.name, *_figure_columns(cell)]
            )
    for change in report.changes:
        rows.append(
            [
                _("change since the previous round (points)"),
                change.code,
                change.name,
                _("All respondents"),
                "",
                "" if change.points is None else change.points,
                "",
                "",
                "",
                change.withheld,
            ]
        )
    return _csv(rows)


def individual_report_csv(
    report: IndividualReport, own_answers: Sequence[tuple[str, str]] = ()
) -> bytes:
    """A person's own results as CSV: one row per competency or area, then their answers to
    the school's own questions (group "own", no score)."""
    rows: list[list[Any]] = [
        [_("group"), _("code"), _("name"), _("score (%)"), _("level"), _("answer")],
    ]
    for row in report.rows:
        for cell in row.cells:
            rows.append(
                [
                    row.name if report.framework else "",
                    cell.code,
                    cell.name,
                    "" if cell.percent is None else cell.percent,
                    cell.level,
                    "",
                ]
            )
    for number, (text, answer) in enumerate(own_answers, start=1):
        rows.append(["own", f"own-{number}", text, "", "", answer])
    return _csv(rows)


# --- Action plans --------------------------------------------------------------------------------
def action_plan_of(campaign: Campaign) -> ActionPlan | None:
    """The action plan a school drew from a campaign, with its goals."""
    if campaign.organisation_id is None:
        return None
    return (
        ActionPlan.objects.filter(organisation_id=campaign.organisation_id, campaign=campaign)
        .select_related("updated_by")
        .prefetch_related("items")
        .first()
    )


def area_choices(campaign: Campaign) -> list[tuple[str, str]]:
    definition = selectors.definition_of(campaign.instrument)
    names = target_names(definition)
    return [(code, names.get(code, code)) for code in definition.targets]
