"""One analysis as the web worker runs it: video in, output folder filled."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path
from typing import Callable

from ..pipeline import AnalysisOptions, analyze
from ..report import RunnerInputs, write_report

ProgressCallback = Callable[[str, float], None]


def run_analysis(video: Path, outdir: Path, *, options: dict, checklist: dict,
                 display_name: str, cache_dir: Path, on_progress: ProgressCallback) -> None:
    """Analyse `video` and write every output into `outdir` (emptied first).

    Writes what ``gait analyze`` writes, with the same functions: results.json,
    steps.csv, pose_track.npz and the report (`gait.report.write_report`:
    report.html, report.pdf, figures/, metronome tracks, overlay.mp4).

    Parameters
    ----------
    video : Path
        The stored upload.
    outdir : Path
        The job's output folder; whatever lands here is served on the report page.
    options : dict
        Keyword arguments of `gait.pipeline.AnalysisOptions`.
    checklist : dict
        The runner's answers for the return-to-run checklist: keyword
        arguments of `gait.report.RunnerInputs`.
    display_name : str
        The file name the user uploaded; recorded in the result and the report
        instead of the generated name the upload is stored under.
    cache_dir : Path
        Pose landmark cache for this video.
    on_progress : callable
        ``on_progress(stage, fraction)`` with stage "probe", "pose",
        "analysis", "report".

    Raises
    ------
    GaitError
        The video cannot be analysed (the message says why).
    """
    if outdir.exists():
        shutil.rmtree(outdir)
    outdir.mkdir(parents=True)
    result, track = analyze(video, options=AnalysisOptions(**options), cache_dir=cache_dir,
                            progress=False, on_progress=lambda s, f: on_progress(s, f)
                            if s != "done" else None)
    result = replace(result, source=display_name, video={**result.video, "file": display_name})
    on_progress("report", 0.0)
    result.save_json(outdir / "results.json")
    result.save_steps_csv(outdir / "steps.csv")
    track.save(outdir / "pose_track.npz")
    write_report(outdir, result, track=track, video_path=video,
                 inputs=RunnerInputs(**checklist), overlay=True, progress=False, overwrite=True)
    on_progress("report", 1.0)
