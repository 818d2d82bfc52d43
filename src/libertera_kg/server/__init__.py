"""The HTTP server: SPARQL 1.1 Protocol endpoint, linked-data pages, VoID, canned queries, a home page.

Needs the ``server`` extra (starlette, uvicorn, jinja2): ``pip install 'libertera-kg[server]'``.
"""

from .app import ServerSettings, create_app
from .launch import serve

__all__ = ["ServerSettings", "create_app", "serve"]
