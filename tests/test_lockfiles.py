"""The locked dependencies (`make lock`) agree with pyproject.toml and with each other.

CI installs requirements/dev.txt, the image requirements/base.txt (or requirements/s3.txt with
S3-compatible storage), each with `--no-deps`: a version that differs between them would be
tested in one and run in another, and a package missing from one would not be installed.
"""

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")


def pins(name: str) -> dict[str, str]:
    found = {}
    for line in (ROOT / "requirements" / name).read_text().splitlines():
        if match := PIN.match(line):
            found[canonicalize_name(match.group(1))] = match.group(2)
    return found


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


@pytest.mark.parametrize("lockfile", ["dev.txt", "s3.txt"])
def test_every_locked_production_package_has_the_same_version_everywhere(lockfile):
    base, other = pins("base.txt"), pins(lockfile)
    differ = {name: (version, other.get(name)) for name, version in base.items()}
    assert {name: pair for name, pair in differ.items() if pair[0] != pair[1]} == {}


@pytest.mark.parametrize(
    ("lockfile", "extras"),
    [("base.txt", []), ("dev.txt", ["dev"]), ("s3.txt", ["s3"])],
)
def test_every_requirement_of_pyproject_is_locked_within_its_range(lockfile, extras):
    wanted = [Requirement(text) for text in project()["dependencies"]]
    for extra in extras:
        wanted += [Requirement(text) for text in project()["optional-dependencies"][extra]]
    locked = pins(lockfile)
    for requirement in wanted:
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{requirement.name} is not in requirements/{lockfile}"
        assert requirement.specifier.contains(locked[name], prereleases=True), (
            f"requirements/{lockfile} pins {requirement.name}=={locked[name]}, "
            f"outside {requirement.specifier}"
        )


def test_the_s3_lockfile_brings_the_storage_and_its_client():
    locked = pins("s3.txt")
    assert {"django-storages", "boto3", "botocore", "s3transfer"} <= set(locked)
