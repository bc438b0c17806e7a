"""The upload form (``/upload?name=``) and storing an uploaded video as a queued job."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from ...errors import GaitError, InvalidOptionError
from ..athletes import Athlete
from ..context import AppContext
from ..forms import MAX_FIELD_BYTES, SPEED_UNITS, VIEW_CHOICES, UploadForm, parse_upload_form
from ..jobs import AthleteDeletedError, Job, new_job_id
from ..uploads import (StorageFullError, UploadTooLargeError, check_free_space, check_video,
                       display_name, no_room_error, remove_tree, save_upload, stored_name)

log = logging.getLogger("gait.web")


def upload_page(request: Request, *, context: AppContext, athlete: Athlete, status: int = 200,
                error: str | None = None, values: dict | None = None) -> HTMLResponse:
    """The upload form for `athlete`, filled in with `values` and saying `error` if any."""
    return context.page(request, "upload.html", status=status, athlete=athlete, error=error,
                        values=values or {}, views=VIEW_CHOICES, units=SPEED_UNITS,
                        max_upload_mb=context.config.max_upload_mb)


async def store_upload(video: UploadFile, *, context: AppContext, athlete: Athlete,
                       parsed: UploadForm) -> Job:
    """Save and check the video, then queue its job if the athlete still exists.

    Nothing is kept when any step fails (the job's folder is removed).
    """
    job_id = new_job_id()
    folder = context.config.jobs_dir / job_id
    original = display_name(video.filename)
    path = folder / stored_name(video.filename)
    folder.mkdir(parents=True)
    try:
        await run_in_threadpool(save_upload, video.file, path,
                                max_bytes=context.config.max_upload_bytes)
        info = await run_in_threadpool(check_video, path, original_name=original,
                                       capture_fps=parsed.options["capture_fps"])
        return await run_in_threadpool(
            context.jobs.add, job_id=job_id, athlete=athlete.name, athlete_id=athlete.id,
            options=parsed.options, checklist=parsed.checklist, label=parsed.label,
            original_name=original, video_file=path.name, video_sha256=info.content_sha256)
    except BaseException:
        remove_tree(folder)
        raise


def add_routes(app: FastAPI, *, context: AppContext) -> None:
    """Add the upload form and the upload itself to `app`."""

    @app.get("/upload", response_class=HTMLResponse)
    def upload_form(request: Request, name: str = ""):
        athlete = context.find_athlete(name)
        if athlete is None:
            return context.not_found(request,
                                     "No athlete of that name; create the athlete first.")
        return upload_page(request, context=context, athlete=athlete)

    @app.post("/upload")
    async def upload(request: Request, name: str = ""):
        athlete = await run_in_threadpool(context.find_athlete, name)
        if athlete is None:
            return context.not_found(request,
                                     "No athlete of that name; create the athlete first.")
        values, video = {}, None
        try:
            length = request.headers.get("content-length", "0")
            check_free_space(context.config.data_dir, int(length) if length.isdigit() else 0)
            form = await request.form(max_part_size=MAX_FIELD_BYTES)
            values = {k: v for k, v in form.items() if isinstance(v, str)}
            video = form.get("video")
            parsed = parse_upload_form(values)
            if not isinstance(video, UploadFile) or not video.filename:
                raise InvalidOptionError("choose or drop a video file first")
            job = await store_upload(video, context=context, athlete=athlete, parsed=parsed)
        except AthleteDeletedError as exc:  # while the video was on its way
            return context.message(request, str(exc), status=410, title="Athlete deleted")
        except UploadTooLargeError as exc:
            return context.refused(request, str(exc), status=413, form=upload_page,
                                   athlete=athlete, values=values)
        except StorageFullError as exc:
            log.warning("upload refused: %s", exc)
            return context.refused(request, str(exc), status=507, form=upload_page,
                                   athlete=athlete, values=values)
        except GaitError as exc:
            return context.refused(request, str(exc), status=400, form=upload_page,
                                   athlete=athlete, values=values)
        except OSError as exc:  # no room to spool the form or to make the job's folder
            if (error := no_room_error(exc)) is None:
                raise
            log.warning("upload refused: %s", exc)
            return context.refused(request, str(error), status=507, form=upload_page,
                                   athlete=athlete, values=values)
        finally:
            if isinstance(video, UploadFile):
                await video.close()
        context.worker.wake()
        return RedirectResponse(f"/jobs/{job.id}", status_code=303)
