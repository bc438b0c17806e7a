"""The clinical report: HTML, PDF, figures, key frames, overlay video, metronome tracks.

One module per job:

- `content`: what the report says, decided once from a `GaitResult` (advice, findings,
  checklist); `wording`: the plain-text pieces both layouts share.
- `figures` (matplotlib), `keyframes` (video frames at initial contact), `overlay`
  (``overlay.mp4``, H.264 via PyAV), `assets` (the rendered pictures).
- `html` and `pdf`: reusable page skeletons (`render_page`/`Section`, `render_pdf`/`PdfSection`,
  styles and small builders) that any gait report can use, e.g. a session comparison;
  `citations`: numbered references shared by both.
- `report_html` and `report_pdf`: the analysis report laid out on those skeletons.
- `write`: `write_report`, everything into one folder.
"""

from .content import RunnerInputs, build_content
from .write import REPORT_FILES, ReportFiles, remove_report_files, write_report

__all__ = ["REPORT_FILES", "ReportFiles", "RunnerInputs", "build_content", "remove_report_files",
           "write_report"]
