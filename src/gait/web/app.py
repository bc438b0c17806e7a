"""The web app: `create_app` builds the FastAPI application and its pages.

Pages (athletes are addressed by name in the query string, jobs by their
generated id):

- ``/``: athletes, create one
- ``/athlete?name=``: sessions, compare two, upload, delete
- ``/upload?name=``: the upload form (drag and drop or file picker)
- ``/jobs/{id}``: progress while queued or running, the report when done
- ``/jobs/{id}/status``: progress as JSON (polled by the progress page)
- ``/jobs/{id}/reanalyse``: the stored video analysed again with other settings (a new job)
- ``/jobs/{id}/files/{path}``: a file of the job's output folder
- ``/compare?name=&a=&b=``: two recorded sessions (history session ids) compared
- ``/comparisons/{folder}/{name}``: a file of a comparison report
- ``/login``: the access-token form (when the server has a token)
"""

from __future__ import annotations

import logging
import re
import sqlite3
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from ..errors import GaitError, InvalidOptionError
from ..history.compare import REAL
from .athletes import AthleteStore
from .config import LOCAL_HOSTS, WebConfig
from .forms import SPEED_UNITS, VIEW_CHOICES, UploadForm, form_values, parse_upload_form
from .jobs import AnalysisRunningError, AthleteDeletedError, JobStore, is_job_id, new_job_id
from .present import audio_label, clip_facts, headline, list_outputs, load_result, num
from .security import REPORT_CSP, TOKEN_COOKIE, GuardMiddleware, safe_next, token_matches
from .sessions import Sessions
from .uploads import (StorageFullError, UploadTooLargeError, check_free_space, check_video,
                      display_name, link_or_copy, no_room_error, remove_tree, save_upload,
                      stored_name)
from .analysis import run_analysis, seed_reusable_outputs
from .worker import Analyse, Worker

log = logging.getLogger("gait.web")
HERE = Path(__file__).parent
COMPARISON_FOLDER = re.compile(r"^s\d+v\d+-s\d+v\d+$")

STAGE_TEXT = {
    "queued": "Waiting in the queue",
    "probe": "Reading the video",
    "pose": "Finding the runner's joints in every frame",
    "analysis": "Detecting steps and measuring",
    "report": "Writing the report",
    "done": "Done",
}


def output_file(path: Path, *, download: bool) -> FileResponse:
    """A result file, inline or as a download; HTML reports get a no-script policy."""
    headers = {"Content-Security-Policy": REPORT_CSP} if path.suffix == ".html" else None
    return FileResponse(path, filename=path.name if download else None, headers=headers,
                        content_disposition_type="attachment" if download else "inline")


def athlete_url(name: str) -> str:
    """URL of an athlete's page."""
    return f"/athlete?name={quote(name)}"


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

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if config.start_worker:
            worker.start()
        yield
        worker.stop()

    app = FastAPI(title="gait", lifespan=lifespan, docs_url=None, redoc_url=None,
                  openapi_url=None)
    hosts = (LOCAL_HOSTS + config.allowed_hosts) if config.host in LOCAL_HOSTS else ()
    app.add_middleware(GuardMiddleware, max_body_bytes=config.max_upload_bytes,
                       token=config.token, allowed_hosts=hosts)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.globals.update(athlete_url=athlete_url, stage_text=STAGE_TEXT,
                                 token_required=bool(config.token))
    templates.env.filters.update(num=num, audio_label=audio_label,
                                 clip_facts=clip_facts)
    app.state.config, app.state.jobs, app.state.athletes = config, jobs, athletes
    app.state.sessions, app.state.worker = sessions, worker

    def page(request: Request, name: str, status: int = 200, **context) -> HTMLResponse:
        return templates.TemplateResponse(request, name, context, status_code=status)

    def wants_json(request: Request) -> bool:
        return "application/json" in request.headers.get("accept", "")

    def message(request: Request, status: int, title: str, text: str, back: str = "/"):
        """A message page, or ``{"error": text}`` for a client asking for JSON."""
        if wants_json(request):
            return JSONResponse({"error": text}, status_code=status)
        return page(request, "message.html", status, title=title, message=text, back=back)

    @app.exception_handler(GaitError)
    async def gait_error(request: Request, exc: GaitError):
        # e.g. the history database stayed locked or is unreadable: say so, do not crash
        log.warning("%s %s: %s", request.method, request.url.path, exc)
        return message(request, 503, "Something is in the way", str(exc))

    @app.exception_handler(sqlite3.OperationalError)
    async def database_error(request: Request, exc: sqlite3.OperationalError):
        # e.g. another program held the web database's lock past the busy timeout
        log.warning("%s %s: web database: %s", request.method, request.url.path, exc)
        return message(request, 503, "Something is in the way",
                       f"the server's database is not usable right now ({exc}); nothing was "
                       "changed. Try again in a minute")

    def not_found(request: Request, what: str) -> HTMLResponse:
        return page(request, "message.html", 404, title="Not found", message=what)

    # Database calls block, up to the busy timeout while another writer holds a lock: the
    # sync handlers run in the thread pool, the async ones call them with run_in_threadpool.
    def find_athlete(name: str | None):
        try:
            return sessions.find(name or "")
        except InvalidOptionError:
            return None

    def job_or_none(job_id: str):
        return jobs.get(job_id) if is_job_id(job_id) else None

    # -- login ------------------------------------------------------------------------------

    @app.get("/login", response_class=HTMLResponse)
    def login_form(request: Request, next: str = "/"):
        return page(request, "login.html", next=safe_next(next), error=None)

    @app.post("/login")
    async def login(request: Request):
        form = await request.form()
        target = safe_next(str(form.get("next") or "/"))
        if not config.token:
            return RedirectResponse(target, status_code=303)
        if not token_matches(str(form.get("token") or ""), config.token):
            return page(request, "login.html", 401, next=target,
                        error="That access token is not right.")
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(TOKEN_COOKIE, config.token, httponly=True, samesite="strict",
                            secure=request.url.scheme == "https")
        return response

    # -- athletes ---------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse)
    def home(request: Request):
        return page(request, "home.html", athletes=sessions.athlete_names(), error=None)

    @app.post("/athletes")
    async def create_athlete(request: Request):
        form = await request.form()
        try:
            athlete = await run_in_threadpool(athletes.create, str(form.get("name") or ""))
        except InvalidOptionError as exc:
            return page(request, "home.html", 400,
                        athletes=await run_in_threadpool(sessions.athlete_names), error=str(exc))
        return RedirectResponse(athlete_url(athlete.name), status_code=303)

    @app.get("/athlete", response_class=HTMLResponse)
    def athlete_page(request: Request, name: str = ""):
        athlete = find_athlete(name)
        if athlete is None:
            return not_found(request, "No athlete of that name.")
        return page(request, "athlete.html", athlete=athlete,
                    items=sessions.sessions(athlete.name), pending=sessions.pending(athlete.name))

    def delete_athlete_page(request: Request, athlete, status: int = 200,
                            error: str | None = None) -> HTMLResponse:
        return page(request, "delete_athlete.html", status, athlete=athlete, error=error,
                    n_jobs=len(jobs.for_athlete(athlete.name)),
                    n_sessions=len(sessions.sessions(athlete.name)))

    @app.get("/athlete/delete", response_class=HTMLResponse)
    def confirm_delete_athlete(request: Request, name: str = ""):
        athlete = find_athlete(name)
        if athlete is None:
            return not_found(request, "No athlete of that name.")
        return delete_athlete_page(request, athlete)

    @app.post("/athlete/delete")
    async def delete_athlete(request: Request, name: str = ""):
        athlete = await run_in_threadpool(find_athlete, name)
        if athlete is None:
            return not_found(request, "No athlete of that name.")
        form = await request.form()
        error = None
        if str(form.get("confirm_name") or "").strip().lower() != athlete.name.lower():
            error = "Type the athlete's name exactly to confirm."
        else:
            try:  # refused as a whole while one of their analyses runs
                await run_in_threadpool(sessions.delete_athlete, athlete,
                                        pose_cache_dir=config.pose_cache_dir)
            except AnalysisRunningError as exc:
                error = str(exc)
        if error:
            return await run_in_threadpool(delete_athlete_page, request, athlete, 400, error)
        log.info("deleted athlete #%d", athlete.id)
        return RedirectResponse("/?deleted=1", status_code=303)

    # -- upload -----------------------------------------------------------------------------

    def upload_page(request: Request, athlete, status: int = 200, error: str | None = None,
                    values: dict | None = None) -> HTMLResponse:
        return page(request, "upload.html", status, athlete=athlete, error=error,
                    values=values or {}, views=VIEW_CHOICES, units=SPEED_UNITS,
                    max_upload_mb=config.max_upload_mb)

    def upload_refused(request: Request, athlete, status: int, error: str, values: dict):
        """The upload form again with the reason, or ``{"error": ...}`` for JSON clients."""
        if wants_json(request):
            return JSONResponse({"error": error}, status_code=status)
        return upload_page(request, athlete, status, error, values)

    @app.get("/upload", response_class=HTMLResponse)
    def upload_form(request: Request, name: str = ""):
        athlete = find_athlete(name)
        if athlete is None:
            return not_found(request, "No athlete of that name; create the athlete first.")
        return upload_page(request, athlete)

    @app.post("/upload")
    async def upload(request: Request, name: str = ""):
        athlete = await run_in_threadpool(find_athlete, name)
        if athlete is None:
            return not_found(request, "No athlete of that name; create the athlete first.")
        values, video = {}, None
        try:
            length = request.headers.get("content-length", "0")
            check_free_space(config.data_dir, int(length) if length.isdigit() else 0)
            form = await request.form(max_part_size=64 * 1024)
            values = {k: v for k, v in form.items() if isinstance(v, str)}
            video = form.get("video")
            parsed = parse_upload_form(values)
            if not isinstance(video, UploadFile) or not video.filename:
                raise InvalidOptionError("choose or drop a video file first")
            job = await _store_upload(video, athlete, parsed)
        except AthleteDeletedError as exc:  # while the video was on its way
            return message(request, 410, "Athlete deleted", str(exc))
        except UploadTooLargeError as exc:
            return upload_refused(request, athlete, 413, str(exc), values)
        except StorageFullError as exc:
            log.warning("upload refused: %s", exc)
            return upload_refused(request, athlete, 507, str(exc), values)
        except GaitError as exc:
            return upload_refused(request, athlete, 400, str(exc), values)
        except OSError as exc:  # no room to spool the form or to make the job's folder
            if (error := no_room_error(exc)) is None:
                raise
            log.warning("upload refused: %s", exc)
            return upload_refused(request, athlete, 507, str(error), values)
        finally:
            if isinstance(video, UploadFile):
                await video.close()
        worker.wake()
        return RedirectResponse(f"/jobs/{job.id}", status_code=303)

    async def _store_upload(video: UploadFile, athlete, parsed):
        """Save and check the video, then queue its job if the athlete still exists.

        Nothing is kept when any step fails (the job's folder is removed).
        """
        job_id = new_job_id()
        folder = config.jobs_dir / job_id
        original = display_name(video.filename)
        path = folder / stored_name(video.filename)
        folder.mkdir(parents=True)
        try:
            await run_in_threadpool(save_upload, video.file, path,
                                    max_bytes=config.max_upload_bytes)
            info = await run_in_threadpool(check_video, path, original_name=original,
                                           capture_fps=parsed.options["capture_fps"])
            return await run_in_threadpool(
                jobs.add, job_id=job_id, athlete=athlete.name, athlete_id=athlete.id,
                options=parsed.options, checklist=parsed.checklist, label=parsed.label,
                original_name=original, video_file=path.name,
                video_sha256=info.content_sha256)
        except BaseException:
            remove_tree(folder)
            raise

    # -- jobs -------------------------------------------------------------------------------

    @app.get("/jobs/{job_id}", response_class=HTMLResponse)
    def job_page(request: Request, job_id: str):
        job = job_or_none(job_id)
        if job is None:
            return not_found(request, "No analysis with that id (it may have been deleted).")
        athlete = athletes.find(job.athlete)
        if job.status != "done":
            return page(request, "progress.html", job=job, athlete=athlete,
                        position=jobs.queue_position(job.id) if job.status == "queued" else 0,
                        worker_running=worker.running)
        outdir = config.jobs_dir / job.id / "out"
        result = load_result(outdir)
        return page(request, "report.html", job=job, athlete=athlete, result=result,
                    metrics=headline(result or {}), files=list_outputs(outdir))

    @app.get("/jobs/{job_id}/status")
    def job_status(job_id: str):
        job = job_or_none(job_id)
        if job is None:
            return JSONResponse({"error": "no such analysis"}, status_code=404)
        return {"status": job.status, "stage": job.stage,
                "stage_text": STAGE_TEXT.get(job.stage, job.stage),
                "percent": job.percent, "error": job.error,
                "queue_position": jobs.queue_position(job.id) if job.status == "queued" else 0,
                "worker_running": worker.running}

    @app.get("/jobs/{job_id}/files/{rel_path:path}")
    def job_file(job_id: str, rel_path: str, download: bool = False):
        job = job_or_none(job_id)
        if job is None or job.status != "done":
            return JSONResponse({"error": "no such file"}, status_code=404)
        outdir = config.jobs_dir / job.id / "out"
        # Only names found by listing the folder are served: no path from the request
        # ever reaches the file system.
        if rel_path not in list_outputs(outdir).all:
            return JSONResponse({"error": "no such file"}, status_code=404)
        return output_file(outdir.joinpath(*rel_path.split("/")), download=download)

    @app.get("/jobs/{job_id}/delete", response_class=HTMLResponse)
    def confirm_delete_job(request: Request, job_id: str):
        job = job_or_none(job_id)
        if job is None:
            return not_found(request, "No analysis with that id.")
        return page(request, "delete_job.html", job=job, error=None)

    @app.post("/jobs/{job_id}/delete")
    def delete_job(request: Request, job_id: str):
        job = job_or_none(job_id)
        if job is None:
            return not_found(request, "No analysis with that id.")
        # refused as well when the worker has just started or finished it
        if not sessions.delete_job(job, pose_cache_dir=config.pose_cache_dir):
            return page(request, "delete_job.html", 409, job=jobs.get(job.id) or job,
                        error="Only queued or failed analyses are deleted one by one; a "
                              "finished session is part of the athlete's history, which is "
                              "erased with the athlete.")
        return RedirectResponse(athlete_url(job.athlete), status_code=303)

    # -- analyse again ----------------------------------------------------------------------

    def reanalyse_page(request: Request, job, status: int = 200, error: str | None = None,
                       values: dict | None = None) -> HTMLResponse:
        return page(request, "reanalyse.html", status, job=job, error=error,
                    values=values or {}, views=VIEW_CHOICES, units=SPEED_UNITS)

    @app.get("/jobs/{job_id}/reanalyse", response_class=HTMLResponse)
    def reanalyse_form(request: Request, job_id: str):
        job = job_or_none(job_id)
        if job is None:
            return not_found(request, "No analysis with that id (it may have been deleted).")
        if job.status not in ("done", "failed"):  # still queued or running: follow it
            return RedirectResponse(f"/jobs/{job.id}", status_code=303)
        return reanalyse_page(request, job, values=form_values(
            UploadForm(options=job.options, checklist=job.checklist, label=job.label)))

    @app.post("/jobs/{job_id}/reanalyse")
    async def reanalyse(request: Request, job_id: str):
        job = await run_in_threadpool(job_or_none, job_id)
        if job is None:
            return message(request, 404, "Not found",
                           "No analysis with that id (it may have been deleted).")
        if job.status not in ("done", "failed"):
            return message(request, 409, "Not finished yet",
                           "This analysis has not finished; analyse it again once it has.",
                           back=f"/jobs/{job.id}")
        form = await request.form(max_part_size=64 * 1024)
        values = {k: v for k, v in form.items() if isinstance(v, str)}
        try:
            new_job = await run_in_threadpool(_store_reanalysis, job, parse_upload_form(values))
            if job.status == "failed":  # retried: the new job replaces it, video and all
                await run_in_threadpool(sessions.delete_job, job,
                                        pose_cache_dir=config.pose_cache_dir)
        except AthleteDeletedError as exc:
            return message(request, 410, "Athlete deleted", str(exc))
        except GaitError as exc:
            status = 507 if isinstance(exc, StorageFullError) else 400
            if wants_json(request):
                return JSONResponse({"error": str(exc)}, status_code=status)
            return reanalyse_page(request, job, status, str(exc), values)
        worker.wake()
        return RedirectResponse(f"/jobs/{new_job.id}", status_code=303)

    def _store_reanalysis(source, parsed: UploadForm):
        """Queue a new job for the stored video of the finished job `source`.

        The video is linked into the new job's folder (copied where links are
        impossible); a finished job's overlay is seeded into the new output
        folder, to be kept if the new analysis draws the same. Nothing is kept
        when any step fails.
        """
        video = config.jobs_dir / source.id / source.video_file
        athlete = find_athlete(source.athlete)
        if athlete is None:
            raise AthleteDeletedError(f"{source.athlete} was deleted; nothing was queued")
        if not video.is_file():
            raise InvalidOptionError(f"the stored video of this analysis is gone; upload "
                                     f"{source.original_name!r} again")
        job_id = new_job_id()
        folder = config.jobs_dir / job_id
        folder.mkdir(parents=True)
        try:
            link_or_copy(video, folder / source.video_file)
            info = check_video(folder / source.video_file, original_name=source.original_name,
                               capture_fps=parsed.options["capture_fps"])
            if source.status == "done":
                seed_reusable_outputs(config.jobs_dir / source.id / "out", folder / "out")
            return jobs.add(job_id=job_id, athlete=athlete.name, athlete_id=athlete.id,
                            options=parsed.options, checklist=parsed.checklist,
                            label=parsed.label, original_name=source.original_name,
                            video_file=source.video_file, video_sha256=info.content_sha256)
        except BaseException:
            remove_tree(folder)
            raise

    # -- compare ----------------------------------------------------------------------------

    @app.get("/compare", response_class=HTMLResponse)
    def compare(request: Request, name: str = "", a: str = "", b: str = ""):
        athlete = find_athlete(name)
        if athlete is None:
            return not_found(request, "No athlete of that name.")
        recorded = {str(s.record.id): s for s in sessions.sessions(athlete.name)}
        if a not in recorded or b not in recorded or a == b:
            return page(request, "message.html", 400, title="Choose two sessions",
                        message="Pick two different sessions of this athlete to compare.",
                        back=athlete_url(athlete.name))
        view = sessions.compare(recorded[a], recorded[b])
        folder = config.comparisons_dir / view.folder
        return page(request, "compare.html", athlete=athlete, view=view,
                    files=sorted(p.name for p in folder.iterdir() if p.is_file()),
                    real=[r.label for r in view.comparison.rows if r.status == REAL])

    @app.get("/comparisons/{folder}/{name}")
    def comparison_file(folder: str, name: str, download: bool = False):
        base = config.comparisons_dir
        if not COMPARISON_FOLDER.match(folder) or not (base / folder).is_dir():
            return JSONResponse({"error": "no such file"}, status_code=404)
        if name not in {p.name for p in (base / folder).iterdir() if p.is_file()}:
            return JSONResponse({"error": "no such file"}, status_code=404)
        return output_file(base / folder / name, download=download)

    return app
