"""A page of the site as a value: what the renderers return and the builder bridge hands on.

A generated page holds finished HTML (``html``: the page's wrapper and content, its ``<h1>`` first);
a hand-written page (content/pages/) holds its Markdown (``markdown``), which the HTML builder converts.
Its metadata are fields, never text to parse back: the front matter that MkDocs reads is written from
them (``templating.front_matter``, templates/_front_matter.md.j2), and ``templating.document`` makes the
whole page one Markdown file, for any builder that reads files (``generate()``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    path: str  # in the docs folder: "events/oyako-hiroba.md" (MkDocs makes events/oyako-hiroba/index.html)
    title: str
    description: str
    kind: str  # the page's class, page--KIND (its styles); "custom" for a hand-written page
    html: str = ""  # a generated page: wrapper and content, finished
    markdown: str | None = None  # a hand-written page: its Markdown body, for the builder to convert
    searchable: bool = True  # in the search index (data-pagefind-body)
    unlisted: bool = False  # in neither the search index nor the sitemap (theme/sitemap.xml reads it)
    image: str = ""  # share card image (docs path) and its text
    image_alt: str = ""
    feed: str = ""  # the page's own feed, announced in <head>
    wide: bool = False  # no navigation sidebar (hide: navigation)
    hide_toc: bool = True  # generated pages have no table of contents; hand-written ones keep MkDocs'

    @property
    def hand_written(self) -> bool:
        return self.markdown is not None

    @property
    def indexed(self) -> bool:
        return self.searchable and not self.unlisted
