"""Web app for clinics: upload a treadmill video, follow its analysis, read and share the report.

Start it with ``gait serve``; build it in code with `create_app`.
"""

from .app import create_app
from .config import WebConfig, default_data_dir

__all__ = ["WebConfig", "create_app", "default_data_dir"]
