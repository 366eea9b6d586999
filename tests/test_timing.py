"""The time each page states: read from the measured file, worded for the hardware, and the
measured file left out of the build's key (writing it must not re-execute the book)."""

from __future__ import annotations

import json
import sys

from conftest import ROOT
from ganaug.teaching import build, timing

sys.path.insert(0, str(ROOT / "benchmarks"))
import lesson_times  # noqa: E402


def test_the_measured_times_are_not_in_the_build_key(tmp_path):
    package = tmp_path / "ganaug"
    (package / "teaching").mkdir(parents=True)
    (package / "teaching" / "colab.py").write_text("x = 1\n")
    before = build.files_digest(package, skip=build.NOT_IN_KEY)
    (package / "teaching" / "lesson_times.json").write_text('{"seconds": {}}\n')
    assert build.files_digest(package, skip=build.NOT_IN_KEY) == before
    (package / "teaching" / "colab.py").write_text("x = 2\n")
    assert build.files_digest(package, skip=build.NOT_IN_KEY) != before
    assert build.NOT_IN_KEY == {timing.TIMES_FILE.relative_to(timing.TIMES_FILE.parents[1])
                                .as_posix()}  # fmt: skip


def test_every_lesson_and_exercise_has_a_measured_time_for_smoke_and_book():
    times = timing.measured_times()
    pages = [f"lessons/{p.stem}" for p in sorted((ROOT / "lessons").glob("*.ipynb"))]
    pages += [f"exercises/{p.stem}" for p in sorted((ROOT / "exercises/solutions").glob("*.ipynb"))]
    disturbed = set(times.get("disturbed", []))  # named on the setup page as not yet measured
    for profile in ("smoke", "book"):
        missing = [p for p in pages if p not in times["seconds"].get(profile, {})]
        if profile == "book":
            missing = [p for p in missing if p not in disturbed]
        assert not missing, f"no measured {profile} time for {missing}: benchmarks/lesson_times.py"


def test_cpu_times_are_measured_and_gpu_times_are_called_estimates():
    times = {"cpu": "a 2-core CPU", "seconds": {"book": {"lessons/02_cnn": 400.0}}}
    cpu = timing.expected_time("lessons/02_cnn", "book", None, times)
    gpu = timing.expected_time("colab/lessons/02_cnn.ipynb", "full", "Tesla T4", times)
    assert "about 7 min" in cpu and "measured" in cpu and "estimate" not in cpu
    assert "at most about 7 min" in gpu and "an estimate, not a measurement" in gpu


def test_the_setup_table_is_written_from_the_reports(tmp_path):
    execution = {
        "notebooks": {
            "lessons/01_data": {"status": "executed", "seconds": 12.0},
            "book/reproducibility": {"status": "executed", "seconds": 5.0},
        }
    }
    (tmp_path / "execution.json").write_text(json.dumps(execution))
    smoke = [
        {
            "edition": "colab/exercises/01_data.ipynb (solutions filled in)",
            "seconds": 9.5,
            "result": "passed",
        },
        {"edition": "colab/lessons/01_data.ipynb", "seconds": 20.0, "result": "error: x"},
    ]
    (tmp_path / "smoke.json").write_text(json.dumps(smoke))  # fmt: skip
    assert lesson_times.book_seconds(tmp_path / "execution.json") == {"lessons/01_data": 12.0}
    assert lesson_times.smoke_seconds(tmp_path / "smoke.json") == {"exercises/01_data": 9.5}
    text = lesson_times.table(
        {"cpu": "a 2-core CPU", "commit": "abc",
         "seconds": {"book": {"lessons/01_data": 130.0}, "smoke": {"lessons/01_data": 20.0}}}
    )  # fmt: skip
    assert "| `lessons/01_data` | 0.3 min | 2.2 min | 3 min |" in text


def test_a_page_measured_again_alone_is_named_under_the_table():
    times = {"cpu": "a 2-core CPU", "commit": "abc",
             "remeasured": {"commit": "def", "pages": ["lessons/02_cnn"]},
             "seconds": {"book": {"lessons/02_cnn": 279.0}, "smoke": {}}}  # fmt: skip
    text = lesson_times.table(times)
    assert "| `lessons/02_cnn` | - | 4.7 min | 5 min |" in text
    assert "Measured again at commit `def`, alone on the same CPU" in text
    assert "`lessons/02_cnn`" in text.split("Measured again")[1]
