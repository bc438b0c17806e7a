"""The web app: `create_app` builds the FastAPI application.

It holds the stores and the worker, guards every request (`GuardMiddleware`),
serves the static files and answers errors no page catches; the pages
themselves are in `gait.web.routes`, one module a group.
"""

from __future__ import annotations

import logging
import sqlite3
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles

from ..errors import GaitError
from . import routes
from .analysis import run_analysis
from .athletes import AthleteStore
from .config import LOCAL_HOSTS, WebConfig
from .context import AppContext, page_templates
from .jobs import JobStore
from .security import GuardMiddleware
from .sessions import Sessions
from .worker import Analyse, Worker

log = logging.getLogger("gait.web")
STATIC_DIR = Path(__file__).parent / "static"


def create_app(config: WebConfig, *, analyse: Analyse = run_analysis) -> FastAPI:
    """Build the web app for `config` (the worker starts with the app's lifespan).

    Parameters
    ----------
    config : WebConfig
    analyse : callable
        What the worker runs for a job (see `gait.web.worker.Worker`).

    Returns
    -------
    FastAPI
        ``app.state`` holds ``config``, ``jobs``, ``athletes``, ``sessions``
        and ``worker``.
    """
    config.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)  # health data: owner only
    jobs = JobStore(config.db_path)
    athletes = AthleteStore(config.db_path)
    sessions = Sessions(athletes, jobs, history_db=config.history_db, jobs_dir=config.jobs_dir,
                        comparisons_dir=config.comparisons_dir)
    worker = Worker(jobs, jobs_dir=config.jobs_dir, pose_cache_dir=config.pose_cache_dir,
                    analyse=analyse, on_done=sessions.record)

    app = FastAPI(title="gait", lifespan=worker_lifespan(worker, start=config.start_worker),
                  docs_url=None, redoc_url=None, openapi_url=None)
    hosts = (LOCAL_HOSTS + config.allowed_hosts) if config.host in LOCAL_HOSTS else ()
    app.add_middleware(GuardMiddleware, max_body_bytes=config.max_upload_bytes,
                       token=config.token, allowed_hosts=hosts)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    context = AppContext(config=config, jobs=jobs, athletes=athletes, sessions=sessions,
                         worker=worker, templates=page_templates(config))
    app.state.config, app.state.jobs, app.state.athletes = config, jobs, athletes
    app.state.sessions, app.state.worker = sessions, worker

    add_error_handlers(app, context=context)
    for group in routes.GROUPS:
        group.add_routes(app, context=context)
    return app


def worker_lifespan(worker: Worker, *, start: bool):
    """The app's lifespan: `worker` runs (if `start`) while the app serves and stops after.

    Parameters
    ----------
    worker : Worker
    start : bool
        False to leave the worker off (tests run its jobs with ``run_pending``).

    Returns
    -------
    callable
        An async context manager factory, as ``FastAPI(lifespan=...)`` takes.
    """
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if start:
            worker.start()
        yield
        worker.stop()

    return lifespan


def add_error_handlers(app: FastAPI, *, context: AppContext) -> None:
    """Answer errors that reach no page with a 503 message saying what is in the way."""

    @app.exception_handler(GaitError)
    async def gait_error(request: Request, exc: GaitError):
        # e.g. the history database stayed locked or is unreadable: say so, do not crash
        log.warning("%s %s: %s", request.method, request.url.path, exc)
        return context.message(request, str(exc), status=503, title="Something is in the way")

    @app.exception_handler(sqlite3.OperationalError)
    async def database_error(request: Request, exc: sqlite3.OperationalError):
        # e.g. another program held the web database's lock past the busy timeout
        log.warning("%s %s: web database: %s", request.method, request.url.path, exc)
        return context.message(request, f"the server's database is not usable right now "
                                        f"({exc}); nothing was changed. Try again in a minute",
                               status=503, title="Something is in the way")
