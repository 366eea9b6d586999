"""Every test runs offline, under the smoke profile, with its own cache folder."""

import os
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

os.environ["GANAUG_PROFILE"] = "smoke"
os.environ["GANAUG_OFFLINE"] = "1"
os.environ.setdefault("GANAUG_CACHE_DIR", str(Path(tempfile.gettempdir()) / "ganaug-test-cache"))
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

ROOT = Path(__file__).resolve().parent
