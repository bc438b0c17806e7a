"""The access-token form: ``/login``."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from ..context import AppContext
from ..security import TOKEN_COOKIE, safe_next, token_matches


def add_routes(app: FastAPI, *, context: AppContext) -> None:
    """Add the login form and its check of the access token to `app`."""

    @app.get("/login", response_class=HTMLResponse)
    def login_form(request: Request, next: str = "/"):
        return context.page(request, "login.html", next=safe_next(next), error=None)

    @app.post("/login")
    async def login(request: Request):
        form = await request.form()
        target = safe_next(str(form.get("next") or "/"))
        if not context.config.token:
            return RedirectResponse(target, status_code=303)
        if not token_matches(str(form.get("token") or ""), context.config.token):
            return context.page(request, "login.html", status=401, next=target,
                                error="That access token is not right.")
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(TOKEN_COOKIE, context.config.token, httponly=True, samesite="strict",
                            secure=request.url.scheme == "https")
        return response
