"""Fetching from other OAI-PMH repositories, carefully.

The host name is resolved once and the connection goes to that address (a second lookup could
answer differently: DNS rebinding); private, loopback, link-local and other non-public addresses
are refused unless ``LIBRARY_HARVEST_ALLOW_PRIVATE`` is on; redirects are followed a few times,
each target checked the same way; a response is read up to ``LIBRARY_HARVEST_MAX_BYTES`` and
within ``LIBRARY_HARVEST_TIMEOUT`` seconds; a ``503`` with ``Retry-After`` (the protocol's flow
control) is waited for, politely, when the wait is short. Every failure is a ``HarvestError``
with a sentence an editor can act on.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlencode, urljoin, urlsplit

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_MAX_RETRY_AFTER = 60
MAX_REDIRECTS = 3
MAX_RETRIES = 3
CHUNK = 64 * 1024


class HarvestError(Exception):
    """A harvest cannot go on: the message says why, for the editor who runs it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str


def _setting(name: str, default: float) -> float:
    return float(getattr(settings, name, default))


def allow_private() -> bool:
    return bool(getattr(settings, "LIBRARY_HARVEST_ALLOW_PRIVATE", False))


def address_allowed(address: str) -> bool:
    """Whether harvesting may connect to ``address`` (only public ones, unless allowed)."""
    if allow_private():
        return True
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved)


def check_url(url: str) -> None:
    """Refuse a base URL that is not plain http(s) with a host (before anything is fetched)."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise HarvestError(_("The address must start with http:// or https:// and name a host."))
    if parts.username or parts.password:
        raise HarvestError(_("The address must not contain a user name or password."))
    try:
        parts.port  # noqa: B018  (a port out of range raises here)
    except ValueError:
        raise HarvestError(_("The address has an invalid port.")) from None


def resolve(url: str) -> Target:
    """Where ``url`` points: its parts and the one address the connection will use."""
    check_url(url)
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise HarvestError(_("The host %(host)s could not be found.") % {"host": host}) from None
    if not answers:
        raise HarvestError(_("The host %(host)s could not be found.") % {"host": host})
    address = str(answers[0][4][0])
    if not address_allowed(address):
        raise HarvestError(
            _(
                "The host %(host)s is a private or local address (%(address)s); harvesting from "
                "such addresses is switched off."
            )
            % {"host": host, "address": address}
        )
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(parts.scheme, host, port, path, address)


def _connect(address: str, port: int, timeout: float) -> socket.socket:
    """A TCP connection to a numeric address, with no second name lookup on the way."""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.connect((address, port))
    except BaseException:
        sock.close()
        raise
    return sock


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to a host name that connects to an address resolved beforehand."""

    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address
        self._timeout = timeout

    def connect(self) -> None:
        self.sock = _connect(self._address, self.port, self._timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to a pre-resolved address; the certificate is still checked for the host name."""

    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(
            target.host, target.port, timeout=timeout, context=ssl.create_default_context()
        )
        self._address = target.address
        self._timeout = timeout

    def connect(self) -> None:
        sock = _connect(self._address, self.port, self._timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def with_query(base_url: str, params: dict[str, str]) -> str:
    separator = "&" if urlsplit(base_url).query else "?"
    return f"{base_url}{separator}{urlencode(params)}"


def fetch(base_url: str, params: dict[str, str]) -> bytes:
    """GET ``base_url`` with ``params``; the body of a 200 response, or a ``HarvestError``."""
    timeout = _setting("LIBRARY_HARVEST_TIMEOUT", DEFAULT_TIMEOUT)
    max_bytes = int(_setting("LIBRARY_HARVEST_MAX_BYTES", DEFAULT_MAX_BYTES))
    max_wait = _setting("LIBRARY_HARVEST_MAX_RETRY_AFTER", DEFAULT_MAX_RETRY_AFTER)
    url = with_query(base_url, params)
    redirects = retries = 0
    while True:
        target = resolve(url)
        status, headers, body = _get(target, timeout=timeout, max_bytes=max_bytes)
        if status in {301, 302, 303, 307, 308} and headers.get("location"):
            redirects += 1
            if redirects > MAX_REDIRECTS:
                raise HarvestError(_("The repository redirected too many times."))
            url = urljoin(url, headers["location"])
            continue
        if status == 503 and retries < MAX_RETRIES:
            wait = _retry_after(headers.get("retry-after", ""))
            if wait is not None and wait <= max_wait:
                retries += 1
                time.sleep(wait)
                continue
        if status != 200:
            raise HarvestError(
                _("The repository answered with HTTP status %(status)d.") % {"status": status}
            )
        return body


def _retry_after(value: str) -> float | None:
    try:
        return max(0.0, float(value.strip()))
    except ValueError:
        return None


def _get(target: Target, *, timeout: float, max_bytes: int) -> tuple[int, dict[str, str], bytes]:
    connection_class = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(target, timeout)
    deadline = time.monotonic() + timeout
    too_slow = HarvestError(
        _(
            "The repository at %(host)s did not answer within %(seconds)d seconds. It may be "
            "busy or down; try again later."
        )
        % {"host": target.host, "seconds": round(timeout)}
    )
    try:
        connection.request(
            "GET",
            target.path,
            headers={
                "User-Agent": f"IITE-Platform-Harvester/1 (+{settings.SITE_URL})",
                "Accept": "text/xml, application/xml",
                "Accept-Encoding": "identity",
            },
        )
        response = connection.getresponse()
        headers = {key.lower(): value for key, value in response.getheaders()}
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > max_bytes:
            raise _too_large(max_bytes)
        chunks: list[bytes] = []
        size = 0
        while True:
            if time.monotonic() > deadline:
                raise too_slow
            chunk = response.read(CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes:
                raise _too_large(max_bytes)
            chunks.append(chunk)
        return response.status, headers, b"".join(chunks)
    except TimeoutError:
        raise too_slow from None
    except ssl.SSLError as error:
        raise HarvestError(
            _("A secure connection to %(host)s failed: %(reason)s")
            % {"host": target.host, "reason": error.reason or error}
        ) from None
    except (OSError, http.client.HTTPException) as error:
        raise HarvestError(
            _("The repository at %(host)s could not be reached (%(reason)s).")
            % {"host": target.host, "reason": error.__class__.__name__}
        ) from None
    finally:
        connection.close()


def _too_large(max_bytes: int) -> HarvestError:
    return HarvestError(
        _("The response is larger than %(size)s, the most a harvest accepts.")
        % {"size": filesizeformat(max_bytes)}
    )
