"""One analysis as the web worker runs it: video in, output folder filled."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Callable

from ..pipeline import AnalysisOptions, analyze

ProgressCallback = Callable[[str, float], None]


def run_analysis(video: Path, outdir: Path, *, options: dict, checklist: dict,
                 cache_dir: Path, on_progress: ProgressCallback) -> None:
    """Analyse `video` and write every output into `outdir` (emptied first).

    Parameters
    ----------
    video : Path
        The stored upload.
    outdir : Path
        The job's output folder; whatever lands here is served on the report page.
    options : dict
        Keyword arguments of `gait.pipeline.AnalysisOptions`.
    checklist : dict
        The runner's answers for the return-to-run checklist (``weekly_km``,
        ``pain_0_10``), passed to the report when it is written.
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
    on_progress("report", 0.0)
    result.save_json(outdir / "results.json")
    result.save_steps_csv(outdir / "steps.csv")
    track.save(outdir / "pose_track.npz")
    on_progress("report", 1.0)
