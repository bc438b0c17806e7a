"""Analysing a stored video again with other settings: ``/jobs/{id}/reanalyse`` (a new job)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from ...errors import GaitError, InvalidOptionError
from ..analysis import seed_reusable_outputs
from ..context import NO_SUCH_JOB, AppContext
from ..forms import (MAX_FIELD_BYTES, SPEED_UNITS, VIEW_CHOICES, UploadForm, form_values,
                     parse_upload_form)
from ..jobs import AthleteDeletedError, Job, new_job_id
from ..uploads import StorageFullError, check_video, link_or_copy, remove_tree


def reanalyse_page(request: Request, *, context: AppContext, job: Job, status: int = 200,
                   error: str | None = None, values: dict | None = None) -> HTMLResponse:
    """The settings form for analysing `job`'s video again, saying `error` if any."""
    return context.page(request, "reanalyse.html", status=status, job=job, error=error,
                        values=values or {}, views=VIEW_CHOICES, units=SPEED_UNITS)


def store_reanalysis(source: Job, *, context: AppContext, parsed: UploadForm) -> Job:
    """Queue a new job for the stored video of the finished job `source`.

    The video is linked into the new job's folder (copied where links are
    impossible); a finished job's overlay is seeded into the new output
    folder, to be kept if the new analysis draws the same. Nothing is kept
    when any step fails.
    """
    jobs_dir = context.config.jobs_dir
    video = jobs_dir / source.id / source.video_file
    athlete = context.find_athlete(source.athlete)
    if athlete is None:
        raise AthleteDeletedError(f"{source.athlete} was deleted; nothing was queued")
    if not video.is_file():
        raise InvalidOptionError(f"the stored video of this analysis is gone; upload "
                                 f"{source.original_name!r} again")
    job_id = new_job_id()
    folder = jobs_dir / job_id
    folder.mkdir(parents=True)
    try:
        link_or_copy(video, folder / source.video_file)
        info = check_video(folder / source.video_file, original_name=source.original_name,
                           capture_fps=parsed.options["capture_fps"])
        if source.status == "done":
            seed_reusable_outputs(jobs_dir / source.id / "out", folder / "out")
        return context.jobs.add(job_id=job_id, athlete=athlete.name, athlete_id=athlete.id,
                                options=parsed.options, checklist=parsed.checklist,
                                label=parsed.label, original_name=source.original_name,
                                video_file=source.video_file, video_sha256=info.content_sha256)
    except BaseException:
        remove_tree(folder)
        raise


def add_routes(app: FastAPI, *, context: AppContext) -> None:
    """Add the re-analysis form and its post to `app`.

    The post queues a new job for the same stored video; a failed job retried
    this way is replaced by the new one.
    """

    @app.get("/jobs/{job_id}/reanalyse", response_class=HTMLResponse)
    def reanalyse_form(request: Request, job_id: str):
        job = context.find_job(job_id)
        if job is None:
            return context.not_found(request, NO_SUCH_JOB)
        if not job.finished:  # still queued or running: follow it
            return RedirectResponse(f"/jobs/{job.id}", status_code=303)
        return reanalyse_page(request, context=context, job=job, values=form_values(
            UploadForm(options=job.options, checklist=job.checklist, label=job.label)))

    @app.post("/jobs/{job_id}/reanalyse")
    async def reanalyse(request: Request, job_id: str):
        job = await run_in_threadpool(context.find_job, job_id)
        if job is None:
            return context.message(request, NO_SUCH_JOB, status=404, title="Not found")
        if not job.finished:
            return context.message(
                request, "This analysis has not finished; analyse it again once it has.",
                status=409, title="Not finished yet", back=f"/jobs/{job.id}")
        form = await request.form(max_part_size=MAX_FIELD_BYTES)
        values = {k: v for k, v in form.items() if isinstance(v, str)}
        try:
            new_job = await run_in_threadpool(store_reanalysis, job, context=context,
                                              parsed=parse_upload_form(values))
            if job.status == "failed":  # retried: the new job replaces it, video and all
                await run_in_threadpool(context.sessions.delete_job, job,
                                        pose_cache_dir=context.config.pose_cache_dir)
        except AthleteDeletedError as exc:
            return context.message(request, str(exc), status=410, title="Athlete deleted")
        except GaitError as exc:
            return context.refused(request, str(exc),
                                   status=507 if isinstance(exc, StorageFullError) else 400,
                                   form=reanalyse_page, job=job, values=values)
        context.worker.wake()
        return RedirectResponse(f"/jobs/{new_job.id}", status_code=303)
