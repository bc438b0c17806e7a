"""Athletes: the list (``/``), creating one, an athlete's page and deleting an athlete."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ...errors import InvalidOptionError
from ...history.trend import trend_figure_png
from ..athletes import Athlete
from ..context import NO_SUCH_ATHLETE, AppContext, athlete_url
from ..jobs import AnalysisRunningError

log = logging.getLogger("gait.web")
#: Sessions an athlete needs before their page shows the trend figure.
MIN_TREND_SESSIONS = 2


def delete_athlete_page(request: Request, *, context: AppContext, athlete: Athlete,
                        status: int = 200, error: str | None = None) -> HTMLResponse:
    """The form confirming the deletion of `athlete`, with what it erases."""
    return context.page(request, "delete_athlete.html", status=status, athlete=athlete,
                        error=error, n_jobs=len(context.jobs.for_athlete(athlete.name)),
                        n_sessions=len(context.sessions.sessions(athlete.name)))


def add_routes(app: FastAPI, *, context: AppContext) -> None:
    """Add the athletes' list and pages, creating and deleting athletes, to `app`."""

    @app.get("/", response_class=HTMLResponse)
    def home(request: Request):
        return context.page(request, "home.html", athletes=context.sessions.athlete_names(),
                            error=None)

    @app.post("/athletes")
    async def create_athlete(request: Request):
        form = await request.form()
        try:
            athlete = await run_in_threadpool(context.athletes.create,
                                              str(form.get("name") or ""))
        except InvalidOptionError as exc:
            names = await run_in_threadpool(context.sessions.athlete_names)
            return context.page(request, "home.html", status=400, athletes=names,
                                error=str(exc))
        return RedirectResponse(athlete_url(athlete.name), status_code=303)

    @app.get("/athlete", response_class=HTMLResponse)
    def athlete_page(request: Request, name: str = ""):
        athlete = context.find_athlete(name)
        if athlete is None:
            return context.not_found(request, NO_SUCH_ATHLETE)
        items = context.sessions.sessions(athlete.name)
        return context.page(request, "athlete.html", athlete=athlete, items=items,
                            pending=context.sessions.pending(athlete.name),
                            show_trend=len(items) >= MIN_TREND_SESSIONS)

    @app.get("/athlete/trend.png")
    def athlete_trend(name: str = ""):
        """The trend figure of ``gait history``: cadence, step length and step-time asymmetry
        of every session, each with its 95 % interval."""
        athlete = context.find_athlete(name)
        items = [] if athlete is None else context.sessions.sessions(athlete.name)
        if len(items) < MIN_TREND_SESSIONS:
            return JSONResponse({"error": f"no trend: fewer than {MIN_TREND_SESSIONS} "
                                          "recorded sessions"}, status_code=404)
        png = trend_figure_png([item.record for item in items], athlete=athlete.name)
        return Response(png, media_type="image/png", headers={"Cache-Control": "no-store"})

    @app.get("/athlete/delete", response_class=HTMLResponse)
    def confirm_delete_athlete(request: Request, name: str = ""):
        athlete = context.find_athlete(name)
        if athlete is None:
            return context.not_found(request, NO_SUCH_ATHLETE)
        return delete_athlete_page(request, context=context, athlete=athlete)

    @app.post("/athlete/delete")
    async def delete_athlete(request: Request, name: str = ""):
        athlete = await run_in_threadpool(context.find_athlete, name)
        if athlete is None:
            return context.not_found(request, NO_SUCH_ATHLETE)
        form = await request.form()
        error = None
        if str(form.get("confirm_name") or "").strip().lower() != athlete.name.lower():
            error = "Type the athlete's name exactly to confirm."
        else:
            try:  # refused as a whole while one of their analyses runs
                await run_in_threadpool(context.sessions.delete_athlete, athlete,
                                        pose_cache_dir=context.config.pose_cache_dir)
            except AnalysisRunningError as exc:
                error = str(exc)
        if error:
            return await run_in_threadpool(delete_athlete_page, request, context=context,
                                           athlete=athlete, status=400, error=error)
        log.info("deleted athlete #%d", athlete.id)
        return RedirectResponse("/?deleted=1", status_code=303)
