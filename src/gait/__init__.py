"""gait: treadmill running video to a measured, evidence-based gait report."""

__version__ = "0.1.0"
