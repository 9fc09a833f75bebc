"""Every mistake staff can make in a content file fails ``check`` with the right line and advice.

Each file in tests/bad_inputs/ is one complete file with exactly one mistake. Its header says
where it goes and what must be reported::

    # place: content/events/2025/        (a folder: the file keeps its name; or a full path)
    # expect: 7:8 時刻は HH:MM           (line[:col] in this file, then a fragment of the message)
    # args: --strict                     (optional: for a warning, which fails check --strict)

Adding a case is adding a file; this module only reads the headers.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path

import pytest

from conftest import make_root
from generator.cli import main
from generator.reading.load import load_site

CORPUS = Path(__file__).parent / "bad_inputs"
FILES = sorted(CORPUS.glob("*.yaml"))
HEADER = re.compile(r"# place: (?P<place>\S+)\n# expect: (?P<line>\d+)(?::(?P<col>\d+))? (?P<fragment>\S.*)\n(?:# args: (?P<args>.*)\n)?")
TODAY = "2025-06-01"


@dataclass(frozen=True)
class Case:
    file: Path
    target: str  # where the file goes, relative to the site root
    where: str   # ``path:line:`` or ``path:line:col:``, as the message must start
    fragment: str
    args: tuple[str, ...] = ()


def read_case(file: Path) -> Case:
    match = HEADER.match(file.read_text(encoding="utf-8"))
    assert match, f"{file.name}: must start with '# place: …' and '# expect: LINE[:COL] fragment'"
    place = match["place"]
    target = place + file.name if place.endswith("/") else place
    where = f"{target}:{match['line']}:" + (f"{match['col']}:" if match["col"] else "")
    return Case(file, target, where, match["fragment"], tuple((match["args"] or "").split()))


def site_with(tmp_path: Path, case: Case) -> Path:
    root = make_root(tmp_path, "mini")
    destination = root / case.target
    destination.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(case.file, destination)
    return root


def run_cli(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.mark.parametrize("file", FILES, ids=[f.name for f in FILES])
def test_check_reports_the_mistake_where_it_is(tmp_path, capsys, file):
    case = read_case(file)
    code, output = run_cli(capsys, "check", "--root", str(site_with(tmp_path, case)), "--today", TODAY, *case.args)
    assert code == 1, output
    lines = [line for line in output.splitlines() if line.startswith(case.where)]
    assert lines, f"nothing reported at {case.where}:\n{output}"
    assert any(case.fragment in line for line in lines), f"{case.where} does not say {case.fragment!r}:\n{output}"
    summary = r"^警告 \d+件（--strict のため失敗にしました）$" if "--strict" in case.args else r"^エラー \d+件（1ファイル）$"
    assert re.search(summary, output, re.M), output


def test_build_fails_and_writes_nothing(tmp_path, capsys):
    case = read_case(CORPUS / "start-not-hhmm.yaml")
    root = site_with(tmp_path, case)
    out = tmp_path / "site"
    code, output = run_cli(capsys, "build", "--root", str(root), "--today", TODAY, "--out", str(out))
    assert code == 1
    assert case.where in output and "サイトを作りました" not in output
    assert not out.exists() and not (root / "build").exists()
    assert not list(tmp_path.glob(".site-*"))


def test_the_corpus_covers_many_mistakes_each_with_a_header():
    assert len(FILES) >= 20
    assert sorted(p.name for p in CORPUS.iterdir()) == [f.name for f in FILES], "only .yaml cases belong in bad_inputs/"
    for file in FILES:
        case = read_case(file)
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*\.yaml", file.name), "a file name must be a valid event id"
        assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", case.fragment), f"{file.name}: expect a Japanese fragment"


def test_an_unquoted_time_is_not_a_mistake(tmp_path):
    """The YAML 1.1 base-60 trap (``10:30`` read as 630) does not apply: the loader reads YAML 1.2."""
    root = make_root(tmp_path, "mini")
    folder = root / "content/events/2025"
    folder.mkdir(parents=True)
    (folder / "unquoted.yaml").write_text(
        "title: 講座\nprogram: oyako\ndate: 2025-06-14\nstart: 10:30\nend: 11:45\nvenue: 研修室\n", encoding="utf-8")
    (record,) = load_site(root, date(2025, 6, 1)).events
    assert (record.item.start, record.item.end) == (time(10, 30), time(11, 45))
