"""The few builder settings the generator needs too, read from ``mkdocs.yml`` without MkDocs."""

from __future__ import annotations

import re
from pathlib import Path

from generator.model.errors import Problem
from generator.reading.limits import read_text


def read_site_url(root: Path) -> tuple[str, list[Problem]]:
    """``site_url`` (ending in ``/``): feeds, calendars and share cards need absolute URLs."""
    config = root / "mkdocs.yml"
    text, problems = read_text(root, config) if config.exists() or config.is_symlink() else ("", [])
    if text is None:
        return "", problems
    match = re.search(r"^site_url:\s*['\"]?(https?://[^\s'\"#]+)", text, re.M)
    if not match:
        return "", [Problem("mkdocs.yml", 0, 0, "site_url（公開先の URL、https:// から）を書いてください")]
    url = match.group(1)
    return (url if url.endswith("/") else url + "/"), []
