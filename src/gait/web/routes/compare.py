"""Two recorded sessions compared (``/compare?name=&a=&b=``) and the comparison's files."""

from __future__ import annotations

import re

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse

from ...history.compare import REAL
from ..context import NO_SUCH_ATHLETE, AppContext, athlete_url, output_file

#: The folder name of a comparison report: session and version of each side.
COMPARISON_FOLDER = re.compile(r"^s\d+v\d+-s\d+v\d+$")


def add_routes(app: FastAPI, *, context: AppContext) -> None:
    """Add the comparison page and the files of its report to `app`."""

    @app.get("/compare", response_class=HTMLResponse)
    def compare(request: Request, name: str = "", a: str = "", b: str = ""):
        athlete = context.find_athlete(name)
        if athlete is None:
            return context.not_found(request, NO_SUCH_ATHLETE)
        recorded = {str(s.record.id): s for s in context.sessions.sessions(athlete.name)}
        if a not in recorded or b not in recorded or a == b:
            return context.page(
                request, "message.html", status=400, title="Choose two sessions",
                message="Pick two different sessions of this athlete to compare.",
                back=athlete_url(athlete.name))
        view = context.sessions.compare(recorded[a], recorded[b])
        folder = context.config.comparisons_dir / view.folder
        return context.page(request, "compare.html", athlete=athlete, view=view,
                            files=sorted(p.name for p in folder.iterdir() if p.is_file()),
                            real=[r.label for r in view.comparison.rows if r.status == REAL])

    @app.get("/comparisons/{folder}/{name}")
    def comparison_file(folder: str, name: str, download: bool = False):
        base = context.config.comparisons_dir
        if not COMPARISON_FOLDER.match(folder) or not (base / folder).is_dir():
            return JSONResponse({"error": "no such file"}, status_code=404)
        if name not in {p.name for p in (base / folder).iterdir() if p.is_file()}:
            return JSONResponse({"error": "no such file"}, status_code=404)
        return output_file(base / folder / name, download=download)
