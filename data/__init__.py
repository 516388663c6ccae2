"""The reports the project ships (``reports/``) and the hand curation layer (``curation/``)."""

from pathlib import Path

HERE = Path(__file__).parent
REPORTS_DIR = HERE / "reports"
CURATION_DIR = HERE / "curation"
