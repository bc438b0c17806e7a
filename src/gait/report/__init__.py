"""The clinical report: HTML, PDF, figures, key frames, overlay video, metronome tracks.

Page skeletons shared by every gait report live in `gait.report.html`
(`render_page`, `Section`) and `gait.report.pdf` (`render_pdf`, `PdfSection`).
"""
