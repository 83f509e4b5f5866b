"""The one way the platform fetches a URL it doesn't control: OParl, NINA, GTFS, feeds a town enters, push services.

A town admin (or a resident's browser, for web push) chooses these addresses, so a plain HTTP
library would let them point the server at its own neighbours: the cloud metadata service at
169.254.169.254, Redis on 127.0.0.1, the intranet. Every request here therefore

- takes only http:// and https:// addresses,
- resolves the name once, refuses it when any of its addresses is private, loopback, link-local,
  multicast, reserved or unspecified (IPv4 and IPv6, IPv4 hidden in IPv6 too), and then connects to
  exactly the address it checked, keeping the name for the Host header, TLS SNI and the certificate
  check, so a second DNS answer can't swap in an internal address (DNS rebinding),
- follows redirects itself, at most OUTBOUND_MAX_REDIRECTS, checking every hop the same way,
- stops after OUTBOUND_TIMEOUT_SECONDS in all (a watchdog closes the socket, so a server that
  drips one byte at a time can't hold a worker) and after OUTBOUND_MAX_BYTES of body.

    from core import outbound

    try:
        feed = outbound.get(url).json()
    except outbound.OutboundError as exc:
        form.add_error("url", str(exc))   # German, safe to show a town admin

Failures raise a subclass of OutboundError; ``str(exc)`` is a message in the active language
that names no internal detail, ``exc.detail`` is the technical cause for the log. An HTTP error
status is not an exception: check ``response.ok`` or call ``response.raise_for_status()``.

OUTBOUND_ALLOWED_NETWORKS (CIDRs, empty by default) exempts networks from the address check,
for tests against 127.0.0.1 or an operator's own internal data source.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import socket
import ssl
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any
from urllib.parse import urljoin

import certifi
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.template.defaultfilters import filesizeformat
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.exceptions import HTTPError, LocationParseError, NewConnectionError, SSLError
from urllib3.exceptions import TimeoutError as Urllib3Timeout
from urllib3.response import BaseHTTPResponse
from urllib3.util import parse_url

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
logger = logging.getLogger(__name__)

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024
# Headers that carry the caller's credentials: they go to the host the caller named, never to one a redirect names.
_CREDENTIAL_HEADERS = frozenset({"authorization", "cookie", "proxy-authorization"})
_BODY_HEADERS = frozenset({"content-type", "content-length", "content-encoding", "transfer-encoding"})
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


# --- errors: str() is for the town admin, .detail for the log -------------------------------------


class OutboundError(Exception):
    """A URL could not be fetched. ``str(exc)`` is safe to show; ``exc.detail`` is for the log."""

    message: str | Promise = _("The address could not be fetched.")

    def __init__(self, detail: str = "", *, message: str | Promise | None = None, **params: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        if message is not None:
            self.message = message
        self.params = params

    def __reduce__(self) -> tuple[Any, ...]:
        # Keeps message and params when a task hands the error to another process.
        return (self.__class__, (self.detail,), {"message": self.message, "params": self.params})

    def __str__(self) -> str:
        # Translated when shown, not when raised: a task that stores it and a page that shows it may differ.
        text = str(self.message)
        return text % self.params if self.params else text


class Refused(OutboundError):
    """The address is not one the platform fetches from: wrong scheme, malformed, or an internal network."""

    message = _("The platform does not fetch from this address.")


class Unreachable(OutboundError):
    """The name did not resolve, the connection failed, or the server's certificate is not valid."""

    message = _("The server %(host)s could not be reached. Please check the address or try again later.")


class Timeout(OutboundError):
    """The server took longer than the time allowed for the whole fetch."""

    message = _("The server %(host)s took too long to answer. Please try again later.")


class TooLarge(OutboundError):
    """The body is larger than the allowed size."""

    message = _("The file at this address is too large (more than %(limit)s).")


class BadResponse(OutboundError):
    """The server answered, but not with something usable: an error status, broken HTTP, endless redirects, bad JSON."""

    message = _("The server %(host)s did not send a usable answer.")


# --- the result --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutboundResponse:
    """A complete answer: the body is read in full (up to the size cap) and the connection is done with."""

    status: int
    headers: Mapping[str, str]  # names in lower case; repeated headers joined with ", "
    body: bytes
    url: str  # the final URL, after redirects

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def host(self) -> str:
        return parse_url(self.url).host or ""

    def text(self) -> str:
        """The body decoded with the charset the server named, UTF-8 otherwise; broken bytes become U+FFFD."""
        charset = "utf-8"
        for part in self.headers.get("content-type", "").split(";")[1:]:
            name, _sep, value = part.strip().partition("=")
            if name.lower() == "charset" and value:
                charset = value.strip("\"' ")
        try:
            return self.body.decode(charset, errors="replace")
        except LookupError:  # a charset Python doesn't know
            return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError are both ValueErrors
            raise BadResponse(
                f"invalid JSON from {self.url}: {exc}",
                message=_("The server %(host)s did not send data the platform can read."),
                host=self.host,
            ) from exc

    def raise_for_status(self) -> OutboundResponse:
        if not self.ok:
            raise BadResponse(
                f"HTTP {self.status} from {self.url}",
                message=_("The server %(host)s answered with error %(status)s."),
                host=self.host,
                status=self.status,
            )
        return self


# --- address checks ----------------------------------------------------------------------------------


def allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    try:
        return [ipaddress.ip_network(entry, strict=False) for entry in settings.OUTBOUND_ALLOWED_NETWORKS]
    except ValueError as exc:
        raise ImproperlyConfigured(f"OUTBOUND_ALLOWED_NETWORKS: {exc}") from exc


def address_is_public(address: IPAddress) -> bool:
    """True for an address on the public internet; False for anything internal or special."""
    if isinstance(address, ipaddress.IPv6Address):
        # IPv6 forms that carry an IPv4 address: judge the IPv4 address inside.
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return address_is_public(embedded)
        if address.is_site_local:
            return False
    return not (
        not address.is_global  # private ranges, 100.64/10, documentation and benchmark ranges
        or address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def address_is_allowed(address: IPAddress) -> bool:
    return address_is_public(address) or any(address in network for network in allowed_networks())


# --- the client ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str  # as in the URL, IDNA-encoded, without brackets
    port: int
    path: str  # path and query, percent-encoded

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"

    @property
    def origin(self) -> str:
        return f"{self.scheme}://{self.host_header}"


def _target(url: str) -> _Target:
    try:
        parsed = parse_url(url.strip())
    except (LocationParseError, ValueError) as exc:
        raise Refused(f"unparseable URL {url!r}", message=_("This is not a valid web address.")) from exc
    scheme = (parsed.scheme or "").lower()
    if scheme not in ("http", "https"):
        raise Refused(
            f"scheme {scheme!r} in {url!r}",
            message=_("Only web addresses starting with http:// or https:// can be used."),
        )
    host = (parsed.host or "").strip("[]").rstrip(".")
    if not host:
        raise Refused(f"no host in {url!r}", message=_("This is not a valid web address."))
    if parsed.auth:
        # A password inside an address is stored and shown wherever the address is, and would follow redirects.
        raise Refused(f"credentials in {url!r}", message=_("Web addresses with a user name or password can't be used."))
    port = parsed.port or (443 if scheme == "https" else 80)
    return _Target(scheme=scheme, host=host, port=port, path=parsed.request_uri)


def _resolve(target: _Target) -> list[IPAddress]:
    """Every address the name resolves to; refused if any of them is internal."""
    try:
        infos = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise Unreachable(f"cannot resolve {target.host}: {exc}", host=target.host) from exc
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])  # drop an IPv6 zone id
        if address not in addresses:
            addresses.append(address)
    # One internal address is enough to refuse: a name that mixes public and internal answers is not an accident.
    refused = [address for address in addresses if not address_is_allowed(address)]
    if refused or not addresses:
        # Worth an operator's attention: someone may be probing the internal network through a town's settings.
        logger.warning("outbound: refused %s, which resolves to %s", target.host, ", ".join(map(str, refused)))
        raise Refused(
            f"{target.host} resolves to {', '.join(map(str, refused))}",
            message=_("The address %(host)s points to an internal network. The platform does not fetch from there."),
            host=target.host,
        )
    return addresses


class _Watchdog:
    """Shuts a socket down at the deadline, so a blocked read ends however slowly the server sends."""

    def __init__(self, sock: socket.socket, seconds: float) -> None:
        self.fired = False
        self._sock = sock
        self._timer = threading.Timer(max(seconds, 0.0), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def _fire(self) -> None:
        self.fired = True
        try:
            # socket.socket's own shutdown, not SSLSocket's, which would tear the TLS state out from under the reader.
            socket.socket.shutdown(self._sock, socket.SHUT_RDWR)
        except OSError:
            pass

    def cancel(self) -> None:
        self._timer.cancel()


@dataclass
class OutboundClient:
    """Fetches URLs under the rules above. Reuse one for a batch (``with OutboundClient() as client:``):
    keep-alive connections are kept per checked address, so many pushes to one push service share a connection."""

    timeout: float | None = None
    max_bytes: int | None = None
    _connections: dict[tuple[str, str, int, str], HTTPConnection] = field(default_factory=dict, repr=False)

    def __enter__(self) -> OutboundClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        for conn in self._connections.values():
            conn.close()
        self._connections.clear()

    def get(self, url: str, **kwargs: Any) -> OutboundResponse:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> OutboundResponse:
        return self.request("POST", url, **kwargs)

    def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        body: bytes | None = None,
        timeout: float | None = None,
        max_bytes: int | None = None,
        follow_redirects: bool = True,
    ) -> OutboundResponse:
        """Send one request, follow redirects, and return the complete answer (any status)."""
        seconds = timeout or self.timeout or settings.OUTBOUND_TIMEOUT_SECONDS
        deadline = time.monotonic() + seconds
        limit = max_bytes or self.max_bytes or settings.OUTBOUND_MAX_BYTES
        send_headers = {"User-Agent": settings.OUTBOUND_USER_AGENT, "Accept": "*/*"}
        for name, value in (headers or {}).items():
            if name.lower() != "host":  # Host always names the URL's host: that is what was checked
                send_headers = _without(send_headers, frozenset({name.lower()}))
                send_headers[name] = value
        first = target = _target(url)
        for _hop in range(settings.OUTBOUND_MAX_REDIRECTS + 1):
            status, response_headers, data = self._send(method, target, send_headers, body, deadline, limit)
            location = response_headers.get("location")
            if not (follow_redirects and status in REDIRECT_STATUSES and location):
                return OutboundResponse(
                    status=status, headers=MappingProxyType(response_headers), body=data,
                    url=target.origin + target.path,
                )
            target = _target(urljoin(target.origin + target.path, location))
            if status == 303 or (status in (301, 302) and method == "POST"):
                # What browsers do: the follow-up is a GET without the body.
                method = "GET" if method != "HEAD" else method
                body = None
                send_headers = _without(send_headers, _BODY_HEADERS)
            if target.origin != first.origin:
                send_headers = _without(send_headers, _CREDENTIAL_HEADERS)
        raise BadResponse(
            f"more than {settings.OUTBOUND_MAX_REDIRECTS} redirects from {url}",
            message=_("The address %(host)s forwards too often (more than %(count)s times)."),
            host=first.host,
            count=settings.OUTBOUND_MAX_REDIRECTS,
        )

    def _send(
        self,
        method: str,
        target: _Target,
        headers: dict[str, str],
        body: bytes | None,
        deadline: float,
        limit: int,
    ) -> tuple[int, dict[str, str], bytes]:
        addresses = _resolve(target)
        # A kept connection to one of the addresses just checked may serve; if the server dropped it
        # while idle, a fresh connection follows, to each checked address in turn until one answers.
        for address in addresses:
            key = (target.scheme, str(address), target.port, target.host)
            conn = self._connections.pop(key, None)
            if conn is None:
                continue
            if not conn.is_connected:
                conn.close()
                continue
            try:
                return self._exchange(conn, key, method, target, headers, body, deadline, limit)
            except Unreachable:
                pass
        last_error: OutboundError | None = None
        for address in addresses:
            key = (target.scheme, str(address), target.port, target.host)
            try:
                conn = self._connect(target, address, deadline)
            except Unreachable as exc:
                last_error = exc  # try the name's next address
                continue
            return self._exchange(conn, key, method, target, headers, body, deadline, limit)
        assert last_error is not None  # _resolve never returns an empty list
        raise last_error

    def _connect(self, target: _Target, address: IPAddress, deadline: float) -> HTTPConnection:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise Timeout(f"deadline passed before connecting to {target.host}", host=target.host)
        connect_timeout = min(settings.OUTBOUND_CONNECT_TIMEOUT_SECONDS, remaining)
        conn: HTTPConnection
        if target.scheme == "https":
            # Connect to the checked address; SNI and the certificate check use the name.
            conn = HTTPSConnection(
                str(address), target.port, timeout=connect_timeout, server_hostname=target.host,
                cert_reqs="CERT_REQUIRED", ca_certs=certifi.where(),
            )
        else:
            conn = HTTPConnection(str(address), target.port, timeout=connect_timeout)
        try:
            conn.connect()
        except (SSLError, ssl.SSLError) as exc:  # urllib3 wraps TLS errors only inside its pools
            conn.close()
            raise Unreachable(
                f"TLS with {target.host} ({address}): {exc}",
                message=_("The server %(host)s has no valid security certificate."),
                host=target.host,
            ) from exc
        except NewConnectionError as exc:  # also a ConnectTimeoutError subclass, so it comes first
            conn.close()
            raise Unreachable(f"connect to {target.host} ({address}): {exc}", host=target.host) from exc
        except (Urllib3Timeout, TimeoutError) as exc:
            conn.close()
            raise Timeout(f"connect to {target.host} ({address}) timed out", host=target.host) from exc
        except (HTTPError, OSError) as exc:
            conn.close()
            raise Unreachable(f"connect to {target.host} ({address}): {exc}", host=target.host) from exc
        return conn

    def _exchange(
        self,
        conn: HTTPConnection,
        key: tuple[str, str, int, str],
        method: str,
        target: _Target,
        headers: dict[str, str],
        body: bytes | None,
        deadline: float,
        limit: int,
    ) -> tuple[int, dict[str, str], bytes]:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or conn.sock is None:
            conn.close()
            raise Timeout(f"deadline passed before asking {target.host}", host=target.host)
        conn.timeout = remaining
        watchdog = _Watchdog(conn.sock, remaining)
        keep = False
        try:
            with self._errors_as_outbound(target, watchdog):
                conn.request(
                    method, target.path, body=body, headers={"Host": target.host_header, **headers},
                    preload_content=False, decode_content=True,
                )
                response = conn.getresponse()
                data = _read_capped(response, target, limit)
            response_headers = {name.lower(): response.headers[name] for name in response.headers}
            # http.client drops the socket when the server said it would close; otherwise it can serve again.
            keep = conn.sock is not None and not watchdog.fired
            return response.status, response_headers, data
        finally:
            watchdog.cancel()
            if keep and not watchdog.fired:
                self._connections[key] = conn
            else:
                conn.close()

    @staticmethod
    @contextmanager
    def _errors_as_outbound(target: _Target, watchdog: _Watchdog) -> Iterator[None]:
        try:
            yield
        except OutboundError:
            raise
        except Exception as exc:
            if watchdog.fired or isinstance(exc, Urllib3Timeout | TimeoutError):
                raise Timeout(f"{target.host} too slow: {exc!r}", host=target.host) from exc
            if isinstance(exc, ConnectionError):  # reset, broken pipe, closed while idle
                raise Unreachable(f"{target.host} dropped the connection: {exc!r}", host=target.host) from exc
            if isinstance(exc, HTTPError | OSError | ValueError):  # broken HTTP, bad chunking, bad gzip
                raise BadResponse(f"{target.host}: {exc!r}", host=target.host) from exc
            raise


# "5,0 MB" in the language of whoever reads the message, not of the worker that raised it.
_size_text = lazy(filesizeformat, str)


def _without(headers: dict[str, str], names: frozenset[str]) -> dict[str, str]:
    return {name: value for name, value in headers.items() if name.lower() not in names}


def _read_capped(response: BaseHTTPResponse, target: _Target, limit: int) -> bytes:
    too_large = TooLarge(f"body from {target.host} over {limit} bytes", limit=_size_text(limit))
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    # Decoded bytes count, not bytes on the wire: a small gzip body can unpack to gigabytes.
    while chunk := response.read(_CHUNK, decode_content=True):
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def get(url: str, **kwargs: Any) -> OutboundResponse:
    """GET one URL under the outbound rules (see the module docstring)."""
    with OutboundClient() as client:
        return client.get(url, **kwargs)


def post(url: str, **kwargs: Any) -> OutboundResponse:
    """POST to one URL under the outbound rules (see the module docstring)."""
    with OutboundClient() as client:
        return client.post(url, **kwargs)


def request(method: str, url: str, **kwargs: Any) -> OutboundResponse:
    with OutboundClient() as client:
        return client.request(method, url, **kwargs)
