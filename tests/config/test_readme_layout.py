"""The README's layout section is the tree as it is: every top-level folder in the repository
is named there and every folder named there exists, and its apps are in the order of the
import rule that import-linter enforces (pyproject.toml)."""

import re
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def layout_block() -> str:
    section = (ROOT / "README.md").read_text().split("\n## Layout\n", 1)[1]
    return section.split("\n## ", 1)[0].split("```")[1]


def folders_named(block: str) -> list[str]:
    return re.findall(r"(?:^|\s)([a-z_]+)/(?=\s|$)", block, flags=re.M)


def tracked_top_level_folders() -> set[str]:
    files = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return {name.split("/")[0] for name in files if "/" in name and not name.startswith(".")}


def test_every_top_level_folder_is_in_the_readme_layout_and_no_other():
    assert set(folders_named(layout_block())) == tracked_top_level_folders()


def test_the_readme_lists_the_apps_in_the_order_of_the_import_rule():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (contract,) = config["contracts"]
    layers = [[app.strip() for app in layer.split("|")] for layer in contract["layers"]]
    apps = set(config["root_packages"])
    readme_order = [name for name in folders_named(layout_block()) if name in apps]
    assert readme_order == [app for layer in layers for app in layer]
