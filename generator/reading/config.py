"""The builder's settings that the generator needs too, read from ``mkdocs.yml`` with MkDocs' own YAML
loader (its ``!ENV`` and ``!!python`` tags read as MkDocs reads them), so that mkdocs.yml is their one source:

* ``site_url``: feeds, calendars and share cards need absolute URLs;
* ``docs_dir``, ``theme.custom_dir`` and ``hooks``: where the generator writes the docs folder, the theme
  overrides and the hook (publish/build.py); each must lie in ``build/``, which the generator owns and
  empties of everything it did not write;
* ``markdown_extensions``: how MkDocs converts a hand-written page, which the link check repeats to find
  the page's anchors (reading/markdown.py ``page_html``).

MkDocs' config validation is not run here: it would ask for the hook file, which a build writes first."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from generator.model.errors import Problem
from generator.reading.limits import read_text

GENERATED_ROOT = "build"  # git-ignored; the generator writes there only
ALWAYS = ("toc", "tables", "fenced_code")  # the extensions MkDocs adds to every site's list


@dataclass(frozen=True)
class BuilderConfig:
    site_url: str = ""
    docs_dir: str = "build/docs"
    theme_dir: str = "build/theme"
    hooks: tuple[str, ...] = ("build/mkdocs_hooks.py",)
    extensions: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...] = tuple((name, ()) for name in ALWAYS)

    @property
    def extension_names(self) -> list[str]:
        return [name for name, _ in self.extensions]

    @property
    def extension_configs(self) -> dict[str, dict[str, Any]]:
        return {name: dict(options) for name, options in self.extensions if options}


def _extensions(listed: list | None) -> tuple[tuple[str, tuple[tuple[str, Any], ...]], ...]:
    """mkdocs.yml's list (names, or one-key mappings to options) after MkDocs' own three, hashable."""
    found: dict[str, tuple[tuple[str, Any], ...]] = {name: () for name in ALWAYS}
    for entry in listed or []:
        name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
        found[name] = tuple(sorted((options or {}).items()))
    return tuple(found.items())


def _inside_build(key: str, value: Any) -> list[Problem]:
    path = PurePosixPath(str(value))
    if path.is_absolute() or ".." in path.parts or path.parts[:1] != (GENERATED_ROOT,) or len(path.parts) < 2:
        return [
            Problem(
                "mkdocs.yml",
                0,
                0,
                f"{key} は {GENERATED_ROOT}/ の中にしてください（生成したファイルを書き、"
                f"書かなかったファイルを消す場所です）。'{value}' になっています",
            )
        ]
    return []


def _site_url(value: Any) -> tuple[str, list[Problem]]:
    url = str(value or "")
    if not url.startswith(("https://", "http://")):
        return "", [Problem("mkdocs.yml", 0, 0, "site_url（公開先の URL、https:// から）を書いてください")]
    return (url if url.endswith("/") else url + "/"), []


def parse_builder_config(text: str) -> tuple[BuilderConfig | None, list[Problem]]:
    from mkdocs.utils.yaml import yaml_load  # the builder's own loader (MkDocs is only imported here in reading/)

    try:
        data = yaml_load(text)
    except Exception as error:  # noqa: BLE001 - any YAML or tag error: a sentence for staff
        return None, [Problem("mkdocs.yml", 0, 0, f"mkdocs.yml を読めません: {error}")]
    if not data:
        return None, _site_url(None)[1]
    if not isinstance(data, dict):
        return None, [Problem("mkdocs.yml", 0, 0, "mkdocs.yml の一番上は「項目: 値」の並びにしてください")]
    theme = data["theme"] if isinstance(data.get("theme"), dict) else {}
    site_url, problems = _site_url(data.get("site_url"))
    config = BuilderConfig(
        site_url=site_url,
        docs_dir=str(data.get("docs_dir", "docs")),
        theme_dir=str(theme.get("custom_dir", "")),
        hooks=tuple(str(h) for h in data.get("hooks") or ()),
        extensions=_extensions(data.get("markdown_extensions")),
    )
    problems += _inside_build("docs_dir", config.docs_dir) + _inside_build("theme.custom_dir", config.theme_dir)
    problems += [p for hook in config.hooks for p in _inside_build("hooks", hook)]
    return (None if problems else config), problems


def read_builder_config(root: Path) -> tuple[BuilderConfig | None, list[Problem]]:
    config = root / "mkdocs.yml"
    text, problems = read_text(root, config) if config.exists() or config.is_symlink() else ("", [])
    if text is None:
        return None, problems
    return parse_builder_config(text)
