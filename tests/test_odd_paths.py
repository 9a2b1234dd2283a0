"""Odd paths where a profile or an image belongs: a symlink loop, a name too long for the
file system, a NUL byte, a folder, a file that cannot be read, /dev/zero, a FIFO, a /proc
file that never ends. Each command (verify with the path as an image and as the profile,
fix, merge, batch, init --answers) gives exit 1 or 2, never 3, a message naming the file and
the reason, in bounded time and memory.

The commands run in a subprocess with a timeout and an address-space limit, so a regression
(a FIFO that blocks, /dev/zero read to the end) fails the test instead of hanging the suite
or eating the machine. A path with a NUL byte cannot be passed on a command line at all, so
that case of an argument runs in-process (it cannot block)."""
from __future__ import annotations

import errno
import json
import os
import resource
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from tjcheck.cli import app

from .conftest import EXAMPLES, PASSING, ROOT, TODAY

KINDS = ("loop", "long", "nul", "folder", "noperm", "devzero", "fifo", "proc")
REASON = {"loop": ("符号链接循环", "symbolic-link loop"), "long": ("文件名过长", "name is too long"),
          "nul": ("非法字符", "not allowed"), "folder": ("不是普通文件", "not a regular file"),
          "noperm": ("无权限读取", "no permission"), "devzero": ("不是普通文件", "not a regular file"),
          "fifo": ("不是普通文件", "not a regular file"), "proc": ("文件过大", "too large")}
ROOT_CANNOT_READ = "/proc/sys/vm/compact_memory"   # mode 0200: refused even to root (sysctl checks the mode bits)
TIMEOUT = 120
AS_OF = ["--as-of", TODAY.isoformat()]


def _unreadable_file(folder: Path) -> str | None:
    """A file this process may not read: chmod 000, or for root (CI) a write-only sysctl."""
    if os.geteuid() != 0:
        path = folder / "noperm.jpg"
        shutil.copy(EXAMPLES / "passing" / "images" / "id_back.jpg", path)
        path.chmod(0)
        return "noperm.jpg"
    try:
        os.close(os.open(ROOT_CANNOT_READ, os.O_RDONLY | os.O_NONBLOCK))
    except PermissionError:
        return ROOT_CANNOT_READ
    except OSError:
        return None
    return None   # root can read it here: no such case on this machine


def make_odd(folder: Path) -> dict[str, str]:
    """kind -> the path as a profile would name it (relative to ``folder`` or absolute)."""
    (folder / "loop_a").symlink_to("loop_b")
    (folder / "loop_b").symlink_to("loop_a")
    (folder / "folder.jpg").mkdir()
    os.mkfifo(folder / "fifo.jpg")
    paths = {"loop": "loop_a", "long": "x" * 300 + ".jpg", "nul": "images/a\0b.jpg", "folder": "folder.jpg",
             "devzero": "/dev/zero", "fifo": "fifo.jpg", "proc": "/proc/self/pagemap",
             "noperm": _unreadable_file(folder)}
    return {k: v for k, v in paths.items() if v is not None}


def _argument(folder: Path, name: str) -> str:
    return name if os.path.isabs(name) else str(folder / name)


def _limits():
    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))   # a runaway read fails, it cannot eat the machine


def tjcheck(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TJCHECK_LANG": "zh", "COLUMNS": "400"}
    env.pop("TJCHECK_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "tjcheck", *args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=TIMEOUT, preexec_fn=_limits, stdin=subprocess.DEVNULL)


def _says(stderr: str, arg: str, kind: str) -> bool:
    """The message names the file and the reason. Typer checks a Path argument's read
    permission itself (before tjcheck runs) and says so in English: accepted, it is exit 2
    with the file and the reason."""
    return arg in stderr and (REASON[kind][0] in stderr or kind == "noperm" and "is not readable" in stderr)


def _no_bug(result) -> None:
    assert result.returncode in (1, 2), (result.returncode, result.stdout[-2000:], result.stderr[-2000:])
    assert "Traceback" not in result.stderr and "内部错误" not in result.stdout + result.stderr, result.stderr


@pytest.fixture
def odd(tmp_path) -> tuple[Path, dict[str, str]]:
    folder = tmp_path / "person"
    folder.mkdir()
    (folder / "images").symlink_to(EXAMPLES / "passing" / "images")
    return folder, make_odd(folder)


def profile_data() -> dict:
    return yaml.safe_load(PASSING.read_text("utf-8"))


def write(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


# --------------------------------------------------------------------------- the one reader

def test_safeio_refuses_every_odd_path_with_its_reason(odd):
    folder, paths = odd
    code = ("import sys, json\nfrom tjcheck import safeio\nout = {}\n"
            "for kind, path in json.loads(sys.argv[1]).items():\n"
            "    try:\n        safeio.read_file(path, 50_000_000)\n        out[kind] = None\n"
            "    except safeio.Unreadable as exc:\n        out[kind] = [exc.kind, *exc.reason]\n"
            "print(json.dumps(out))\n")
    args = {k: _argument(folder, v) for k, v in paths.items()}
    result = subprocess.run([sys.executable, "-c", code, json.dumps(args)], capture_output=True, text=True,
                            timeout=TIMEOUT, preexec_fn=_limits, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout)
    for kind in paths:
        assert got[kind] is not None, kind
        assert REASON[kind][0] in got[kind][1] and REASON[kind][1] in got[kind][2], (kind, got[kind])


def test_safeio_reads_a_regular_file_and_bounds_it(tmp_path):
    from tjcheck import safeio

    path = tmp_path / "a.bin"
    path.write_bytes(b"x" * 1000)
    assert safeio.read_file(path, 1000) == b"x" * 1000
    with pytest.raises(safeio.Unreadable) as exc:
        safeio.read_file(path, 999)
    assert exc.value.kind == "too_large" and "1000" in exc.value.reason[1].replace(",", "")
    with pytest.raises(safeio.Unreadable) as exc:
        safeio.read_file(tmp_path / "none.bin", 10)
    assert exc.value.kind == "missing" and exc.value.reason == ("文件不存在", "file not found")
    link = tmp_path / "link.bin"
    link.symlink_to(path)   # a symlink to a regular file is fine
    assert safeio.read_file(link, 1000) == b"x" * 1000


def test_a_proc_file_of_size_zero_is_read_to_its_end(tmp_path):
    from tjcheck import safeio

    assert os.stat("/proc/self/status").st_size == 0
    assert b"Name:" in safeio.read_file("/proc/self/status", 100_000)


def test_every_errno_is_a_kind():
    from tjcheck import safeio

    assert safeio.kind_of(OSError(errno.ENOTDIR, "x")) == "missing"
    assert safeio.kind_of(OSError(errno.EPERM, "x")) == "permission"
    assert safeio.kind_of(OSError(errno.EIO, "x")) == "error"
    assert safeio.kind_of(ValueError("embedded null byte")) == "bad_name"


def test_resolved_never_raises(odd):
    from tjcheck import safeio

    folder, paths = odd
    for name in paths.values():
        assert isinstance(safeio.resolved(folder / name), Path)


# --------------------------------------------------------------------------- verify

def test_verify_odd_image_paths_are_AT001_with_the_reason(odd):
    folder, paths = odd
    data = profile_data()
    data["work"][0]["proof_image"] = list(paths.values())
    data["basic"]["photo"] = paths["fifo"]
    profile = write(folder / "profile.yaml", data)
    result = tjcheck("verify", str(profile), "-f", "json", "--select", "AT", *AS_OF)
    _no_bug(result)
    assert result.returncode == 1
    findings = json.loads(result.stdout)["findings"]
    at001 = {f["file"]: f["message"] for f in findings if f["code"] == "AT001"}
    for kind, name in paths.items():
        assert name in at001, (kind, sorted(at001))
        assert REASON[kind][0] in at001[name], (kind, at001[name])


@pytest.mark.parametrize("kind", [k for k in KINDS if k != "nul"])
def test_verify_odd_profile_path_is_exit_2(odd, kind):
    folder, paths = odd
    if kind not in paths:
        pytest.skip("no file root cannot read on this machine")
    arg = _argument(folder, paths[kind])
    result = tjcheck("verify", arg, *AS_OF)
    _no_bug(result)
    assert result.returncode == 2 and _says(result.stderr, arg, kind), result.stderr


def test_a_nul_byte_in_an_argument(tmp_path):
    """A NUL cannot come from a real command line; from a script calling the app it must still
    not crash (typer refuses it as a bad value, or tjcheck as a name with a character not allowed)."""
    runner = CliRunner()
    bad = str(tmp_path / "a\0b.yaml")
    for args in (["verify", bad], ["fix", bad, "-o", str(tmp_path / "out")],
                 ["merge", bad, "-o", str(tmp_path / "m.jpg")], ["init", str(tmp_path / "p.yaml"), "--answers", bad]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args, result.output, result.exception)
        text = _all_output(result)
        assert "非法字符" in text or "null byte" in text, args


def _all_output(result) -> str:
    try:
        return result.output + result.stderr
    except ValueError:   # stderr mixed into output
        return result.output


# --------------------------------------------------------------------------- fix

def test_fix_lists_odd_images_with_the_reason(odd, tmp_path):
    folder, paths = odd
    data = profile_data()
    data["work"][0]["proof_image"] = list(paths.values())
    data["basic"]["photo"] = paths["fifo"]
    profile = write(folder / "profile.yaml", data)
    result = tjcheck("fix", str(profile), "-o", str(tmp_path / "out"), "--lang", "en")
    _no_bug(result)
    assert result.returncode == 1
    out = " ".join(result.stdout.split())
    for kind in paths:
        assert REASON[kind][1] in out, (kind, result.stdout)


@pytest.mark.parametrize("kind", [k for k in KINDS if k != "nul"])
def test_fix_odd_profile_path_is_exit_2(odd, tmp_path, kind):
    folder, paths = odd
    if kind not in paths:
        pytest.skip("no file root cannot read on this machine")
    arg = _argument(folder, paths[kind])
    result = tjcheck("fix", arg, "-o", str(tmp_path / "out"))
    _no_bug(result)
    assert result.returncode == 2 and _says(result.stderr, arg, kind), result.stderr


# --------------------------------------------------------------------------- merge

@pytest.mark.parametrize("kind", [k for k in KINDS if k != "nul"])
def test_merge_odd_input_is_exit_2(odd, tmp_path, kind):
    folder, paths = odd
    if kind not in paths:
        pytest.skip("no file root cannot read on this machine")
    arg = _argument(folder, paths[kind])
    out = tmp_path / "m.jpg"
    result = tjcheck("merge", str(EXAMPLES / "passing" / "images" / "work_proof.jpg"), arg, "-o", str(out))
    _no_bug(result)
    assert result.returncode == 2 and _says(result.stderr, arg, kind), result.stderr
    assert not out.exists()


# --------------------------------------------------------------------------- batch

def test_batch_odd_images_and_profiles(tmp_path):
    """One person per odd kind (photo and an attachment), a profile that cannot be read, a
    profile that is a symlink loop, a FIFO or a folder, a folder that loops back: every person
    is a row, the HTML report (photo thumbnails) is written, nothing hangs."""
    root = tmp_path / "staff"
    root.mkdir()
    shared = root / "odd"
    shared.mkdir()
    paths = make_odd(shared)
    for kind, name in paths.items():
        person = root / kind
        person.mkdir()
        (person / "images").symlink_to(EXAMPLES / "passing" / "images")
        data = profile_data()
        target = name if os.path.isabs(name) else "../odd/" + name
        data["basic"]["photo"] = target
        data["basic"]["id_back"] = target
        write(person / "profile.yaml", data)
    (root / "zz_unreadable").mkdir()
    (root / "zz_unreadable" / "profile.yaml").symlink_to(
        paths["noperm"] if os.path.isabs(paths.get("noperm", "")) else "/proc/self/pagemap")
    (root / "zz_loop").mkdir()
    (root / "zz_loop" / "profile.yaml").symlink_to("profile.yaml")
    (root / "zz_fifo").mkdir()
    os.mkfifo(root / "zz_fifo" / "profile.yaml")
    (root / "zz_folder" / "profile.yaml").mkdir(parents=True)
    (root / "zz_cycle").symlink_to(".")
    report = tmp_path / "r.html"
    result = tjcheck("batch", str(root), "--jobs", "1", "--report", str(report), *AS_OF)
    _no_bug(result)
    assert result.returncode == 1
    html = report.read_text("utf-8")
    for kind in paths:
        assert REASON[kind][0] in html, kind
    assert "无权限读取" in html or "文件过大" in html   # the unreadable profile is a row with its reason


def test_find_profiles_copes_with_loops_and_unreadable_folders(tmp_path):
    from tjcheck.batch.run import find_profiles

    (tmp_path / "a").mkdir()
    shutil.copy(PASSING, tmp_path / "a" / "profile.yaml")
    (tmp_path / "cycle").symlink_to(".")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "profile.yaml").symlink_to("profile.yaml")   # a loop
    (tmp_path / "c").mkdir()
    os.mkfifo(tmp_path / "c" / "profile.yaml")
    closed = tmp_path / "closed"
    (closed / "d").mkdir(parents=True)
    shutil.copy(PASSING, closed / "d" / "profile.yaml")
    closed.chmod(0)
    try:
        found = [p.relative_to(tmp_path).as_posix() for p in find_profiles(tmp_path, "profile.yaml")]
    finally:
        closed.chmod(stat.S_IRWXU)
    assert found[0] == "a/profile.yaml" and "b/profile.yaml" not in found and "c/profile.yaml" not in found


# --------------------------------------------------------------------------- init --answers

def test_init_answers_with_odd_images(odd):
    folder, paths = odd
    data = profile_data()
    slots = [("basic", "photo"), ("basic", "id_front"), ("basic", "id_back"), ("education", 0, "diploma_image"),
             ("education", 0, "degree_image"), ("work", 0, "proof_image"), ("work", 0, "posts", 0, "proof_image"),
             ("title", "certificate_image")]
    kinds = list(paths)
    for slot, kind in zip(slots, kinds):
        node = data
        for part in slot[:-1]:
            node = node[part]
        node[slot[-1]] = paths[kind]
    answers = write(folder / "answers.yaml", data)
    target = folder / "new.yaml"
    result = tjcheck("init", str(target), "--answers", str(answers), cwd=folder)
    _no_bug(result)
    assert result.returncode == 1, result.stdout[-3000:]
    for kind in kinds[:len(slots)]:
        assert REASON[kind][0] in result.stdout, kind


@pytest.mark.parametrize("kind", [k for k in KINDS if k != "nul"])
def test_init_odd_answers_path_is_exit_2(odd, kind):
    folder, paths = odd
    if kind not in paths:
        pytest.skip("no file root cannot read on this machine")
    arg = _argument(folder, paths[kind])
    result = tjcheck("init", str(folder / "new.yaml"), "--answers", arg)
    _no_bug(result)
    assert result.returncode == 2 and _says(result.stderr, arg, kind), result.stderr
