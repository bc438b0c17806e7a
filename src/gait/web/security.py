"""Request guards: upload size, access token, Host and Origin checks, safe headers.

Pure ASGI middleware built on Starlette's request and response classes; no
HTTP is parsed by hand.
"""

from __future__ import annotations

import hmac
from urllib.parse import quote, urlsplit

from starlette.requests import HTTPConnection
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

TOKEN_COOKIE = "gait_token"
#: Room for the form fields that travel with the video, in bytes.
FORM_OVERHEAD_BYTES = 256 * 1024
_UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
_PUBLIC_PREFIXES = ("/login", "/static/")

#: Pages run only the app's own scripts and styles; frames and forms stay on this server.
PAGE_CSP = ("default-src 'self'; img-src 'self' data:; media-src 'self'; object-src 'none'; "
            "base-uri 'none'; frame-ancestors 'self'; form-action 'self'")
#: Reports and comparisons (self-contained HTML from gait's renderers): no scripts at all.
REPORT_CSP = ("default-src 'none'; img-src data: 'self'; media-src 'self'; "
              "style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; "
              "frame-ancestors 'self'")

SECURITY_HEADERS = {
    "Content-Security-Policy": PAGE_CSP,
    "X-Content-Type-Options": "nosniff",
    # not "no-referrer": under it a browser sends "Origin: null" with every form post, the same
    # header a sandboxed page on another site sends, and the two could not be told apart
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "SAMEORIGIN",
    "Cache-Control": "no-store",
}


def megabytes(n_bytes: int) -> str:
    """A size as "0.9 MB" or "250 MB"."""
    mb = n_bytes / 1e6
    return f"{mb:.1f} MB" if mb < 10 else f"{mb:.0f} MB"


def too_large_message(body_bytes: int, limit_bytes: int) -> str:
    """One line telling the user the upload is over the limit and what to do."""
    return (f"the upload is {megabytes(body_bytes)}; this server accepts videos up to "
            f"{megabytes(limit_bytes)}. Trim the clip to 20-30 s, or start the server with "
            "a larger --max-upload-mb")


def wants_json(conn: HTTPConnection) -> bool:
    """Whether the client asks for JSON (its ``Accept`` header names it)."""
    return "application/json" in conn.headers.get("accept", "")


def _error(conn: HTTPConnection, status: int, message: str):
    if wants_json(conn):
        return JSONResponse({"error": message}, status_code=status)
    page = ("<!doctype html><meta charset=utf-8><title>gait: error</title>"
            "<link rel=stylesheet href=/static/style.css><main class=narrow>"
            f"<h1>Not accepted</h1><p class=error>{_escape(message)}</p>"
            "<p><a href='/'>Back to the athletes</a></p></main>")
    return HTMLResponse(page, status_code=status)


def _escape(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def token_matches(given: str | None, token: str) -> bool:
    """Constant-time comparison of a presented token with the server's."""
    return given is not None and hmac.compare_digest(given.encode(), token.encode())


def _cross_site(conn: HTTPConnection) -> bool:
    """Whether a browser sent this request from a page that is not one of this server's.

    A browser names where a form post comes from in ``Sec-Fetch-Site`` (Chrome 76,
    Firefox 90, Safari 16.4 and later) and ``Origin``; a sandboxed frame or a
    local file on another site sends ``Origin: null``. Requests with neither
    header come from programs (curl, scripts), which cannot carry a user's
    cookie unasked.
    """
    fetch_site = conn.headers.get("sec-fetch-site")
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        return True
    origin = conn.headers.get("origin")
    return origin is not None and urlsplit(origin).netloc != conn.headers.get("host")


class GuardMiddleware:
    """Every check a request passes before it reaches a page.

    Parameters
    ----------
    app : ASGI app
    max_body_bytes : int
        Largest request body (upload plus form fields); larger requests are
        refused from their ``Content-Length`` before anything is read, and
        bodies without a length are refused (411).
    token : str, optional
        Access token; requests must carry it in the ``gait_token`` cookie
        (set by /login) or an ``Authorization: Bearer`` header.
    allowed_hosts : tuple of str
        Accepted ``Host`` header names (without port); empty accepts any.
        A local server accepts only local names, against DNS rebinding.
    """

    def __init__(self, app: ASGIApp, *, max_body_bytes: int, token: str | None,
                 allowed_hosts: tuple[str, ...]) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.token = token
        self.allowed_hosts = allowed_hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        conn = HTTPConnection(scope)
        refusal = self._refusal(conn, scope)
        if refusal is not None:
            await refusal(scope, receive, send)
            return

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                for name, value in SECURITY_HEADERS.items():
                    if name.lower().encode() not in present:
                        headers.append((name.lower().encode(), value.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _refusal(self, conn: HTTPConnection, scope: Scope):
        host = (conn.url.hostname or "").lower()
        if self.allowed_hosts and host not in self.allowed_hosts:
            return PlainTextResponse(f"unexpected Host header {host!r}", status_code=400)
        method = scope["method"]
        if method in _UNSAFE_METHODS and _cross_site(conn):
            return _error(conn, 403, "this form was sent from another site; open gait's own "
                                     "page and submit it there")
        if self.token and not self._authorised(conn):
            path = scope["path"]
            if not path.startswith(_PUBLIC_PREFIXES):
                if method == "GET" and not wants_json(conn):
                    target = path + (f"?{scope['query_string'].decode()}"
                                     if scope.get("query_string") else "")
                    return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
                return _error(conn, 401, "access token required: open /login first")
        if method in _UNSAFE_METHODS:
            length = conn.headers.get("content-length")
            if length is None and conn.headers.get("transfer-encoding"):
                return _error(conn, 411, "send the upload with a Content-Length")
            if length is not None:
                try:
                    n_bytes = int(length)
                except ValueError:
                    return _error(conn, 400, "invalid Content-Length header")
                if n_bytes > self.max_body_bytes + FORM_OVERHEAD_BYTES:
                    return _error(conn, 413, too_large_message(n_bytes, self.max_body_bytes))
        return None

    def _authorised(self, conn: HTTPConnection) -> bool:
        if token_matches(conn.cookies.get(TOKEN_COOKIE), self.token):
            return True
        auth = conn.headers.get("authorization", "")
        return auth.lower().startswith("bearer ") and token_matches(auth[7:].strip(), self.token)


def safe_next(target: str | None) -> str:
    """A same-site path to go to after login (never another site)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target
