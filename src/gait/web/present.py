"""What the pages show: headline numbers from ``results.json`` and the job's files."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

from ..number_text import typeset
from ..output_paths import is_temporary
from ..report.overlay import FINGERPRINT_SUFFIX

#: Headline metrics in page order: summary key, label, decimals.
HEADLINE = (
    ("cadence_spm", "Cadence", 1),
    ("step_length_m", "Step length", 2),
    ("stride_length_m", "Stride length", 2),
    ("contact_time_ms", "Contact time", 0),
    ("flight_time_ms", "Flight time", 0),
    ("duty_factor_pct", "Duty factor", 1),
    ("overstride_cm", "Overstride", 1),
    ("shin_angle_deg", "Shin angle at contact", 1),
    ("knee_flexion_ic_deg", "Knee flexion at contact", 1),
    ("trunk_lean_deg", "Trunk lean", 1),
    ("vertical_oscillation_cm", "Vertical oscillation", 1),
)

VIDEO_SUFFIXES = (".mp4", ".webm")
AUDIO_SUFFIXES = (".wav", ".mp3", ".ogg")
IMAGE_SUFFIXES = (".png", ".svg", ".jpg", ".jpeg")
#: Working files that are not offered for download (besides `is_temporary` ones, .tmp): the
#: upload in progress, and the overlay's fingerprint (what it was made from, for re-analysis).
HIDDEN_SUFFIXES = (".part",)
HIDDEN_NAME_ENDINGS = (FINGERPRINT_SUFFIX,)


@dataclass(frozen=True)
class Metric:
    """One headline number as a page shows it."""

    key: str
    label: str
    value: str
    unit: str
    spread: str
    n_steps: int
    approximate: bool
    #: Why it is approximate (the summary's note), shown on hovering the mark.
    why: str = ""


#: A parenthetical naming a command-line option (" (--capture-fps)", " (--speed-unit kmh|mph)"):
#: messages name each setting in words and add the option for the command line; the pages'
#: forms name the settings in words only.
_OPTION_NOTE = re.compile(r" \(--[^()]*\)")


def web_wording(text: str) -> str:
    """`text` without the parentheticals naming command-line options, for a web page."""
    return _OPTION_NOTE.sub("", text)


def load_result(outdir: Path) -> dict | None:
    """The job's ``results.json`` as a dict, or None when absent."""
    path = outdir / "results.json"
    return json.loads(path.read_text()) if path.is_file() else None


def headline(result: dict) -> list[Metric]:
    """Headline metrics of a result that were measured, in page order."""
    out = []
    for key, label, digits in HEADLINE:
        s = result.get("summary", {}).get(key)
        if not s or s.get("value") is None:
            continue
        spread = (f"IQR {num(s.get('q1'), digits)}–{num(s.get('q3'), digits)}"
                  if s.get("q1") is not None else "")
        out.append(Metric(key=key, label=label, value=num(s["value"], digits), unit=s["unit"],
                          spread=spread, n_steps=int(s.get("n") or 0),
                          approximate=bool(s.get("approximate")),
                          why=web_wording(s.get("note") or "")))
    return out


def num(value: float | None, digits: int, unit: str = "", *, signed: bool = False) -> str:
    """A number for a table cell: `digits` decimals, true minus sign, optional unit, en dash
    when missing."""
    if value is None or not math.isfinite(value):
        return "–"
    return f"{typeset(value, digits, signed=signed)} {unit}".strip()


@dataclass(frozen=True)
class OutputFiles:
    """A job's output files by how the report page presents them (paths relative to out/)."""

    report_html: str | None
    videos: list[str]
    audio: list[str]
    figures: list[str]
    downloads: list[str]

    @property
    def all(self) -> set[str]:
        return set(self.downloads) | set(self.videos) | set(self.audio) | set(self.figures)


def list_outputs(outdir: Path) -> OutputFiles:
    """Sort every regular file under `outdir` (no symlinks) into report, media and downloads."""
    names = []
    if outdir.is_dir():
        for path in sorted(outdir.rglob("*")):
            if (path.is_file() and not path.is_symlink() and path.suffix not in HIDDEN_SUFFIXES
                    and not path.name.endswith(HIDDEN_NAME_ENDINGS) and not is_temporary(path)):
                names.append(path.relative_to(outdir).as_posix())

    def by_suffix(suffixes: tuple[str, ...]) -> list[str]:
        return [n for n in names if Path(n).suffix.lower() in suffixes]

    return OutputFiles(
        report_html="report.html" if "report.html" in names else None,
        videos=by_suffix(VIDEO_SUFFIXES),
        audio=sorted(by_suffix(AUDIO_SUFFIXES), key=audio_order),
        figures=by_suffix(IMAGE_SUFFIXES), downloads=names)


_METRONOME = re.compile(r"^metronome_([+-]?\d+(?:\.\d+)?)pct$")


def audio_label(name: str) -> str:
    """Readable label of an audio file: ``metronome_+5pct.wav`` -> ``cadence +5 %``."""
    match = _METRONOME.match(Path(name).stem)
    if match:
        return f"cadence {match.group(1)} %"
    return " ".join(Path(name).stem.replace("_", " ").split())


def audio_order(name: str) -> tuple:
    """Sort key: metronome tracks by their cadence change, then other files by name."""
    match = _METRONOME.match(Path(name).stem)
    return (0, float(match.group(1)), name) if match else (1, 0.0, name)


def clip_facts(result: dict) -> str:
    """One line about the clip: mode, view, analysed length, frame rate, belt speed."""
    parts = [str(result.get("gait_mode", "")).capitalize(),
             f"{(result.get('view') or {}).get('view', 'unknown')} view"]
    pose = result.get("pose") or {}
    duration_s = (result.get("video") or {}).get("duration_s")
    if duration_s is None and pose.get("frames") and pose.get("fps"):
        duration_s = pose["frames"] / pose["fps"]
    if duration_s is not None and pose.get("fps"):
        parts.append(f"{duration_s:.1f} s at {pose['fps']:.0f} fps")
    speed_ms = (result.get("options") or {}).get("belt_speed_ms")
    if speed_ms:
        parts.append(f"belt {speed_ms * 3.6:.1f} km/h")
    return " · ".join(p for p in parts if p)
