"""Athletes and their sessions as the pages list and compare them.

`Sessions` is the one interface the pages use; it reads the web app's own
athlete and job tables and each job's ``results.json``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from .athletes import AthleteStore
from .jobs import Job, JobStore
from .present import HEADLINE, fmt, load_result

#: Coverage factor for calling a change real: |change| > Z * combined expected error.
Z_95 = 1.96


@dataclass(frozen=True)
class SessionItem:
    """One analysis of an athlete as the history page lists it."""

    job: Job
    result: dict | None

    @property
    def title(self) -> str:
        """Date and label (or video name) for menus and headings."""
        return f"{self.job.created_utc[:10]} · {self.job.label or self.job.original_name}"


@dataclass(frozen=True)
class ComparedMetric:
    """One metric before and after."""

    label: str
    unit: str
    before: str
    after: str
    change: str
    real: bool | None


@dataclass(frozen=True)
class Comparison:
    """Two sessions side by side."""

    before: SessionItem
    after: SessionItem
    rows: list[ComparedMetric]
    notes: list[str]
    method: str


class Sessions:
    """Athletes and their analyses.

    Parameters
    ----------
    athletes : AthleteStore
    jobs : JobStore
    jobs_dir : Path
        Parent of the per-job folders (results in ``<job>/out``).
    """

    def __init__(self, athletes: AthleteStore, jobs: JobStore, *, jobs_dir: Path) -> None:
        self.athletes = athletes
        self.jobs = jobs
        self.jobs_dir = jobs_dir

    def athlete_names(self) -> list[tuple[str, int]]:
        """Every athlete's name and number of finished sessions, by name."""
        out = []
        for athlete in self.athletes.list():
            n = sum(j.status == "done" for j in self.jobs.for_athlete(athlete.name))
            out.append((athlete.name, n))
        return out

    def sessions(self, athlete: str) -> list[SessionItem]:
        """The athlete's analyses (also queued, running and failed ones), oldest first."""
        return [SessionItem(j, load_result(self.jobs_dir / j.id / "out")
                            if j.status == "done" else None)
                for j in self.jobs.for_athlete(athlete)]

    def compare(self, before: SessionItem, after: SessionItem) -> Comparison:
        """Headline metrics of two finished sessions and whether each change is real.

        A change counts as real when it exceeds 1.96 times the combined
        expected measurement error of the two medians
        (``sqrt(e_before**2 + e_after**2)``, each from ``results.json``).
        """
        a, b = before.result or {}, after.result or {}
        rows = []
        for key, label, digits in HEADLINE:
            sa, sb = a.get("summary", {}).get(key) or {}, b.get("summary", {}).get(key) or {}
            va, vb = sa.get("value"), sb.get("value")
            real = None
            change = "–"
            if va is not None and vb is not None:
                delta = vb - va
                change = f"{delta:+.{digits}f}"
                ea, eb = sa.get("expected_error"), sb.get("expected_error")
                if ea is not None and eb is not None:
                    real = abs(delta) > Z_95 * math.hypot(ea, eb)
            rows.append(ComparedMetric(label=label, unit=sa.get("unit") or sb.get("unit", ""),
                                       before=fmt(va, digits), after=fmt(vb, digits),
                                       change=change, real=real))
        notes = []
        speed_a = (a.get("options") or {}).get("belt_speed_ms")
        speed_b = (b.get("options") or {}).get("belt_speed_ms")
        if speed_a is None or speed_b is None or abs(speed_a - speed_b) > 0.05:
            notes.append("The belt speeds differ or are unknown: cadence, step length and "
                         "contact time change with speed, so their changes are not comparable.")
        method = ("A change is called real when it is larger than 1.96 times the combined "
                  "expected measurement error of the two sessions' medians.")
        return Comparison(before=before, after=after, rows=rows, notes=notes, method=method)
