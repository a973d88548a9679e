"""The lock files (Makefile, `make lock`): every requirement of pyproject.toml is locked at its exact
version with its hashes, the image's lock is a subset of the development lock, and an environment
made by `make install` holds exactly what the development lock says. Offline: no index is asked;
`make lock-check` (CI) is the check that compiles again."""

import hashlib
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
# `name==version \` then its `--hash=sha256:…` lines, as uv writes them.
ENTRY = re.compile(
    r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==(\S+)((?:\s*\\\n\s*--hash=\S+)*)", re.MULTILINE
)


def _name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _lock(filename: str) -> dict[str, tuple[str, list[str]]]:
    """{normalised name: (version, [hashes])}."""
    text = (ROOT / filename).read_text()
    return {
        _name(name): (version, re.findall(r"--hash=(\S+)", hashes))
        for name, version, hashes in ENTRY.findall(text)
    }


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _pins(requirements: list[str]) -> dict[str, str]:
    pins = {}
    for line in requirements:
        requirement = Requirement(line)
        (specifier,) = requirement.specifier  # every requirement is pinned exactly, one specifier
        assert specifier.operator == "==", f"{line}: pin it exactly (==)"
        pins[_name(requirement.name)] = specifier.version
    return pins


def _runtime_pins() -> dict[str, str]:
    project = _pyproject()
    return _pins(project["project"]["dependencies"] + project["dependency-groups"]["install"])


def _dev_pins() -> dict[str, str]:
    return _runtime_pins() | _pins(_pyproject()["project"]["optional-dependencies"]["dev"])


@pytest.mark.parametrize(
    ("filename", "pins"),
    [("requirements.lock", _runtime_pins), ("requirements-dev.lock", _dev_pins)],
)
def test_every_pyproject_pin_is_locked_at_its_version_with_a_hash(filename, pins):
    lock = _lock(filename)
    wrong = {
        name: (version, lock.get(name, ("missing", []))[0])
        for name, version in pins().items()
        if lock.get(name, ("", []))[0] != version
    }
    assert not wrong, f"{filename} is stale (pyproject, lock): {wrong}; run `make lock`"
    for name in pins():
        hashes = lock[name][1]
        assert hashes and all(re.fullmatch(r"sha256:[0-9a-f]{64}", h) for h in hashes), name


def test_every_locked_package_has_its_hashes():
    for filename in ("requirements.lock", "requirements-dev.lock"):
        lock = _lock(filename)
        assert len(lock) > 40, filename  # the parser found the entries
        unhashed = sorted(name for name, (_, hashes) in lock.items() if not hashes)
        assert not unhashed, f"{filename}: entries without a hash: {unhashed}"


def test_the_runtime_lock_is_a_subset_of_the_dev_lock():
    runtime, dev = _lock("requirements.lock"), _lock("requirements-dev.lock")
    missing = sorted(set(runtime) - set(dev))
    assert not missing, f"in requirements.lock, not in requirements-dev.lock: {missing}"
    different = {
        name: (runtime[name][0], dev[name][0]) for name in runtime if runtime[name][0] != dev[name][0]
    }
    assert not different, f"versions differ (runtime, dev): {different}"
    # The dev extra's own tools stay out of the image.
    assert {"pytest", "ruff", "mypy", "uv"}.isdisjoint(runtime)
    assert {"pytest", "ruff", "mypy", "uv"} <= set(dev)


def test_the_image_and_make_install_install_the_locks_with_their_hashes():
    dockerfile = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    assert re.search(r"pip install [^\n]*--require-hashes -r requirements\.lock", dockerfile)
    assert re.search(r"pip install [^\n]*--no-deps", dockerfile)
    makefile = (ROOT / "Makefile").read_text()
    assert "pip install --quiet --require-hashes -r requirements-dev.lock" in makefile
    assert "--no-deps --no-build-isolation -e ." in makefile


def _installed_from_this_lock() -> bool:
    """`make install` writes the dev lock's sha256 into its stamp: this environment came from it."""
    stamp = Path(sys.prefix) / ".installed"
    digest = hashlib.sha256((ROOT / "requirements-dev.lock").read_bytes()).hexdigest()
    return stamp.exists() and stamp.read_text().split()[:1] == [digest]


@pytest.mark.skipif(
    not _installed_from_this_lock(),
    reason="this environment was not made by `make install` from the current requirements-dev.lock",
)
def test_the_environment_is_the_dev_lock():
    """Every locked package is installed at the locked version: the environment really came from the
    lock (a later `pip install` that moved a package shows here)."""
    wrong = {}
    for name, (version, _) in _lock("requirements-dev.lock").items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = "missing"
        if installed != version:
            wrong[name] = (version, installed)
    assert not wrong, f"locked, installed: {wrong}"
