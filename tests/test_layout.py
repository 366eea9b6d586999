"""The house mirrors the book: the README's layout block names exactly the library's packages
and top-level modules, and only entry points read the environment."""

import ast
import re

from conftest import ROOT

#: Modules that may read the environment: the settings module and the entry points.
ENTRY_POINTS = {
    "ganaug/__init__.py",
    "ganaug/config.py",
    "ganaug/cli.py",
    "ganaug/teaching/colab.py",
    "ganaug/teaching/sphinx_build.py",
}


def readme_layout() -> set[str]:
    text = (ROOT / "README.md").read_text()
    block = text.split("## Layout", 1)[1].split("```", 2)[1]
    return set(re.findall(r"^  ([a-z_]+(?:/|\.py))", block, flags=re.MULTILINE))


def test_readme_layout_matches_the_library_tree():
    library = ROOT / "ganaug"
    tree = {f"{p.name}/" for p in library.iterdir() if (p / "__init__.py").is_file()}
    tree |= {p.name for p in library.glob("*.py") if p.name not in {"__init__.py", "__main__.py"}}
    assert readme_layout() == tree


def test_only_config_and_cli_sit_at_the_top():
    modules = {p.name for p in (ROOT / "ganaug").glob("*.py")}
    assert modules == {"__init__.py", "__main__.py", "config.py", "cli.py"}


def _reads_environment(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in {"environ", "getenv"}:
            if isinstance(node.value, ast.Name) and node.value.id in {"os", "_os"}:
                lines.append(node.lineno)
    return lines


def test_only_entry_points_read_the_environment():
    readers = {}
    for path in sorted((ROOT / "ganaug").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        lines = _reads_environment(ast.parse(path.read_text()))
        if lines and relative not in ENTRY_POINTS:
            readers[relative] = lines
    assert readers == {}, f"read the environment in config or an entry point, not here: {readers}"


def test_the_environment_check_finds_a_reader():
    assert _reads_environment(ast.parse("import os\nprofile = os.environ.get('X')\n")) == [2]
