"""The ``iite`` console command: Django's management commands plus the platform's own.

Our commands are written with hyphens (``iite load-reference``); Django's keep their names
(``iite migrate``). A configuration problem is printed as one sentence, without a traceback.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

OWN_COMMANDS = {
    "serve": "Serve the platform with gunicorn (or Django's development server with --dev).",
    "setup": "Migrate the database, load the reference data and collect static files.",
    "load-reference": "Load or refresh the reference data, idempotently, in one transaction.",
    "load-instrument": "Load an instrument version (a questionnaire file) for the assessments.",
    "import-indicators": "Import SDG 4 indicator files (UN SDG Global Database or UIS bulk CSV).",
    "reindex-library": "Rebuild the library's search index from the published resources.",
    "harvest": "Harvest an OAI-PMH repository into the library, or with --due every due source.",
    "credential-key-rotate": "Make a new signing key for credentials; old ones still verify.",
    "demo": "Load the demo content and print a demo admin login.",
    "createsuperuser": "Create an administrator account.",
    "compile-translations": "Compile the interface translations (.po to .mo).",
    "openapi": "Write the OpenAPI document, or --check that the committed one is current.",
}


def _usage() -> str:
    width = max(len(name) for name in OWN_COMMANDS)
    lines = ["Usage: iite COMMAND [options]   (iite COMMAND --help explains each)", ""]
    lines.append("The platform's commands:")
    lines += [f"  {name.ljust(width)}  {text}" for name, text in OWN_COMMANDS.items()]
    lines += ["", "Every Django management command works too (iite help --commands lists them)."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) < 2 or argv[1] in {"-h", "--help"}:
        print(_usage())
        return
    argv[1] = argv[1].replace("-", "_") if argv[1] in OWN_COMMANDS else argv[1]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iite.config.settings")

    from iite.config.environment import ConfigurationError

    try:
        import django

        django.setup()
    except ConfigurationError as error:
        print(f"iite: configuration error: {error}", file=sys.stderr)
        raise SystemExit(2) from None

    if argv[1] == "openapi":
        raise SystemExit(openapi(argv[2:]))

    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


def openapi(args: list[str]) -> int:
    """Write the API's OpenAPI document to docs/openapi.json, or check the committed one."""
    if args and args[0] in {"-h", "--help"}:
        print("Usage: iite openapi [--check]\n\n" + OWN_COMMANDS["openapi"])
        return 0
    from django.conf import settings

    from iite.config.api import api

    path = Path(settings.BASE_DIR) / "docs" / "openapi.json"

    current = json.dumps(api.get_openapi_schema(), indent=2, ensure_ascii=False, sort_keys=True)
    current += "\n"
    if "--check" in args:
        committed = path.read_text(encoding="utf-8") if path.exists() else ""
        if committed != current:
            print(
                f"iite: {path} is out of date with the code; run `iite openapi` "
                "and commit the result.",
                file=sys.stderr,
            )
            return 1
        print(f"{path} matches the code.")
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(current, encoding="utf-8")
    print(f"Wrote {path}.")
    return 0


if __name__ == "__main__":
    main()
