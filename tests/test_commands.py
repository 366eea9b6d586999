"""Every command the README and the Makefile show at least parses.

The commands are found, not listed: each Makefile target is dry-run with ``make -n`` (with a
fresh stamp, so the venv counts as installed and only the target's own recipe is printed), and
every ``python -m ganaug ...`` in the README or in a recipe is parsed by :func:`ganaug.cli.main`.
In prose, ``python -m ganaug a | b`` lists alternatives: each is checked as its own command;
a command continued with a backslash is read as one line.
"""

from __future__ import annotations

import argparse
import re
import shlex
import shutil
import subprocess

import pytest

from conftest import ROOT
from ganaug.cli import main

MAKEFILE = (ROOT / "Makefile").read_text()
README = (ROOT / "README.md").read_text()
TARGETS = sorted(set(re.findall(r"^([A-Za-z][\w.-]*)\s*:(?!=)", MAKEFILE, flags=re.MULTILINE)))
COMMAND = re.compile(r"python3? -m ganaug\b([^`\n)#;&]*)")

needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def ganaug_commands(text: str, alternatives: bool) -> list[list[str]]:
    """The arguments of each ``python -m ganaug ...`` in ``text``."""
    commands = []
    for match in COMMAND.finditer(re.sub(r"\\\n\s*", " ", text)):  # join continued lines
        parts = match.group(1).split("|")
        for part in parts if alternatives else parts[:1]:
            commands.append(shlex.split(part))
    return commands


def dry_run(target: str, stamp) -> subprocess.CompletedProcess:
    stamp.touch()
    return subprocess.run(
        ["make", "-n", target, f"STAMP={stamp}"], cwd=ROOT, capture_output=True, text=True
    )


def test_the_makefile_has_the_two_commands():
    assert {"book", "test"} <= set(TARGETS)


@needs_make
@pytest.mark.parametrize("target", TARGETS)
def test_every_makefile_target_dry_runs(target, tmp_path):
    result = dry_run(target, tmp_path / "installed")
    assert result.returncode == 0, result.stderr


def test_every_make_target_the_readme_names_exists():
    named = set(re.findall(r"\bmake ([a-z][\w-]*)", README))
    assert named and named <= set(TARGETS), named - set(TARGETS)


def check_parses(arguments: list[str]) -> None:
    """``arguments --help`` exits 0, and ``arguments`` parse (stopped before anything runs)."""
    with pytest.raises(SystemExit) as stopped:
        main([*arguments, "--help"])
    assert stopped.value.code == 0, f"python -m ganaug {shlex.join(arguments)} --help failed"
    if {"-h", "--help"} & set(arguments):
        return

    class Parsed(Exception):
        pass

    original = argparse.ArgumentParser.parse_args

    def parse_then_stop(self, args=None, namespace=None):
        raise Parsed(original(self, args, namespace))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(argparse.ArgumentParser, "parse_args", parse_then_stop)
        with pytest.raises(Parsed):
            main(list(arguments))


def test_every_ganaug_command_in_the_readme_parses(capsys):
    commands = ganaug_commands(README, alternatives=True)
    assert commands, "the README shows no python -m ganaug command"
    for arguments in commands:
        check_parses(arguments)


@needs_make
def test_every_ganaug_command_in_a_make_recipe_parses(tmp_path, capsys):
    recipes = "\n".join(dry_run(target, tmp_path / "installed").stdout for target in TARGETS)
    commands = ganaug_commands(recipes, alternatives=False)
    assert commands, "no make target runs python -m ganaug"
    for arguments in commands:
        check_parses(arguments)
