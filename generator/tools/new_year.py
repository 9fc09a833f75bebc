"""Turning the fiscal year: ``plan.yaml`` goes to ``plans/YYYY.yaml`` and a draft of the next year's
plan takes its place, made from this one with its comments (the sources) kept.

The draft has ``draft: true`` and every 目標回数 empty: ``check`` lists each one, and the site says
the new plan is being prepared until staff remove ``draft``. Nothing is written unless the draft
loads as a plan.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from generator.model.errors import ContentError, Problem
from generator.reading.limits import outside_problem
from generator.reading.load_plans import load_plan
from generator.rules import dates

_FISCAL_YEAR = re.compile(r"^fiscal_year:[ \t]*(\d{4})(.*)$", re.M)
_TITLE = re.compile(r"^title:.*$", re.M)
_DRAFT = re.compile(r"^draft:.*\n", re.M)
_TARGET = re.compile(r"^([ \t]+(?:- )?)target:[ \t]*([^#\n]*?)[ \t]*(#.*)?$", re.M)


def next_year_text(text: str, year: int) -> str:
    """The next year's draft plan from this year's ``plan.yaml`` text."""
    following = year + 1
    text = _DRAFT.sub("", text)
    text = _FISCAL_YEAR.sub(
        lambda m: (
            f"fiscal_year: {following}            # {dates.format_nendo(following)} = "
            f"{following}-04-01〜{following + 1}-03-31\n"
            "draft: true                  # 作成中。計画書のとおりに書き終えたら、この行を消してください"
        ),
        text,
        count=1,
    )
    text = _TITLE.sub(
        lambda m: (
            m.group(0).replace(dates.format_nendo(year), dates.format_nendo(following)).replace(f"{year}年度", f"{following}年度")
        ),
        text,
        count=1,
    )
    return _TARGET.sub(
        lambda m: f"{m.group(1)}target:                   # 前年度: {m.group(2)}。今年度の目標回数を書いてください", text
    )


def start_new_year(root: Path, *, dry_run: bool = False) -> tuple[Path, str]:
    """Move ``plan.yaml`` to ``plans/YYYY.yaml`` and write the next year's draft. Returns the archive
    path and the draft text. ContentError (nothing written) when that cannot be done safely."""
    current = root / "plan.yaml"
    plan = load_plan(current, root)
    archive = root / "plans" / f"{plan.fiscal_year}.yaml"
    if plan.draft:
        raise ContentError(
            [
                Problem(
                    "plan.yaml",
                    1,
                    1,
                    f"plan.yaml は {plan.fiscal_year}年度の下書き（draft: true）です。"
                    "書き終えて draft の行を消してから、年度を替えてください",
                )
            ]
        )
    if problem := outside_problem(root, archive):  # a symlinked plans/ or plans/YYYY.yaml would be written through
        raise ContentError([problem])
    if archive.exists():
        raise ContentError(
            [Problem(archive.relative_to(root).as_posix(), 0, 0, "もうあります。年度替えはすでに済んでいませんか")]
        )
    text = next_year_text(current.read_text(encoding="utf-8"), plan.fiscal_year)
    with tempfile.TemporaryDirectory() as scratch:  # the draft must load before anything moves
        draft = Path(scratch) / "plan.yaml"
        draft.write_text(text, encoding="utf-8")
        load_plan(draft, Path(scratch))
    if not dry_run:
        archive.parent.mkdir(exist_ok=True)
        archive.write_bytes(current.read_bytes())
        current.write_text(text, encoding="utf-8")
    return archive, text
