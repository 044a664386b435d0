"""Build ``src/iite/reference/data/country_regions.csv``: each country's regions and income group.

Run by developers when a source changes (``.venv/bin/python scripts/build_country_regions.py``);
the reference loader reads only the committed CSV and never these sources.

Columns: ``alpha3, un_region, un_subregion, un_intermediate_region, unesco_region, income_group``.
One row per ISO 3166-1 country or territory in pycountry; a blank cell means "none".

Sources and derivation
----------------------
1. UN M49 regions (``un_region``, ``un_subregion``, ``un_intermediate_region``, three-digit M49
   codes): the ``UNregion`` column of ``country_data.tsv`` in the ``country_converter`` package
   (Stadler, K. (2017). The country converter coco — a Python package for converting country names
   between different classification schemes. Journal of Open Source Software, 2(16), 332;
   GPL-3.0; https://github.com/IndEcol/country_converter). That column holds the names of the M49
   sub-regions of the older scheme ("Eastern Africa", "Caribbean", "South America", ...). Each name
   is mapped to the current three tiers of the UN Statistics Division's "Standard country or area
   codes for statistical use (M49)" (https://unstats.un.org/unsd/methodology/m49/) by
   ``SUBREGIONS`` below: for example "Eastern Africa" becomes region 002 Africa, sub-region 202
   Sub-Saharan Africa, intermediate region 014 Eastern Africa; "Western Asia" becomes region 142
   Asia, sub-region 145 Western Asia, no intermediate region.
2. UNESCO regions (``unesco_region``): the "UIS: ..." regional groupings of ``SDG_REGION.csv``
   in the UNESCO Institute for Statistics SDG 4 bulk data download, September 2021 release
   (http://uis.unesco.org, CC BY-SA 3.0 IGO). The eight UIS regions are merged into UNESCO's five
   electoral-style regions by ``UNESCO_REGIONS`` below.
3. Income group (``income_group``): the "WB: ... income (July 2021)" groupings of the same file,
   which reproduce the World Bank's country classification by income for fiscal year 2022.

Usage: ``python scripts/build_country_regions.py [--cc-tsv PATH] [--uis-regions PATH]
[--out PATH]``. The default ``--cc-tsv`` is where ``pip download country_converter --no-deps -d
/tmp/cc && cd /tmp/cc && unzip country_converter-*.whl`` leaves the file.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import pycountry

ROOT = Path(__file__).resolve().parent.parent
# Where the developer unpacked the country_converter sdist (pip download country_converter).
DEFAULT_CC = Path("/tmp/cc/country_converter/country_data.tsv")  # noqa: S108 (a developer input)
DEFAULT_UIS = Path("/work/shared/data/sdg4/uis-bulk-2021-metadata/SDG_REGION.csv")
DEFAULT_OUT = ROOT / "src" / "iite" / "reference" / "data" / "country_regions.csv"

# Old M49 sub-region name -> (region, sub-region, intermediate region) in today's M49 tiers.
SUBREGIONS: dict[str, tuple[str, str, str]] = {
    "Northern Africa": ("002", "015", ""),
    "Eastern Africa": ("002", "202", "014"),
    "Middle Africa": ("002", "202", "017"),
    "Southern Africa": ("002", "202", "018"),
    "Western Africa": ("002", "202", "011"),
    "Caribbean": ("019", "419", "029"),
    "Central America": ("019", "419", "013"),
    "South America": ("019", "419", "005"),
    "Northern America": ("019", "021", ""),
    "Central Asia": ("142", "143", ""),
    "Eastern Asia": ("142", "030", ""),
    "South-eastern Asia": ("142", "035", ""),
    "Southern Asia": ("142", "034", ""),
    "Western Asia": ("142", "145", ""),
    "Eastern Europe": ("150", "151", ""),
    "Northern Europe": ("150", "154", ""),
    "Southern Europe": ("150", "039", ""),
    "Western Europe": ("150", "155", ""),
    "Australia and New Zealand": ("009", "053", ""),
    "Melanesia": ("009", "054", ""),
    "Micronesia": ("009", "057", ""),
    "Polynesia": ("009", "061", ""),
}
NO_REGION = {"", "Antarctica"}  # M49 places Antarctica in no region

UNESCO_REGIONS = {
    "UIS: Arab States": "arab-states",
    "UIS: Sub-Saharan Africa": "africa",
    "UIS: Central Asia": "asia-pacific",
    "UIS: East Asia and the Pacific": "asia-pacific",
    "UIS: South and West Asia": "asia-pacific",
    "UIS: Central and Eastern Europe": "europe-north-america",
    "UIS: North America and Western Europe": "europe-north-america",
    "UIS: Latin America and the Caribbean": "latin-america-caribbean",
}
INCOME_GROUPS = {
    "WB: High income (July 2021)": "high",
    "WB: Upper middle income (July 2021)": "upper-middle",
    "WB: Lower middle income (July 2021)": "lower-middle",
    "WB: Low income (July 2021)": "low",
}
COLUMNS = [
    "alpha3",
    "un_region",
    "un_subregion",
    "un_intermediate_region",
    "unesco_region",
    "income_group",
]


def _groupings(path: Path, names: dict[str, str]) -> dict[str, str]:
    """alpha-3 -> our code for the groupings of SDG_REGION.csv named in ``names``."""
    found: dict[str, str] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            code = names.get(row["REGION_ID"])
            if code is None:
                continue
            previous = found.setdefault(row["COUNTRY_ID"], code)
            if previous != code:
                raise SystemExit(f"{row['COUNTRY_ID']} is in both {previous} and {code}")
    return found


def build(cc_tsv: Path, uis_regions: Path) -> list[dict[str, str]]:
    with cc_tsv.open(encoding="utf-8", newline="") as handle:
        un_names = {row["ISO3"]: row["UNregion"] for row in csv.DictReader(handle, delimiter="\t")}
    unesco = _groupings(uis_regions, UNESCO_REGIONS)
    income = _groupings(uis_regions, INCOME_GROUPS)
    rows = []
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_3):
        name = un_names.get(country.alpha_3, "")
        if name not in NO_REGION and name not in SUBREGIONS:
            raise SystemExit(f"{country.alpha_3}: unknown UN sub-region {name!r}")
        region, subregion, intermediate = SUBREGIONS.get(name, ("", "", ""))
        rows.append(
            {
                "alpha3": country.alpha_3,
                "un_region": region,
                "un_subregion": subregion,
                "un_intermediate_region": intermediate,
                "unesco_region": unesco.get(country.alpha_3, ""),
                "income_group": income.get(country.alpha_3, ""),
            }
        )
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cc-tsv", type=Path, default=DEFAULT_CC)
    parser.add_argument("--uis-regions", type=Path, default=DEFAULT_UIS)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    rows = build(args.cc_tsv, args.uis_regions)
    with args.out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"Wrote {len(rows)} countries to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
