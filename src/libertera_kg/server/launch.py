"""Starting the server: the checks made before anything loads, then uvicorn until interrupted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import ServerError, UsageError
from .app import ServerSettings, create_app

if TYPE_CHECKING:
    from ..graph import KnowledgeGraph


def serve(settings: ServerSettings, graph: KnowledgeGraph | None = None) -> None:
    """Serve ``graph`` (default: the shipped one) with uvicorn until interrupted; an address in use is
    reported before anything loads."""
    import socket

    import uvicorn

    if settings.base_url is None and not is_loopback(settings.host):
        raise UsageError(
            f"Serving on {settings.host}, beyond this machine, needs --base-url, the address clients reach "
            "the server at: it is written into VoID and the service description, which must not repeat "
            "whatever Host header a client sends."
        )
    try:
        with socket.create_server((settings.host, settings.port)):
            pass
    except OSError as exc:
        raise ServerError(
            f"Cannot listen on {settings.host}:{settings.port}: {exc.strerror or exc}. "
            "Choose another --port or --host, or stop the program using it."
        ) from None
    if settings.store_path is not None:
        from ..disk_store import open_read_only

        open_read_only(settings.store_path)  # a folder that holds no usable store is reported now
    address = f"http://{settings.host}:{settings.port}/"
    print(f"serving on {address} (SPARQL endpoint: {address}sparql); stop with Ctrl-C", flush=True)

    uvicorn.run(
        create_app(settings, graph),
        host=settings.host,
        port=settings.port,
        log_level="warning",
        access_log=False,
        server_header=False,
    )


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or address to listen on) is this machine's loopback."""
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
