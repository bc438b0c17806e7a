"""The clinical report: HTML, PDF, figures, key frames, overlay video, metronome tracks.

Page skeletons shared by every gait report live in `gait.report.html`
(`render_page`, `Section`) and `gait.report.pdf` (`render_pdf`, `PdfSection`).
"""

from .content import RunnerInputs, build_content
from .write import REPORT_FILES, write_report

__all__ = ["REPORT_FILES", "RunnerInputs", "build_content", "write_report"]
