"""Every command Haven prints or documents works when pasted into a fresh shell in the
project folder: no activated virtualenv, no DJANGO_SETTINGS_MODULE, no services set up."""

import io
import re
import shlex
import subprocess
from importlib.util import find_spec
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command, get_commands

BASE_DIR = Path(settings.BASE_DIR)
DOCUMENTS = [BASE_DIR / "README.md", BASE_DIR / "bench/README.md", *BASE_DIR.glob("docs/*.md")]
DEVELOPER_COMMAND = re.compile(r"^(?:make\b|\.venv/bin/|python3?\s)")


def fresh_shell(command: str) -> subprocess.CompletedProcess:
    """``command`` as a newcomer's new terminal in the project folder would run it."""
    return subprocess.run(
        ["/bin/sh", "-c", command],
        cwd=BASE_DIR,
        env={"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(BASE_DIR), "LANG": "C.UTF-8"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def commands_in(text: str) -> list[str]:
    """Shell commands in code blocks (``sh``) and inline code, comments removed."""
    found = []
    for block in re.findall(r"```(?:sh|bash|shell)\n(.*?)```", text, re.S):
        found += [line.split("  #")[0].strip() for line in block.splitlines()]
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    found += re.findall(r"`([^`\n]+)`", text)
    return [command for command in found if DEVELOPER_COMMAND.match(command)]


def makefile_targets() -> set[str]:
    makefile = (BASE_DIR / "Makefile").read_text()
    return set(re.findall(r"^([a-z][a-z0-9-]*):", makefile, re.M))


def problems_with(command: str) -> str | None:
    words = shlex.split(command)
    if words[0] in ("python", "python3"):
        if words[1:2] == ["-c"]:
            return None  # the system's Python with the standard library only
        return "needs .venv/bin/python (or a make target): a fresh shell has no Django"
    if words[0] == "make":
        unknown = [w for w in words[1:] if "=" not in w and w not in makefile_targets()]
        return f"no make target {unknown}" if unknown else None
    if words[0] == ".venv/bin/python":
        if words[1] == "manage.py" and words[2] not in get_commands():
            return f"no management command {words[2]!r}"
        if words[1] == "-m" and find_spec(words[2]) is None:
            return f"no module {words[2]!r}"
        return None
    return None if (BASE_DIR / words[0]).exists() else f"{words[0]} does not exist"


def test_the_checks_find_the_commands_that_would_fail():
    assert problems_with("python manage.py migrate")
    assert problems_with("python -m bench.profile_pages")
    assert problems_with("make nonsense-target")
    assert problems_with(".venv/bin/python manage.py no_such_command")
    assert problems_with(".venv/bin/python -m no_such_module")
    assert problems_with("make test PYTEST_ARGS=-x") is None
    assert commands_in("Run `python manage.py x` or\n```sh\nmake run   # start\n```\n") == [
        "make run",
        "python manage.py x",
    ]


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(BASE_DIR)))
def test_every_documented_command_can_be_pasted_into_a_fresh_shell(document):
    commands = commands_in(document.read_text())
    assert commands, f"{document} names no commands: is the pattern still right?"
    problems = {c: p for c in commands if (p := problems_with(c))}
    assert problems == {}


@pytest.mark.django_db
def test_the_commands_seed_demo_prints_run_in_a_fresh_shell():
    assert (BASE_DIR / ".venv/bin/python").exists(), "make creates .venv in the project folder"
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    printed = [
        line.split(": ", 1)[1].strip()
        for line in out.getvalue().splitlines()
        if ": " in line and DEVELOPER_COMMAND.match(line.split(": ", 1)[1].strip())
    ]
    assert printed == [".venv/bin/python manage.py demo_totp"]
    for command in printed:
        result = fresh_shell(command)
        assert result.returncode == 0, result.stderr
        assert re.fullmatch(r"\d{6}", result.stdout.strip())
