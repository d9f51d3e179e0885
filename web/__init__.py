"""taxobot over HTTP: a JSON API for apps in any language and the chat as a web page.

    taxobot serve            # http://127.0.0.1:8000/  (pip install 'taxobot[serve]')

It depends on the engine only through ``bot``'s public API (see ``web.protocol``), and
``bot`` never imports it: the one-shot ``taxobot ask`` path stays free of the server.
"""

from __future__ import annotations

__all__ = ["create_app"]

from .app import create_app
