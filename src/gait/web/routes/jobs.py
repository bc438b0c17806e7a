"""A job's pages: progress or report (``/jobs/{id}``), its status, its files, deleting it."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse

from ..context import NO_SUCH_JOB, STAGE_TEXT, AppContext, athlete_url, output_file
from ..jobs import Job
from ..present import headline, list_outputs, load_result


def queue_position(job: Job, *, context: AppContext) -> int:
    """How many jobs wait ahead of `job` (0 unless it is queued)."""
    return context.jobs.queue_position(job.id) if job.status == "queued" else 0


def add_routes(app: FastAPI, *, context: AppContext) -> None:
    """Add a job's progress, report, status (JSON), files and deletion to `app`."""

    @app.get("/jobs/{job_id}", response_class=HTMLResponse)
    def job_page(request: Request, job_id: str):
        job = context.find_job(job_id)
        if job is None:
            return context.not_found(request, NO_SUCH_JOB)
        athlete = context.athletes.find(job.athlete)
        if job.status != "done":
            return context.page(request, "progress.html", job=job, athlete=athlete,
                                position=queue_position(job, context=context),
                                worker_running=context.worker.running)
        outdir = context.config.jobs_dir / job.id / "out"
        result = load_result(outdir)
        return context.page(request, "report.html", job=job, athlete=athlete, result=result,
                            metrics=headline(result or {}), files=list_outputs(outdir))

    @app.get("/jobs/{job_id}/status")
    def job_status(job_id: str):
        job = context.find_job(job_id)
        if job is None:
            return JSONResponse({"error": "no such analysis"}, status_code=404)
        return {"status": job.status, "stage": job.stage,
                "stage_text": STAGE_TEXT.get(job.stage, job.stage),
                "percent": job.percent, "error": job.error,
                "queue_position": queue_position(job, context=context),
                "worker_running": context.worker.running}

    @app.get("/jobs/{job_id}/files/{rel_path:path}")
    def job_file(job_id: str, rel_path: str, download: bool = False):
        job = context.find_job(job_id)
        if job is None or job.status != "done":
            return JSONResponse({"error": "no such file"}, status_code=404)
        outdir = context.config.jobs_dir / job.id / "out"
        # Only names found by listing the folder are served: no path from the request
        # ever reaches the file system.
        if rel_path not in list_outputs(outdir).all:
            return JSONResponse({"error": "no such file"}, status_code=404)
        return output_file(outdir.joinpath(*rel_path.split("/")), download=download)

    @app.get("/jobs/{job_id}/delete", response_class=HTMLResponse)
    def confirm_delete_job(request: Request, job_id: str):
        job = context.find_job(job_id)
        if job is None:
            return context.not_found(request, NO_SUCH_JOB)
        return context.page(request, "delete_job.html", job=job, error=None)

    @app.post("/jobs/{job_id}/delete")
    def delete_job(request: Request, job_id: str):
        job = context.find_job(job_id)
        if job is None:
            return context.not_found(request, NO_SUCH_JOB)
        # refused as well when the worker has just started or finished it
        if not context.sessions.delete_job(job, pose_cache_dir=context.config.pose_cache_dir):
            return context.page(
                request, "delete_job.html", status=409, job=context.jobs.get(job.id) or job,
                error="Only queued or failed analyses are deleted one by one; a finished "
                      "session is part of the athlete's history, which is erased with the "
                      "athlete.")
        return RedirectResponse(athlete_url(job.athlete), status_code=303)
