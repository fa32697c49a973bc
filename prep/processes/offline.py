"""No network during a run: an audit hook that refuses connections and name look-ups.

prep reads local files only. Nothing it uses should reach the network (trafilatura is given
the page, never a URL to fetch; lxml parses with its network access off), and this hook makes
that a guarantee rather than a hope: any attempt in Python code, by prep or a library, to
connect a socket, send to an address or resolve a host name raises NetworkForbidden.
Unix-domain sockets (local, used by multiprocessing) stay allowed.
"""

from __future__ import annotations

import socket
import sys

_LOOKUPS = {"socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex", "socket.gethostbyaddr",
            "socket.getnameinfo"}
_SENDS = {"socket.connect", "socket.sendto", "socket.sendmsg"}
_installed = False  # an audit hook cannot be removed, so install it once per process


class NetworkForbidden(PermissionError):
    """A network access was attempted during a run."""


def forbid_network() -> None:
    """Refuse network access in this process from now on (for good: hooks cannot be removed)."""
    global _installed
    if not _installed:
        sys.addaudithook(_refuse_network)
        _installed = True


def _refuse_network(event: str, args: tuple) -> None:
    if event in _LOOKUPS:
        raise NetworkForbidden(f"prep makes no network access: refused {event}{args[:2]!r}")
    if event in _SENDS:
        sock = args[0]
        if getattr(sock, "family", None) != socket.AF_UNIX:
            raise NetworkForbidden(f"prep makes no network access: refused {event} to {args[1]!r}")
