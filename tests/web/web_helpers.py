"""Helpers of the web app tests: a fake analysis and reading a job id from a redirect."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path


def job_id_of(response) -> str:
    assert response.status_code == 303, response.text[:500]
    location = response.headers["location"]
    assert location.startswith("/jobs/")
    return location.rsplit("/", 1)[1]


def fake_analysis(result):
    """An `analyse` for the worker that writes `result` like the real one, without a video."""

    def analyse(video: Path, outdir: Path, *, options, checklist, display_name, cache_dir,
                on_progress):
        outdir.mkdir(parents=True, exist_ok=True)
        for stage in ("probe", "pose", "analysis", "report"):
            on_progress(stage, 1.0)
        sha256 = hashlib.sha256(video.read_bytes()).hexdigest()
        done = replace(result, source=display_name,
                       video={"file": display_name, "sha256": sha256})
        done.save_json(outdir / "results.json")
        done.save_steps_csv(outdir / "steps.csv")
        (outdir / "figures").mkdir(exist_ok=True)
        (outdir / "figures" / "cadence.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
        (outdir / "overlay.fingerprint.json").write_text("{}")  # the report's working file

    return analyse
