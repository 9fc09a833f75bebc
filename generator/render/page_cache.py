"""Pages kept between two renders of the same site, for ``serve``: a page is rendered again only
when what it is made from changed.

A renderer that uses it names a page's inputs besides what every page may read (today, the site
URL, the plans: when one of those changes, every kept page is dropped). Inputs are compared by
identity first (``serve`` loads unchanged files into the very same frozen objects, see
``load_site(cache=)``), then by equality. ``build`` renders once and passes no cache: renderers
behave exactly as without it. tests/test_serve.py checks that pages rendered with the cache after
edits are those rendered from scratch.
"""

from __future__ import annotations

from typing import Callable, Hashable


def _same(a: object, b: object) -> bool:
    return a is b or a == b  # tuples compare their items by identity first, then equality


class PageCache:
    def __init__(self) -> None:
        self._context: tuple | None = None
        self._pages: dict[Hashable, tuple[tuple, str]] = {}

    def start(self, site) -> None:
        """Before rendering ``site``: drop every page if what all pages read changed."""
        context = (site.today, site.site_url, site.plans, site.plan)
        if self._context is None or not _same(context, self._context):
            self._pages.clear()
        self._context = context

    def page(self, key: Hashable, inputs: tuple, render: Callable[[], str]) -> str:
        kept = self._pages.get(key)
        if kept is not None and _same(kept[0], inputs):
            return kept[1]
        text = render()
        self._pages[key] = (inputs, text)
        return text


def kept(cache: PageCache | None, key: Hashable, inputs: tuple, render: Callable[[], str]) -> str:
    """``render()``, or the page kept in ``cache`` for the same ``key`` and ``inputs``."""
    return render() if cache is None else cache.page(key, inputs, render)
