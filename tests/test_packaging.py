"""Packaging: what `pip install` / `uv tool install` give a user, not the editable checkout.

- The face extra's environment marker (always, offline): mediapipe only where it has face models.
- The rest needs the package registry and a couple of minutes, so it runs in CI (CI=true) or with
  TJCHECK_PACKAGING_TESTS=1: the wheel is built from a copy of the source, its file list must hold
  every data file; it is installed into a fresh venv outside the source tree and runs the shipped
  examples; the face extra resolves, from wheels only, for Python 3.12–3.14 on Windows, macOS and
  Linux; and on a real Python 3.13+ (if this machine has one) `pip install "tjcheck[face]"` works
  and the face checks say what to do.
"""
from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from tjcheck.imaging.face import LAST_FACE_PYTHON, MEDIAPIPE

from .conftest import EXAMPLES, ROOT

PYTHONS = [(3, 10), (3, 11), (3, 12), (3, 13), (3, 14)]   # what the package promises (README)
OSES = {   # marker environment of each operating system a user may have
    "windows": {"sys_platform": "win32", "platform_system": "Windows", "platform_machine": "AMD64"},
    "macos-arm": {"sys_platform": "darwin", "platform_system": "Darwin", "platform_machine": "arm64"},
    "macos-intel": {"sys_platform": "darwin", "platform_system": "Darwin", "platform_machine": "x86_64"},
    "linux": {"sys_platform": "linux", "platform_system": "Linux", "platform_machine": "x86_64"},
}
# uv's names for the same targets; macOS 13 is the oldest macOS still supported by Apple
UV_TARGETS = {"windows": "x86_64-pc-windows-msvc", "macos-arm": "aarch64-apple-darwin",
              "macos-intel": "x86_64-apple-darwin", "linux": "x86_64-manylinux_2_28"}
MACOS = "13.0"


def _pyproject() -> dict:
    tomllib = pytest.importorskip("tomllib", reason="reading pyproject.toml needs Python 3.11+ (tomllib)")
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _wanted(requirements: list[str], python: tuple[int, int], os_env: dict, extra: str = "") -> dict[str, list]:
    """Package name -> the requirements that apply in that environment."""
    env = {"python_version": "%d.%d" % python, "python_full_version": "%d.%d.0" % python,
           "implementation_name": "cpython", "platform_python_implementation": "CPython",
           "os_name": "nt" if os_env["sys_platform"] == "win32" else "posix", "extra": extra, **os_env}
    out: dict[str, list] = {}
    for text in requirements:
        req = Requirement(text)
        if req.marker is None or req.marker.evaluate(env):
            out.setdefault(req.name.lower(), []).append(req)
    return out


def test_face_extra_brings_mediapipe_only_where_it_has_face_models():
    """mediapipe with the legacy face models has wheels up to Python 3.12: the extra asks for it
    there (the release the measures were made with) and not on 3.13+, where `tjcheck[face]`
    must still install; numpy and OpenCV, which only the face measures use, come with it."""
    project = _pyproject()["project"]
    face = project["optional-dependencies"]["face"]
    for python in PYTHONS:
        for name, os_env in OSES.items():
            wanted = _wanted(face, python, os_env, "face")
            with_models = python <= LAST_FACE_PYTHON
            if with_models:
                assert [str(r.specifier) for r in wanted.get("mediapipe", [])] == [f"=={MEDIAPIPE}"], (python, name)
            else:
                assert "mediapipe" not in wanted, (python, name)
            assert len(wanted.get("numpy", [])) == len(wanted.get("opencv-contrib-python", [])) == int(with_models), \
                (python, name)
    assert not any(Requirement(r).name == "mediapipe" for r in project["dependencies"])


def test_package_data_is_every_file_that_is_not_python():
    """The ruleset and any later data (model files) ship in the wheel: one glob, not a list."""
    setuptools = _pyproject()["tool"]["setuptools"]
    assert setuptools["package-data"] == {"tjcheck": ["**/*"]}
    assert set(setuptools["exclude-package-data"]["*"]) >= {"*.py", "*.pyc"}


# --- with the package registry ------------------------------------------------------------------

registry = pytest.mark.skipif(
    not (os.environ.get("CI", "").lower() in ("1", "true", "yes") or os.environ.get("TJCHECK_PACKAGING_TESTS") == "1"),
    reason="builds and installs the wheel from the package registry (about 2 min): CI runs it; "
           "set TJCHECK_PACKAGING_TESTS=1 to run it here")

SENTINELS = ["tjcheck/imaging/models/face_sentinel.tflite", "tjcheck/ruleset/extra_sentinel.json"]


def _clean_env() -> dict:
    """The environment for a command that must not see this checkout (no PYTHONPATH)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "TJCHECK_LANG", "PYTHONSAFEPATH")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def _run(args, cwd, timeout=900, check=True) -> subprocess.CompletedProcess:
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=_clean_env(), capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)
    if check and done.returncode != 0:
        pytest.fail(f"{' '.join(map(str, args))} -> {done.returncode}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel, built (with build isolation, as a user's pip does) from a copy of the source,
    so the checkout gets no build/ or egg-info. Two sentinel data files stand for later data
    (a model in a folder that is not a package, a JSON file beside the ruleset)."""
    work = tmp_path_factory.mktemp("wheel")
    src = work / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info",
                                                             ".pytest_cache", "examples", "tests", "bench"))
    for name in SENTINELS:
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_bytes(b"sentinel")
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", work / "dist", src], cwd=work)
    (found,) = (work / "dist").glob("tjcheck-*.whl")
    return found


@registry
def test_wheel_holds_every_data_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    data = {p.relative_to(ROOT).as_posix() for p in (ROOT / "tjcheck").rglob("*")   # hidden files are no data
            if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
            and not any(part.startswith(".") for part in p.relative_to(ROOT).parts)}
    assert "tjcheck/ruleset/tianjin.yaml" in data
    assert data | set(SENTINELS) <= names, sorted(data | set(SENTINELS) - names)
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "tjcheck").rglob("*.py")}
    assert modules <= names
    assert not [n for n in names if n.endswith(".pyc") or "__pycache__" in n]


def _venv(python: str, where: Path) -> Path:
    _run([python, "-m", "venv", "--without-pip", where], cwd=where.parent)
    return where / ("Scripts" if os.name == "nt" else "bin")


def _install(bin_dir: Path, requirement: str) -> None:
    """Into that venv, resolved from the registry. With uv rather than pip: the same resolution,
    but it keeps the downloaded wheels (pip here re-downloads the 1.2 GB of mediapipe's stack,
    3.5 min, in every run; uv takes 25 s the first time, 3 s after)."""
    _run([_uv(), "pip", "install", "--quiet", "--python", bin_dir / "python", requirement], cwd=bin_dir.parent)


def _verify(bin_dir: Path, example: str, cwd: Path) -> tuple[int, dict]:
    done = _run([bin_dir / "tjcheck", "verify", EXAMPLES / example / "profile.yaml", "--format", "json",
                 "--as-of", "2026-11-26"], cwd=cwd, timeout=300, check=False)
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


def _codes(report: dict, outcome: str) -> set[str]:
    return {c["code"] for s in report["steps"] for c in s["checks"] if c["outcome"] == outcome}


@registry
def test_the_installed_wheel_runs_the_examples(wheel, tmp_path):
    """`tjcheck-….whl[face,ocr]` installed into a fresh venv, run from a folder outside the
    source: the installed package (not this checkout) checks the three shipped examples, with the
    face and the document checks (both OpenCV packages in one environment)."""
    bin_dir = _venv(sys.executable, tmp_path / "venv")
    _install(bin_dir, f"tjcheck[face,ocr] @ {wheel.as_uri()}")
    where = _run([bin_dir / "python", "-c", "import tjcheck, mediapipe, rapidocr; print(tjcheck.__file__)"],
                 cwd=tmp_path)
    assert Path(where.stdout.strip()).is_relative_to(tmp_path / "venv")

    code, passing = _verify(bin_dir, "passing", tmp_path)
    assert code == 0 and passing["verdict"] == "pass"
    assert not _codes(passing, "skipped"), "the face and document checks run from the wheel"
    code, failing = _verify(bin_dir, "failing", tmp_path)
    assert code == 1 and {"ID002", "PH001", "DC002"} <= {f["code"] for f in failing["findings"]}
    code, bangs = _verify(bin_dir, "photo-bangs", tmp_path)
    flagged = {f["code"]: f["severity"] for f in bangs["findings"]}
    assert code == 1 and flagged.get("PH007") == "error" and flagged.get("FA007") in ("warning", "error")

    rules = _run([bin_dir / "tjcheck", "rules", "--json"], cwd=tmp_path)
    assert {"ID007", "FA007", "PH008"} <= {r["code"] for r in json.loads(rules.stdout)}
    schema = _run([bin_dir / "tjcheck", "schema"], cwd=tmp_path)
    assert json.loads(schema.stdout) == json.loads((EXAMPLES / "profile.schema.json").read_text(encoding="utf-8"))


def _uv() -> str:
    uv = pytest.importorskip("uv", reason="the resolution check needs uv (in the test extra)")
    return uv.find_uv_bin()


def _compile(uv: str, requirement: str, *options: str) -> subprocess.CompletedProcess:
    env = _clean_env() | {"MACOSX_DEPLOYMENT_TARGET": MACOS}
    return subprocess.run([uv, "pip", "compile", "-", "--quiet", "--no-header", "--no-annotate", *options],
                          input=requirement, capture_output=True, text=True, env=env, timeout=600)


def _resolve(uv: str, requirement: str, python: tuple[int, int], target: str, wheels_only: bool) -> dict[str, str]:
    """uv's resolution for another Python and system (pip's --python-version does not apply
    environment markers for the target, only for the Python that runs it; uv does). From uv's
    cache, filled by one universal resolution first; online if the cache lacks something."""
    options = ["--python-version", "%d.%d" % python, "--python-platform", target]
    options += ["--only-binary", ":all:"] if wheels_only else []
    done = _compile(uv, requirement, "--offline", *options)
    if done.returncode != 0:
        done = _compile(uv, requirement, *options)
    assert done.returncode == 0, f"{python} {target} wheels_only={wheels_only}\n{done.stderr[-3000:]}"
    pins = {}
    for line in done.stdout.splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==", 1)
            pins[name.strip().lower()] = version.strip()
    return pins


@registry
def test_face_extra_resolves_from_wheels_on_every_python_and_system(wheel):
    """For Python 3.12, 3.13, 3.14 on Windows, macOS 13+ (Apple silicon and Intel) and Linux:
    `tjcheck[face]` resolves with mediapipe on 3.12 and without it on 3.13+, every base package
    is there, and the newest versions the resolver picks all have wheels (the same pins come out
    when sdists are refused), so no user's install compiles anything."""
    uv = _uv()
    requirement = f"tjcheck[face] @ {wheel.as_uri()}\n"
    universal = _compile(uv, requirement, "--universal", "--python-version", "3.12")   # fills the cache
    assert universal.returncode == 0, universal.stderr[-3000:]
    base = {Requirement(r).name.lower() for r in _pyproject()["project"]["dependencies"]}
    combos = [(p, t) for p in [(3, 12), (3, 13), (3, 14)] for t in UV_TARGETS]
    jobs = [(p, t, w) for p, t in combos for w in (False, True)]
    with ThreadPoolExecutor(4) as pool:
        pins = dict(zip(jobs, pool.map(lambda j: _resolve(uv, requirement, j[0], UV_TARGETS[j[1]], j[2]), jobs)))
    for python, target in combos:
        newest, wheels = pins[(python, target, False)], pins[(python, target, True)]
        assert newest == wheels, (python, target, {k: (v, wheels.get(k)) for k, v in newest.items()
                                                    if wheels.get(k) != v})
        assert ("mediapipe" in wheels) == (python <= LAST_FACE_PYTHON), (python, target)
        assert wheels.get("mediapipe", MEDIAPIPE) == MEDIAPIPE
        assert {b.replace("_", "-") for b in base} <= set(wheels), (python, target)
        measures = {"numpy", "opencv-contrib-python"}   # the face measures' own, only beside mediapipe
        assert (measures <= set(wheels)) == (python <= LAST_FACE_PYTHON), (python, target)


def _newer_python() -> str | None:
    """A Python 3.13 or later on this machine (PATH or pyenv), if any."""
    names = [shutil.which(f"python3.{m}") for m in range(20, 12, -1)]
    names += sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.1[3-9]*/bin/python")), reverse=True)
    for name in filter(None, names):
        done = subprocess.run([name, "-c", "import sys, venv; print(sys.version_info >= (3, 13))"],
                              capture_output=True, text=True)
        if done.returncode == 0 and done.stdout.strip() == "True":
            return name
    return None


@registry
def test_on_python_313_the_face_extra_installs_and_the_skip_says_what_to_do(wheel, tmp_path):
    """The issue's case: on Python 3.13+ installing `tjcheck[face]` used to stop with a resolver
    error about mediapipe. Now the base installs and runs, then the extra installs too (without
    mediapipe), and the face checks show as skipped with the 3.12 install commands."""
    python = _newer_python()
    if python is None:
        pytest.skip("no Python 3.13 or later on this machine (PATH or ~/.pyenv): the 3.13 install is not tried")
    bin_dir = _venv(python, tmp_path / "venv")
    _install(bin_dir, f"tjcheck @ {wheel.as_uri()}")
    code, report = _verify(bin_dir, "passing", tmp_path)
    assert code == 0 and "FA007" in _codes(report, "skipped")

    _install(bin_dir, f"tjcheck[face] @ {wheel.as_uri()}")
    have = _run([bin_dir / "python", "-c", "import importlib.util as u; "
                 "print([u.find_spec(m) is None for m in ('mediapipe', 'numpy', 'cv2')])"], cwd=tmp_path)
    assert have.stdout.strip() == "[True, True, True]"   # nothing installed that nothing would use
    code, report = _verify(bin_dir, "passing", tmp_path)
    face = [c for s in report["steps"] for c in s["checks"] if c["code"].startswith("FA")]
    assert code == 0 and face and all(c["outcome"] == "skipped" for c in face)
    version = _run([bin_dir / "python", "-c", "import sys; print('%d.%d' % sys.version_info[:2])"], cwd=tmp_path)
    note = face[0]["skipped_because"]
    assert f"Python {version.stdout.strip()}" in note and 'uv tool install --python 3.12 "tjcheck[face]"' in note
