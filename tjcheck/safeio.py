"""Every file tjcheck reads from a user — a profile, an answers file, an image, a PDF — is
read by ``read_file``: only a regular file, of bounded size, opened once.

A path is untrusted like the bytes behind it: a symlink loop, a name too long for the file
system, a NUL byte, a folder, a file without read permission, ``/dev/zero``, a FIFO or a
``/proc`` file must each end in one ``Unreadable`` with its reason, never a traceback, a hang
or an unbounded read. So the file is opened once (no exists()/is_dir() before it, which could
change in between) without blocking (a FIFO with no writer would otherwise wait forever),
checked with fstat to be a regular file (devices, pipes, sockets, folders are refused), and
read only until it passes ``max_bytes``, whatever size it claims (a /proc file says 0 and may go on
for gigabytes). Paths are never put through ``Path.resolve()``, which raises RuntimeError on a
symlink loop on Python ≤ 3.12; ``resolved`` is a version that never raises.
"""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

Text = tuple[str, str]   # (zh, en)

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
_CHUNK = 1 << 20

_REASONS: dict[str, Text] = {
    "missing": ("文件不存在", "file not found"),
    "permission": ("无权限读取", "no permission to read it"),
    "name_too_long": ("文件名过长", "the file name is too long"),
    "loop": ("符号链接循环", "a symbolic-link loop"),
    "bad_name": ("文件名含非法字符", "the file name holds a character that is not allowed"),
}
_ERRNO_KINDS = {errno.ENOENT: "missing", errno.ENOTDIR: "missing", errno.EACCES: "permission",
                errno.EPERM: "permission", errno.ENAMETOOLONG: "name_too_long", errno.ELOOP: "loop",
                errno.EINVAL: "bad_name", errno.EISDIR: "not_regular", errno.ENXIO: "not_regular"}
_FILE_TYPES: list[tuple] = [(stat.S_ISDIR, ("文件夹", "a folder")), (stat.S_ISFIFO, ("管道", "a pipe/FIFO")),
                            (stat.S_ISCHR, ("设备", "a device")), (stat.S_ISBLK, ("设备", "a device")),
                            (stat.S_ISSOCK, ("套接字", "a socket"))]


class Unreadable(Exception):
    """A path that does not lead to a readable regular file of bounded size.

    ``kind`` is one of missing, permission, not_regular, name_too_long, loop, bad_name,
    too_large, error; ``reason`` is the (zh, en) text to show after the file's name."""

    def __init__(self, path, kind: str, reason: Text):
        super().__init__(f"{os.fsdecode(path) if isinstance(path, bytes) else path}: {reason[1]}")
        self.path = path
        self.kind = kind
        self.reason = reason


MISSING = _REASONS["missing"]


def _not_regular(what: Text) -> Text:
    return (f"不是普通文件，而是{what[0]}", f"not a regular file but {what[1]}")


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{n:,} bytes"


def _too_large(size: int | None, max_bytes: int) -> Text:
    if size is None:
        return (f"文件过大（超过 {_size(max_bytes)}）", f"too large (over {_size(max_bytes)})")
    return (f"文件过大（{_size(size)}，上限 {_size(max_bytes)}）", f"too large ({_size(size)}; the limit is "
            f"{_size(max_bytes)})")


def kind_of(exc: BaseException) -> str:
    """The kind of an error from opening or reading a path."""
    if isinstance(exc, ValueError):   # "embedded null byte", an unencodable name
        return "bad_name"
    if isinstance(exc, OSError):
        if getattr(exc, "winerror", None) == 123:   # ERROR_INVALID_NAME: < > : " | ? * in a Windows name
            return "bad_name"
        return _ERRNO_KINDS.get(exc.errno, "error")
    return "error"


def _unreadable(path, exc: BaseException) -> Unreadable:
    kind = kind_of(exc)
    if kind in ("permission", "not_regular") and _is_dir(path):   # Windows refuses to open a folder: EACCES
        return Unreadable(path, "not_regular", _not_regular(("文件夹", "a folder")))
    if kind == "not_regular":
        return Unreadable(path, kind, _not_regular(("特殊文件", "a special file")))
    if kind in _REASONS:
        return Unreadable(path, kind, _REASONS[kind])
    why = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return Unreadable(path, "error", (f"无法读取：{why}", f"cannot be read: {why}"))


def _is_dir(path) -> bool:
    try:
        return os.path.isdir(path)
    except (OSError, ValueError):
        return False


def read_file(path, max_bytes: int) -> bytes:
    """The whole content of ``path`` if it is a regular file of at most ``max_bytes`` bytes;
    otherwise ``Unreadable`` with the reason. Never blocks on a FIFO, never reads more than
    ``max_bytes`` + 1 MiB."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except (OSError, ValueError) as exc:
        raise _unreadable(path, exc) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            what = next((w for test, w in _FILE_TYPES if test(info.st_mode)), ("特殊文件", "a special file"))
            raise Unreadable(path, "not_regular", _not_regular(what))
        if info.st_size > max_bytes:
            raise Unreadable(path, "too_large", _too_large(info.st_size, max_bytes))
        chunks, total = [], 0
        while total <= max_bytes:   # st_size can be wrong (/proc says 0): stop past the bound
            chunk = os.read(fd, _CHUNK)   # whole chunks: some /proc files refuse reads of odd sizes
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > max_bytes:
            raise Unreadable(path, "too_large", _too_large(None, max_bytes))
        return b"".join(chunks)
    except OSError as exc:   # EIO from a device-backed or /proc file, EAGAIN, …
        why = exc.strerror or str(exc)
        raise Unreadable(path, "error", (f"无法读取：{why}", f"cannot be read: {why}")) from None
    finally:
        os.close(fd)


def resolved(path) -> Path:
    """``path`` made absolute with its symlinks followed as far as they lead; unlike
    ``Path.resolve()`` it never raises (a loop, a NUL byte, a name too long: the path is
    kept as written, made absolute)."""
    try:
        return Path(os.path.realpath(path))
    except (OSError, ValueError, RuntimeError):
        try:
            return Path(os.path.abspath(path))
        except (OSError, ValueError):
            return Path(path)
