"""``make run``: emailed links point at the address it serves on, unless SITE_URL says otherwise."""

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import require

ROOT = Path(__file__).resolve().parents[2]


MAKE = shutil.which("make")


@pytest.fixture(autouse=True)
def make_installed():
    require(MAKE is not None, "make is not installed")


def environment_without_site_url(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "HOST", "PORT"}}
    env.pop("MAKEFLAGS", None)
    env.pop("MAKELEVEL", None)
    return {**env, **extra}


def honcho_environment(*make_arguments, env=None) -> dict[str, str]:
    """The variables ``make run`` sets on the line that starts honcho (without running it)."""
    result = subprocess.run(
        [MAKE, "-n", "run", *make_arguments],
        cwd=ROOT,
        env=env or environment_without_site_url(),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    (line,) = [line for line in result.stdout.splitlines() if "honcho" in line]
    assignments = {}
    for word in shlex.split(line):
        if "=" not in word or word.startswith("-"):
            break
        name, value = word.split("=", 1)
        assignments[name] = value
    return assignments


def test_emailed_links_follow_the_port_make_run_serves_on():
    env = honcho_environment("PORT=8001")
    assert env["PORT"] == "8001"
    assert env["SITE_URL"] == "http://127.0.0.1:8001"


def test_emailed_links_follow_the_host_too():
    env = honcho_environment("HOST=0.0.0.0", "PORT=8002")
    assert env["SITE_URL"] == "http://0.0.0.0:8002"


def test_a_site_url_in_the_environment_wins():
    env = honcho_environment(
        "PORT=8001", env=environment_without_site_url(SITE_URL="https://cairn.example.org")
    )
    assert env["SITE_URL"] == "https://cairn.example.org"


def test_web_worker_and_beat_all_receive_it(tmp_path):
    """honcho hands the worker and beat ports of their own; SITE_URL must reach them as it is."""
    require(shutil.which("honcho", path=str(Path(sys.executable).parent)), "honcho is missing")
    names = [line.split(":", 1)[0] for line in (ROOT / "Procfile.dev").read_text().splitlines()]
    assert names == ["web", "worker", "beat"]
    stand_in = tmp_path / "Procfile"
    stand_in.write_text(
        "".join(f'{name}: echo "{name} sees $SITE_URL"; sleep 1\n' for name in names)
    )
    env = environment_without_site_url(**honcho_environment("PORT=8001"))
    result = subprocess.run(
        [str(Path(sys.executable).parent / "honcho"), "--procfile", str(stand_in), "start"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    for name in names:
        assert f"{name} sees http://127.0.0.1:8001" in result.stdout, result.stdout
