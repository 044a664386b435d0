"""Build ``world.json`` (SVG paths by M49 code) from the npm package world-atlas.

Run by developers only, never at run time:

    npm install world-atlas@2.0.2            # in any scratch folder
    python src/iite/countries/data/boundaries/build.py node_modules/world-atlas/countries-110m.json

world-atlas (ISC licence, © Michael Bostock) packages Natural Earth's 1:110m admin-0 countries
(public domain) as TopoJSON, one geometry per country keyed by its ISO 3166-1 numeric code,
which is the M49 code. This script decodes the TopoJSON arcs, drops Antarctica, projects with the
equirectangular projection onto a 1000 x 420 box (latitudes 84 N to 60 S), rounds to 0.1 unit and
drops points that round onto the previous one, and writes one SVG path per country.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

WIDTH = 1000.0
NORTH, SOUTH = 84.0, -60.0
SCALE = WIDTH / 360.0
HEIGHT = (NORTH - SOUTH) * SCALE
HERE = Path(__file__).resolve().parent


def decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        points = []
        x = y = 0
        for dx, dy, *_rest in arc:
            if transform:
                x += dx
                y += dy
                (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
                points.append((x * sx + tx, y * sy + ty))
            else:
                points.append((dx, dy))
        arcs.append(points)
    return arcs


def ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc[1:] if points else arc)
    return points


def project(lon: float, lat: float) -> tuple[float, float]:
    lat = max(min(lat, NORTH), SOUTH)
    return round((lon + 180.0) * SCALE, 1), round((NORTH - lat) * SCALE, 1)


def path_of(rings: list[list[tuple[float, float]]]) -> str:
    parts = []
    for points in rings:
        projected: list[tuple[float, float]] = []
        for lon, lat in points:
            point = project(lon, lat)
            if not projected or point != projected[-1]:
                projected.append(point)
        if len(projected) < 3:
            continue
        start = projected[0]
        body = " ".join(f"{x:g} {y:g}" for x, y in projected[1:])
        parts.append(f"M{start[0]:g} {start[1]:g}L{body}Z")
    return "".join(parts)


def main(source: str) -> None:
    topology = json.loads(Path(source).read_text(encoding="utf-8"))
    arcs = decode_arcs(topology)
    paths: dict[str, str] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = str(geometry.get("id", "")).zfill(3)
        if not geometry.get("id") or code == "010":  # no code, or Antarctica
            continue
        if geometry["type"] == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        rings = [ring(arcs, indexes) for polygon in polygons for indexes in polygon]
        path = path_of(rings)
        if path:
            paths[code] = paths.get(code, "") + path
    document = {
        "source": "world-atlas 2.0.2 (ISC, Michael Bostock), from Natural Earth 1:110m (public "
        "domain); built by countries/data/boundaries/build.py",
        "width": WIDTH,
        "height": round(HEIGHT, 1),
        "paths": dict(sorted(paths.items())),
    }
    (HERE / "world.json").write_text(
        json.dumps(document, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
    print(f"Wrote {len(paths)} countries to {HERE / 'world.json'}.")


if __name__ == "__main__":
    main(sys.argv[1])
