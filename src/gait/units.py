"""Unit conversions shared by the analysis, the report, the history and the web app."""

#: km/h per m/s.
KMH_PER_MS = 3.6
#: mph per m/s (1 mile = 1609.344 m).
MPH_PER_MS = 3600 / 1609.344
