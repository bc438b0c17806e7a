"""What every group of pages shares: the stores, the templates and the page helpers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.templating import Jinja2Templates

from ..errors import InvalidOptionError
from .athletes import Athlete, AthleteStore
from .config import WebConfig
from .forms import region_choices
from .jobs import Job, JobStore, is_job_id
from .present import audio_label, clip_facts, num, web_wording
from .security import REPORT_CSP, wants_json
from .sessions import Sessions
from .worker import Worker

TEMPLATES_DIR = Path(__file__).parent / "templates"
NO_SUCH_ATHLETE = "No athlete of that name."
NO_SUCH_JOB = "No analysis with that id (it may have been deleted)."

#: What the progress page says while a job is in each stage.
STAGE_TEXT = {
    "queued": "Waiting in the queue",
    "probe": "Reading the video",
    "pose": "Finding the runner's joints in every frame",
    "analysis": "Detecting steps and measuring",
    "report": "Writing the report",
    "done": "Done",
}


def athlete_url(name: str) -> str:
    """URL of an athlete's page."""
    return f"/athlete?name={quote(name)}"


def output_file(path: Path, *, download: bool) -> FileResponse:
    """A result file, inline or as a download; HTML reports get a no-script policy."""
    headers = {"Content-Security-Policy": REPORT_CSP} if path.suffix == ".html" else None
    return FileResponse(path, filename=path.name if download else None, headers=headers,
                        content_disposition_type="attachment" if download else "inline")


def page_templates(config: WebConfig) -> Jinja2Templates:
    """The page templates, with the globals and filters they use.

    Parameters
    ----------
    config : WebConfig
        Whether the server asks for an access token (the pages offer a login then).

    Returns
    -------
    Jinja2Templates
    """
    templates = Jinja2Templates(directory=TEMPLATES_DIR)
    templates.env.globals.update(athlete_url=athlete_url, stage_text=STAGE_TEXT,
                                 token_required=bool(config.token),
                                 region_choices=region_choices)
    templates.env.filters.update(num=num, audio_label=audio_label, clip_facts=clip_facts,
                                 web_wording=web_wording)
    return templates


@dataclass(frozen=True)
class AppContext:
    """The app's settings, stores, worker and templates, as the route groups use them.

    Database calls block, up to the busy timeout while another writer holds a
    lock: sync handlers call the stores directly (they run in the thread pool),
    async ones through ``run_in_threadpool``.

    Attributes
    ----------
    config : WebConfig
    jobs : JobStore
    athletes : AthleteStore
    sessions : Sessions
    worker : Worker
    templates : Jinja2Templates
        From `page_templates`.
    """

    config: WebConfig
    jobs: JobStore
    athletes: AthleteStore
    sessions: Sessions
    worker: Worker
    templates: Jinja2Templates

    def page(self, request: Request, template: str, *, status: int = 200,
             **values) -> HTMLResponse:
        """The page `template` filled in with `values`."""
        return self.templates.TemplateResponse(request, template, values, status_code=status)

    def message(self, request: Request, text: str, *, status: int, title: str,
                back: str = "/") -> HTMLResponse | JSONResponse:
        """A message page, or ``{"error": text}`` for a client asking for JSON."""
        if wants_json(request):
            return JSONResponse({"error": text}, status_code=status)
        return self.page(request, "message.html", status=status, title=title, message=text,
                         back=back)

    def refused(self, request: Request, error: str, *, status: int,
                form: Callable[..., HTMLResponse], **form_values) -> HTMLResponse | JSONResponse:
        """A form posted with a problem: `form` again saying `error`, or ``{"error": error}``
        for a client asking for JSON.

        Parameters
        ----------
        request : Request
        error : str
            Why the post was refused.
        status : int
            HTTP status of the answer.
        form : callable
            ``form(request, context=..., status=..., error=..., **form_values)``
            renders the form page.
        **form_values
            The rest of `form`'s arguments (e.g. what the user typed).
        """
        if wants_json(request):
            return JSONResponse({"error": error}, status_code=status)
        return form(request, context=self, status=status, error=error, **form_values)

    def not_found(self, request: Request, text: str) -> HTMLResponse:
        """The 404 message page saying `text`."""
        return self.page(request, "message.html", status=404, title="Not found", message=text)

    def find_athlete(self, name: str | None) -> Athlete | None:
        """The athlete called `name`, or None when there is none (or the name is invalid)."""
        try:
            return self.sessions.find(name or "")
        except InvalidOptionError:
            return None

    def find_job(self, job_id: str) -> Job | None:
        """The job `job_id`, or None when there is none (or the id is malformed)."""
        return self.jobs.get(job_id) if is_job_id(job_id) else None
