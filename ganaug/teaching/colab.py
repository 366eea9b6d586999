"""Getting a notebook ready on Google Colab: the GPU-sized profile and the data, in one call.

Every lesson and student exercise starts with a cell that installs ``ganaug`` when it runs on
Colab and then calls :func:`setup_colab`. Off Colab the call does nothing, so a local run keeps
its own ``GANAUG_PROFILE`` and ``GANAUG_DATA_DIR``.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ganaug.teaching.timing import expected_time

#: Where Colab mounts Google Drive ("Files" panel, "Mount Drive", or ``drive.mount``).
DRIVE_ROOT = Path("/content/drive/MyDrive")
#: Where HAM10000 fetched from Kaggle goes on Colab (the runtime's disk: once per runtime).
KAGGLE_FOLDER = Path("/content/HAM10000")
#: Folders on Drive searched, in this order, for a HAM10000 copy (metadata CSV and JPEGs).
DRIVE_FOLDERS = ("HAM10000", "ham10000", "ganaug/HAM10000")
METADATA = "HAM10000_metadata.csv"
DERMAMNIST_CAVEAT = (
    "DermaMNIST has no lesion ids and its official split leaks lesions between training and "
    "test, so lesion-aware splits are impossible and accuracies are flattered (chapter 1)"
)


@dataclass(frozen=True)
class ColabSetup:
    """What :func:`setup_colab` chose."""

    profile: str
    gpu: str | None
    data: str


def on_colab() -> bool:
    """True inside a Google Colab runtime (its ``google.colab`` module is loaded).

    Examples
    --------
    >>> on_colab()
    False
    """
    return "google.colab" in sys.modules


def gpu_name() -> str | None:
    """The name of the first GPU TensorFlow sees, or None. Without an NVIDIA driver (no
    ``nvidia-smi``) there is none to see, and TensorFlow is not imported: a page that needs no
    TensorFlow starts seconds sooner.

    Examples
    --------
    >>> import shutil
    >>> gpu_name() if shutil.which("nvidia-smi") is None else None
    """
    if shutil.which("nvidia-smi") is None:
        return None
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    if not gpus:
        return None
    details = tf.config.experimental.get_device_details(gpus[0])
    return str(details.get("device_name", gpus[0].name))


def find_drive_folder(drive_root: Path = DRIVE_ROOT) -> Path | None:
    """The first of :data:`DRIVE_FOLDERS` under ``drive_root`` that holds HAM10000's metadata.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> find_drive_folder(root) is None
    True
    >>> (root / "HAM10000").mkdir()
    >>> _ = (root / "HAM10000" / METADATA).write_text("lesion_id,image_id,dx\\n")
    >>> find_drive_folder(root).name
    'HAM10000'
    """
    for name in DRIVE_FOLDERS:
        folder = Path(drive_root) / name
        if (folder / METADATA).is_file():
            return folder
    return None


def _kaggle_or_dermamnist(fetch: Callable[[Path], Path] | None) -> str:
    """HAM10000 from Kaggle when a token is there (setting ``GANAUG_DATA_DIR``), else the
    DermaMNIST words; what was chosen, in words."""
    from ganaug.teaching.kaggle import TOKEN_HELP, fetch_ham10000, has_kaggle_token

    hint = (
        f"For HAM10000, put its folder on Google Drive as MyDrive/{DRIVE_FOLDERS[0]}, mount Drive "
        f"(Files panel) and run this cell again; or give ganaug your Kaggle token ({TOKEN_HELP})."
    )
    reason = ""
    if has_kaggle_token(os.environ):
        print(f"Kaggle token found: fetching HAM10000 into {KAGGLE_FOLDER} (once per runtime)")
        try:
            folder = (fetch or fetch_ham10000)(KAGGLE_FOLDER)
        except ValueError as error:
            reason = f" The Kaggle download failed: {error}"
        else:
            os.environ["GANAUG_DATA_DIR"] = str(folder)
            return f"data: HAM10000 from Kaggle, {folder}"
    return (
        f"data: DermaMNIST (downloaded once, about 19 MB). Caveat: {DERMAMNIST_CAVEAT}.{reason} "
        + hint
    )


def lesson_lines(page: str, gpu: str | None) -> list[str]:
    """The expected run time of ``page`` and, from chapter 4 on, the study folder it reads."""
    from ganaug.config import get_profile

    lines = [expected_time(page, get_profile().name, gpu)]
    study = study_line(page)
    return lines + ([study] if study else [])


#: The committed study folders each page reads (``results/book`` stands for the folder
#: ``GANAUG_RESULTS_DIR`` names, when it is set), with the file that marks each; a test keeps
#: this in step with the notebooks' calls.
STUDY_FOLDERS: dict[str, tuple[str, ...]] = {
    "lessons/04_measuring": ("results/book", "results/gan_search/book"),
    "lessons/05_augmentation": ("results/book",),
    "lessons/06_verdict": (
        "results/book",
        "results/real_reference/book",
        "results/run_to_run/book",
    ),
    "lessons/appendix_generator_search": ("results/gan_curve/book", "results/gan_search/book"),
    "lessons/appendix_statistics": ("results/book",),
    "exercises/appendix_statistics": ("results/book",),
}
MARKERS = {
    "results/book": "results.csv",
    "results/gan_search/book": "search.csv",
    "results/gan_curve/book": "curve.csv",
    "results/real_reference/book": "gan_quality.csv",
    "results/run_to_run/book": "runs.csv",
}


def study_line(page: str) -> str | None:
    """Which study folders ``page`` reads, in words (the copy installed with the package, a
    clone's, or the reader's own); None for a page that reads none.

    Examples
    --------
    >>> study_line("lessons/02_cnn.ipynb") is None
    True
    >>> study_line("colab/lessons/06_verdict.ipynb").startswith("Study results this page reads: ")
    True
    """
    relative = page.removeprefix("colab/").removesuffix(".ipynb").replace("solutions/", "")
    folders = STUDY_FOLDERS.get(relative)
    if not folders:
        return None
    from ganaug.experiment import results_dir
    from ganaug.experiment.store import committed_folder, describe_folder

    words = []
    for folder in folders:
        try:
            found = (
                results_dir()
                if folder == "results/book"
                else committed_folder(folder, MARKERS[folder])
            )
        except FileNotFoundError:
            found = None
        words.append(describe_folder(found) if found else f"{folder}: not found")
    return "Study results this page reads: " + "; ".join(words) + "."


def setup_colab(
    page: str | None = None,
    drive_root: Path | None = None,
    find_gpu: Callable[[], str | None] | None = None,
    quiet: bool = False,
    fetch: Callable[[Path], Path] | None = None,
) -> ColabSetup | None:
    """On Colab: choose the profile and the data, and print what was chosen. Elsewhere: None.

    With ``page`` (the lesson or exercise page, e.g. ``"lessons/03_dcgan"``), on Colab or not,
    it also prints how long the page is expected to take with this profile on this hardware
    (:func:`ganaug.teaching.timing.expected_time`) and, from chapter 4 on, which study folder
    the page reads.

    - **Profile**: ``full`` when a GPU is attached, else ``book`` with a hint how to attach one
      (Runtime > Change runtime type > GPU). A ``GANAUG_PROFILE`` set before is kept.
    - **Data**: a HAM10000 folder on a mounted Google Drive (see :data:`DRIVE_FOLDERS`) when
      there is one; else, with a Kaggle API token, HAM10000 fetched from Kaggle once per runtime
      (:func:`ganaug.teaching.kaggle.fetch_ham10000`, into :data:`KAGGLE_FOLDER`); else the
      DermaMNIST download, with its leakage caveat. A ``GANAUG_DATA_DIR`` set before is kept.

    ``drive_root`` (default :data:`DRIVE_ROOT`), ``find_gpu`` (default :func:`gpu_name`) and
    ``fetch`` (default :func:`ganaug.teaching.kaggle.fetch_ham10000`) are there for tests;
    ``quiet`` suppresses the printed summary.

    Examples
    --------
    >>> setup_colab() is None  # not on Colab: nothing changes
    True
    """
    if page is not None:  # a lesson's set-up cell: TensorFlow's known runtime noise stays out
        from ganaug.common.quiet import quiet_runtime

        quiet_runtime()
    if not on_colab():
        if page is not None and not quiet:
            print("\n".join(lesson_lines(page, (find_gpu or gpu_name)())))
        return None
    gpu = (find_gpu or gpu_name)()
    lines = []
    if "GANAUG_PROFILE" in os.environ:
        lines.append(f"profile: {os.environ['GANAUG_PROFILE']} (GANAUG_PROFILE was set before)")
    elif gpu:
        os.environ["GANAUG_PROFILE"] = "full"
        lines.append(f"profile: full (GPU: {gpu})")
    else:
        os.environ["GANAUG_PROFILE"] = "book"
        lines.append(
            "profile: book, because no GPU is attached. For the GPU-sized `full` profile choose "
            "Runtime > Change runtime type > GPU, then run this notebook again."
        )
    folder = find_drive_folder(DRIVE_ROOT if drive_root is None else drive_root)
    if "GANAUG_DATA_DIR" in os.environ:
        data = f"data: {os.environ['GANAUG_DATA_DIR']} (GANAUG_DATA_DIR was set before)"
    elif folder is not None:
        os.environ["GANAUG_DATA_DIR"] = str(folder)
        data = f"data: HAM10000 from your Google Drive, {folder}"
    else:
        data = _kaggle_or_dermamnist(fetch)
    lines.append(data)
    if page is not None:
        lines += lesson_lines(page, gpu)
    if not quiet:
        print("\n".join(lines))
    return ColabSetup(os.environ["GANAUG_PROFILE"], gpu, data)
