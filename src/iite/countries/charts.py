"""Charts drawn on the server as inline SVG: the geometry here, the markup in templates.

Lines differ by colour (the Okabe-Ito palette, safe for colour-blind readers) *and* by dash and
marker shape, so no line is told apart by colour alone; every chart has a data table beside it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

from django.utils.safestring import SafeString, mark_safe

PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#8C564B")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2", "10 4", "4 4", "3 6")
MARKERS = ("circle", "square", "diamond", "triangle", "circle", "square", "diamond", "triangle")
BOUNDARIES = Path(__file__).resolve().parent / "data" / "boundaries" / "world.json"
# Five classes of a percentage, light to dark (ColorBrewer "Blues", readable with black text).
MAP_CLASSES = (
    (0.0, 20.0, "#eff3ff"),
    (20.0, 40.0, "#bdd7e7"),
    (40.0, 60.0, "#6baed6"),
    (60.0, 80.0, "#3182bd"),
    (80.0, 100.01, "#08519c"),
)
NO_DATA = "#d9d9d9"


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class Line:
    label: str
    colour: str
    dash: str
    marker: str
    points: str  # "x,y x,y …" for <polyline>
    markers: tuple[Marker, ...]

    @property
    def marker_svg(self) -> SafeString:
        """The markers as SVG elements, each with its value as a <title>.

        Written here rather than in the template: a profile draws a few hundred markers and the
        template language would spend most of the page's time on them (bench/country_profile.py).
        """
        colour = escape(self.colour)
        parts = []
        for m in self.markers:
            title = f"<title>{escape(m.label)}</title>"
            if self.marker == "square":
                parts.append(
                    f'<rect x="{m.x - 4:g}" y="{m.y - 4:g}" width="8" height="8" '
                    f'fill="{colour}">{title}</rect>'
                )
            elif self.marker == "diamond":
                parts.append(
                    f'<rect x="{m.x - 4:g}" y="{m.y - 4:g}" width="7" height="7" fill="{colour}" '
                    f'transform="rotate(45 {m.x:g} {m.y:g})">{title}</rect>'
                )
            elif self.marker == "triangle":
                parts.append(
                    f'<circle cx="{m.x:g}" cy="{m.y:g}" r="5" fill="#fff" stroke="{colour}" '
                    f'stroke-width="2.5">{title}</circle>'
                )
            else:
                parts.append(
                    f'<circle cx="{m.x:g}" cy="{m.y:g}" r="4.5" fill="{colour}">{title}</circle>'
                )
        return mark_safe("".join(parts))  # noqa: S308  (every text part is escaped above)


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    left: int
    top: int
    plot_width: int
    plot_height: int
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    lines: tuple[Line, ...]

    @property
    def bottom(self) -> int:
        return self.top + self.plot_height

    @property
    def right(self) -> int:
        return self.left + self.plot_width


def line_chart(
    series: Sequence[tuple[str, Sequence[tuple[int, float | None]]]],
    *,
    width: int = 640,
    height: int = 260,
    y_max: float = 100.0,
) -> LineChart | None:
    """A line chart of ``(label, [(year, value), …])`` pairs on a 0..``y_max`` scale (percent).

    Gaps (None values) break nothing: points are drawn where there are values. None when there is
    nothing to draw.
    """
    years = sorted(
        {year for _label, points in series for year, value in points if value is not None}
    )
    if not years:
        return None
    top_value = max(
        [y_max]
        + [value for _label, points in series for _year, value in points if value is not None]
    )
    left, top, right_pad, bottom_pad = 44, 12, 16, 28
    plot_width = width - left - right_pad
    plot_height = height - top - bottom_pad
    first, last = years[0], years[-1]
    span = max(last - first, 1)

    def x_of(year: int) -> float:
        if first == last:
            return round(left + plot_width / 2, 1)
        return round(left + (year - first) / span * plot_width, 1)

    def y_of(value: float) -> float:
        return round(top + plot_height - value / top_value * plot_height, 1)

    step = max(1, round(span / 8))
    x_ticks = tuple(Tick(x_of(year), str(year)) for year in range(first, last + 1, step))
    y_ticks = tuple(
        Tick(y_of(top_value * share / 4), f"{top_value * share / 4:g}") for share in range(5)
    )
    lines = []
    for index, (label, points) in enumerate(series):
        drawn = [(year, value) for year, value in sorted(points) if value is not None]
        if not drawn:
            continue
        coords = [(x_of(year), y_of(value)) for year, value in drawn]
        lines.append(
            Line(
                label=label,
                colour=PALETTE[index % len(PALETTE)],
                dash=DASHES[index % len(DASHES)],
                marker=MARKERS[index % len(MARKERS)],
                points=" ".join(f"{x},{y}" for x, y in coords),
                markers=tuple(
                    Marker(x, y, f"{label}, {year}: {value:.1f}")
                    for (x, y), (year, value) in zip(coords, drawn, strict=True)
                ),
            )
        )
    return LineChart(
        width, height, left, top, plot_width, plot_height, x_ticks, y_ticks, tuple(lines)
    )


@dataclass(frozen=True)
class MapShape:
    m49: str
    path: str
    fill: str
    title: str


@dataclass(frozen=True)
class WorldMap:
    width: float
    height: float
    shapes: tuple[MapShape, ...]


@cache
def _boundaries() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(BOUNDARIES.read_text(encoding="utf-8"))
    return data


def colour_for(value: float | None) -> str:
    if value is None:
        return NO_DATA
    for low, high, colour in MAP_CLASSES:
        if low <= value < high:
            return colour
    return MAP_CLASSES[-1][2]


def world_map(values: dict[str, tuple[str, float | None]], no_data: str) -> WorldMap:
    """Every shipped country shape, filled by its value; ``values`` maps M49 to (name, value)."""
    data = _boundaries()
    shapes = []
    for m49, path in data["paths"].items():
        name, value = values.get(m49, ("", None))
        title = f"{name}: {value:.1f}" if value is not None and name else (name or m49)
        if value is None and name:
            title = f"{name}: {no_data}"
        shapes.append(MapShape(m49, path, colour_for(value), title))
    return WorldMap(float(data["width"]), float(data["height"]), tuple(shapes))
