"""What the generator reads, and how much: only regular files inside the repository, each within its limit.

Content arrives by pull request and is built before anyone has reviewed it (.github/workflows/check.yml),
so a file may be hostile or broken: a symlink to ``/etc/passwd`` that a build would copy into ``site/``,
a FIFO that blocks a read forever, a 1 GB "image", a 600-byte YAML alias bomb. Every read of
``plan.yaml``, ``plans/``, ``content/`` and ``mkdocs.yml`` goes through this module:

* no symlink is followed: not the file, not a folder between the repository and the file;
* nothing but a regular file is opened (``O_NOFOLLOW | O_NONBLOCK``, checked again with ``fstat``);
* nothing larger than its limit is read (YAML and Markdown 256 KiB, images 5 MiB);
* only image files (and PDF) are copied from ``content/images/``, and an SVG with script is refused.

Each refusal is a ``Problem`` at the path, in Japanese, like any other content error. The limits on
work inside a file (nesting depth, anchors and aliases) are in ``yaml_strict.py``, the cap on the
problems printed in ``cli.py``; SECURITY.md lists them all, with what was tried and measured.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

from generator.model.errors import Problem, clip

MAX_TEXT_BYTES = 256 * 1024  # one YAML or Markdown file (the largest real one is under 10 KiB)
MAX_IMAGE_BYTES = 5 * 1024 * 1024  # one file under content/images/ (a phone photo, uncompressed, is 3-8 MiB)
MAX_PROBLEMS_SHOWN = 200  # printed by the command line (errors first); the rest are counted
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg", ".pdf")
SCANNED = ("content", "plans", "out")  # folders where no symlink or special file may be, anywhere
TOP_LEVEL = ("plan.yaml", "mkdocs.yml", "build", "site")  # and these may not be symlinks themselves
IMAGES = Path("content") / "images"

# What makes an SVG a program when it is opened on its own (as a page of our site, where no CSP applies).
_ACTIVE_SVG = re.compile(rb"<\s*(?:script|foreignobject|iframe|embed|object|!entity)\b|\son[a-z]+\s*=|javascript:", re.I)


def _kib(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MiB" if size >= 1024 * 1024 else f"{(size + 1023) // 1024} KiB"


def _limit_text(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MiB" if limit % (1024 * 1024) == 0 else f"{limit // 1024} KiB"


def rel(root: Path, path: Path) -> str:
    """``path`` as staff see it: relative to the repository (as given when it is not inside)."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def symlink_problem(root: Path, link: Path) -> Problem:
    try:
        target = os.readlink(link)
    except OSError:
        target = "?"
    return Problem(
        rel(root, link),
        0,
        0,
        f"シンボリックリンクは使えません（{clip(target)} を指しています）。"
        "リンクを消して、実際のファイルをこの場所に置いてください",
    )


def _special_problem(root: Path, path: Path) -> Problem:
    return Problem(rel(root, path), 0, 0, "通常のファイルではありません（名前付きパイプ・デバイスなど）。削除してください")


def size_problem(rel_path: str, size: int, limit: int) -> Problem:
    if Path(rel_path).suffix.lower() in IMAGE_SUFFIXES:
        advice = "画像なら幅 2,000 ピクセル程度に縮小するか、圧縮して保存し直してください"
    else:
        advice = "ファイルを分けるか、内容を減らしてください"
    return Problem(rel_path, 0, 0, f"ファイルが大きすぎます（{_kib(size)}。上限は {_limit_text(limit)}）。{advice}")


def outside_problem(root: Path, path: Path) -> Problem | None:
    """A path that leaves the repository (``..``, or a symlink on the way), or None. Only folders
    below ``root`` are looked at: ``root`` itself may sit behind a symlink (it is resolved first)."""
    path = Path(os.path.normpath(path))
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return Problem(rel(root, path), 0, 0, "リポジトリの外のファイルは読めません。リポジトリの中のファイルを指定してください")
    current = root
    for part in parts:
        current = current / part
        if current.is_symlink():
            return symlink_problem(root, current)
    return None


def read_bytes(root: Path, path: Path, limit: int) -> tuple[bytes | None, list[Problem]]:
    """The bytes of a regular file inside ``root``, never through a symlink, at most ``limit``; or a problem."""
    if problem := outside_problem(root, path):
        return None, [problem]
    try:
        fd = os.open(
            path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
        )
    except OSError as error:
        if error.errno == errno.ELOOP:  # a symlink put there since we looked
            return None, [symlink_problem(root, path)]
        if error.errno == errno.ENOENT:
            return None, [Problem(rel(root, path), 0, 0, "ファイルがありません")]
        return None, [Problem(rel(root, path), 0, 0, f"ファイルを読めません（{error.strerror}）")]
    with os.fdopen(fd, "rb") as file:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode):
            return None, [_special_problem(root, path)]
        if info.st_size > limit:
            return None, [size_problem(rel(root, path), info.st_size, limit)]
        data = file.read(limit + 1)
    if len(data) > limit:  # grew while we read
        return None, [size_problem(rel(root, path), len(data), limit)]
    return data, []


def decode(rel_path: str, data: bytes) -> tuple[str | None, list[Problem]]:
    """UTF-8 (a byte-order mark is dropped), or a problem at the line of the first bad byte."""
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        col = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        return None, [
            Problem(rel_path, line, col, f"文字コードが UTF-8 ではありません（{error.reason}）。UTF-8 で保存してください")
        ]


def read_text(root: Path, path: Path, limit: int = MAX_TEXT_BYTES) -> tuple[str | None, list[Problem]]:
    """A YAML or Markdown file as text, by the rules of ``read_bytes``."""
    data, problems = read_bytes(root, path, limit)
    if data is None:
        return None, problems
    return decode(rel(root, path), data)


def entries(root: Path, folder: Path) -> tuple[list[Path], list[Problem]]:
    """The regular files and folders directly in ``folder`` (sorted), never following a symlink;
    each symlink and special file is a problem. A missing folder has no entries."""
    if problem := outside_problem(root, folder):
        return [], [problem]
    if not folder.is_dir():
        return [], []
    found, problems = [], []
    with os.scandir(folder) as listing:
        for entry in listing:
            path = Path(entry.path)
            if entry.is_symlink():
                problems.append(symlink_problem(root, path))
            elif entry.is_dir(follow_symlinks=False) or entry.is_file(follow_symlinks=False):
                found.append(path)
            else:
                problems.append(_special_problem(root, path))
    return sorted(found), problems


def walk(root: Path, folder: Path) -> tuple[list[Path], list[Problem]]:
    """Every regular file under ``folder`` (sorted), never following a symlink; each symlink (to a
    file or a folder) and special file is a problem. A loop of folders cannot occur without a symlink."""
    files: list[Path] = []
    problems: list[Problem] = []
    stack = [folder]
    while stack:
        found, more = entries(root, stack.pop())
        problems += more
        for path in found:
            (stack if path.is_dir() else files).append(path)
    return sorted(files), sorted(problems)


def scan(root: Path) -> list[Problem]:
    """Every symlink, special file and unfit image in the content: ``plan.yaml`` and all of ``content/``
    and ``plans/``, even where nothing is read (a reviewer cannot tell a symlink from a file in a diff);
    and a symlink where the generator writes (``build/``, ``site/``, ``out/``), which would send its
    output outside the repository (``build/`` itself the generator cleans of symlinks before writing)."""
    problems = []
    for name in TOP_LEVEL:
        if (root / name).is_symlink():
            problems.append(symlink_problem(root, root / name))
    for name in SCANNED:
        files, found = walk(root, root / name)
        problems += found
    images, _ = walk(root, root / IMAGES)
    for path in images:
        problems += image_problems(root, path, path.lstat().st_size)
    return problems


def image_problems(root: Path, path: Path, size: int, data: bytes | None = None) -> list[Problem]:
    """A file under content/images/ that is not an image within the limit, or an SVG that would run script."""
    if path.name.startswith("."):
        return []
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        return [
            Problem(
                rel(root, path),
                0,
                0,
                f"content/images/ には画像（{'、'.join(s.lstrip('.') for s in IMAGE_SUFFIXES)}）だけを置いてください",
            )
        ]
    if size > MAX_IMAGE_BYTES:
        return [size_problem(rel(root, path), size, MAX_IMAGE_BYTES)]
    if path.suffix.lower() == ".svg":
        if data is None:
            data, problems = read_bytes(root, path, MAX_IMAGE_BYTES)
            if data is None:
                return problems
        if _ACTIVE_SVG.search(data):
            return [
                Problem(
                    rel(root, path),
                    0,
                    0,
                    "SVG 画像にスクリプト（<script>、onload= など）が含まれています。"
                    "PNG で保存し直すか、スクリプトのない SVG にしてください",
                )
            ]
    return []


def images(root: Path) -> tuple[dict[str, bytes], list[Problem]]:
    """The files of content/images/ to publish under ``images/``, by path; hidden files (``.gitkeep``) stay out."""
    files, problems = walk(root, root / IMAGES)
    found: dict[str, bytes] = {}
    for path in files:
        if path.name.startswith("."):
            continue
        data, more = read_bytes(root, path, MAX_IMAGE_BYTES)
        if data is not None:
            more = image_problems(root, path, len(data), data)
        problems += more
        if data is not None and not more:
            found[path.relative_to(root / IMAGES).as_posix()] = data
    return found, problems
