"""`/docs` (Swagger UI) served entirely from this server, for `faqbot serve --docs`.

FastAPI's own /docs and /redoc load scripts and fonts from public CDNs: blank
offline, and they need a CSP that trusts those hosts.  Here the files come from
the `swagger-ui-bundle-v2` package (the `docs` extra); without it `--docs` is refused.
ReDoc has no offline package, so /redoc is never served.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse, HTMLResponse, Response

from faqbot.web.pages import static_text

# The only files served from the bundle, with their media types.
ASSETS = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "favicon-32x32.png": "image/png",
}


def assets_folder() -> Path | None:
    """Where swagger-ui-bundle-v2 keeps Swagger UI, or None when it is not installed."""
    try:
        from swagger_ui_bundle import swagger_ui_path
    except ImportError:
        return None
    return Path(swagger_ui_path)


def docs_available() -> bool:
    """True when every file /docs needs is on this machine."""
    folder = assets_folder()
    return folder is not None and all((folder / name).is_file() for name in ASSETS)


def docs_router() -> APIRouter:
    """`/docs` and the few files it loads from `/docs-assets/`."""
    router = APIRouter(include_in_schema=False)
    folder = assets_folder()

    @router.get("/docs")
    def docs() -> HTMLResponse:
        return HTMLResponse(static_text("docs.html"))

    @router.get("/docs-assets/docs-init.js")
    def docs_init() -> Response:
        return Response(static_text("docs-init.js"), media_type=ASSETS["swagger-ui-bundle.js"])

    @router.get("/docs-assets/{name}")
    def docs_asset(name: str) -> FileResponse:
        if folder is None or name not in ASSETS:
            raise HTTPException(404)
        return FileResponse(folder / name, media_type=ASSETS[name])

    return router
