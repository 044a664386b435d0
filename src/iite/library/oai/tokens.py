"""Resumption tokens: where a list stopped and what it was asked, signed so none can be forged.

A token carries the request (verb, metadata format, set, from, the until pinned at the first
page), the key of the last record sent (datestamp with microseconds, id), the cursor and the
list size counted at the first page. It is signed with the site's secret key: a token changed
by hand, cut short or made up is refused with ``badResumptionToken``. The key, not an offset,
is what lets a deep page cost what the first one does.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from django.core import signing

SALT = "iite.library.oai.resumption"
VERSION = 1


class BadToken(Exception):
    """The token was not made by this repository, or not for this verb."""


@dataclass(frozen=True)
class ListState:
    verb: str
    prefix: str
    set_spec: str
    start: str  # ISO datetimes, "" when open
    end: str
    after_datestamp: str
    after_id: int
    cursor: int
    size: int


def encode(state: ListState) -> str:
    return signing.dumps({"v": VERSION, **asdict(state)}, salt=SALT, compress=True)


def decode(token: str, *, verb: str) -> ListState:
    try:
        data = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, UnicodeError) as error:
        raise BadToken(str(error)) from None
    if not isinstance(data, dict) or data.pop("v", None) != VERSION:
        raise BadToken("unknown token version")
    try:
        state = ListState(**data)
        for value in (state.start, state.end, state.after_datestamp):
            if value:
                datetime.fromisoformat(value)
    except (TypeError, ValueError) as error:
        raise BadToken(str(error)) from None
    if state.verb != verb:
        raise BadToken("the token belongs to another verb")
    return state
