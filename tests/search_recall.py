"""Search recall: does every noun on an indexed page find that page?

The oracle is an analyser nobody here wrote: SudachiPy with sudachidict_core (pinned in
the test group of pyproject.toml). For every page of a built site that Pagefind indexes, the text Pagefind indexes
(inside ``data-pagefind-body``, outside ``data-pagefind-ignore``) is cut into morphemes in Sudachi's
short (A) and long (C) units; every noun (名詞) of either is a query. The queries go to the real
index in Chromium through Pagefind's JavaScript API, run the way the site's search page runs them
(``assets/search-query.js``), and the question for each (noun, page) pair is:

* found: the page is among the first 10 results, or the first 10 results are 10 pages that all
  hold the noun (a word on more than 10 pages cannot bring every one of them into the top 10).

Used by tests/browser/test_search_recall.py (a deterministic sample) and, for the full measurement
that BENCHMARKS.md records, by ``.venv/bin/python tests/search_recall.py SITE_DIR``.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from lxml import html as lxml_html

TOP = 10
NOUN = "名詞"
NUMERAL = "数詞"  # 2025, 18, 三: numbers are not words a visitor searches alone (dates have their own tests)


# What Pagefind leaves out of the index even inside data-pagefind-body (pagefind/src/fossick/parser.rs,
# REMOVE_SELECTORS), and the elements that do not end a word (INLINE_SELECTORS).
NOT_INDEXED = ("head", "style", "script", "noscript", "label", "form", "svg", "footer", "nav", "iframe", "template")
INLINE = frozenset({"a", "abbr", "acronym", "b", "bdo", "big", "button", "cite", "code", "dfn", "em", "i", "img",
                    "input", "kbd", "map", "object", "output", "q", "samp", "select", "small", "span", "strong",
                    "sub", "sup", "textarea", "time", "tt", "var", "mark", "s", "u"})


def indexed_text(document: str) -> str:
    """The text Pagefind indexes on a page: ``data-pagefind-body`` elements less ``data-pagefind-ignore``
    ones and the elements Pagefind never indexes; a block element's edges end a word."""
    tree = lxml_html.fromstring(document)
    parts = []
    for body in tree.xpath("//*[@data-pagefind-body]"):
        dropped = " | ".join(f".//{tag}" for tag in NOT_INDEXED)
        for element in body.xpath(f".//*[@data-pagefind-ignore] | {dropped}"):
            element.drop_tree()
        for element in body.iter():
            if isinstance(element.tag, str) and element.tag not in INLINE:
                element.text = "\n" + (element.text or "")
                element.tail = "\n" + (element.tail or "")
        parts.append(body.text_content())
    return re.sub(r"\s+", " ", " ".join(parts)).strip()


def indexed_pages(site: Path) -> dict[str, str]:
    """``{url: indexed text}`` for every page of the built site that Pagefind indexes."""
    pages = {}
    for file in sorted(site.rglob("*.html")):
        if "pagefind" in file.relative_to(site).parts:
            continue
        document = file.read_text(encoding="utf-8")
        if "data-pagefind-body" not in document:
            continue
        relative = file.relative_to(site).as_posix()
        url = "/" + (relative[: -len("index.html")] if relative.endswith("index.html") else relative)
        pages[url] = indexed_text(document)
    return pages


def _tokenizer():
    from sudachipy import Dictionary

    return Dictionary(dict="core").tokenizer()


def nouns(text: str, tokenizer=None) -> set[str]:
    """Sudachi's nouns in short (A) and long (C) units. Single symbols and spaces are not words."""
    from sudachipy import SplitMode

    tokenizer = tokenizer or _tokenizer()
    found = set()
    for chunk in re.split(r"[\s　]+", text):  # Sudachi reads at most ~49 KB at once; spaces end words anyway
        if not chunk:
            continue
        for mode in (SplitMode.A, SplitMode.C):
            for morpheme in tokenizer.tokenize(chunk, mode):
                word = morpheme.surface().strip()
                pos = morpheme.part_of_speech()
                if pos[0] == NOUN and pos[1] != NUMERAL and any(unicodedata.category(c)[0] in "LN" for c in word):
                    found.add(word)
    return found


@dataclass
class Oracle:
    pages: dict[str, str]                                      # url -> indexed text
    where: dict[str, set[str]] = field(default_factory=dict)   # noun -> urls where Sudachi finds it
    holds: dict[str, set[str]] = field(default_factory=dict)   # noun -> urls whose text holds it at all

    @classmethod
    def of(cls, site: Path) -> "Oracle":
        pages = indexed_pages(site)
        tokenizer = _tokenizer()
        where: dict[str, set[str]] = defaultdict(set)
        for url, text in pages.items():
            for word in nouns(text, tokenizer):
                where[word].add(url)
        # A page that holds the noun inside a longer word (それを含む別の語) is not required, but it is
        # a right answer too.
        folded = {url: text.lower() for url, text in pages.items()}
        holds = {word: {url for url, text in folded.items() if word.lower() in text} | urls for word, urls in where.items()}
        return cls(pages, dict(where), holds)

    def pairs(self) -> list[tuple[str, str]]:
        return sorted((word, url) for word, urls in self.where.items() for url in urls)

    def sample(self, size: int) -> list[str]:
        """``size`` nouns chosen by a hash of the word (the same words for the same site)."""
        ranked = sorted(self.where, key=lambda w: hashlib.sha256(w.encode()).hexdigest())
        return sorted(ranked[:size])

    def score(self, results: dict[str, list[str]], words: list[str] | None = None) -> "Score":
        words = sorted(self.where) if words is None else words
        score = Score()
        for word in words:
            top = results[word][:TOP]
            full_of_right_pages = len(top) == TOP and all(url in self.holds[word] for url in top)
            for url in sorted(self.where[word]):
                if url in top or full_of_right_pages:
                    score.found += 1
                else:
                    score.missed.append((word, url))
            if not top:
                score.nothing.append(word)
            if not any(url in self.holds[word] for url in top):
                score.no_right_page.append(word)
        score.words = len(words)
        return score


@dataclass
class Score:
    found: int = 0
    words: int = 0
    missed: list[tuple[str, str]] = field(default_factory=list)
    nothing: list[str] = field(default_factory=list)        # nouns that found no page at all
    no_right_page: list[str] = field(default_factory=list)  # nouns whose top 10 holds no page with the noun

    @property
    def pairs(self) -> int:
        return self.found + len(self.missed)

    @property
    def recall(self) -> float:
        return self.found / self.pairs if self.pairs else 1.0

    def summary(self) -> str:
        return (f"{self.words} nouns, {self.pairs} (noun, page) pairs: {self.found} found "
                f"({self.recall:.2%}); {len(self.nothing)} nouns ({len(self.nothing) / max(self.words, 1):.2%}) found nothing, "
                f"{len(self.no_right_page)} ({len(self.no_right_page) / max(self.words, 1):.2%}) no page that holds them")


# The query runs in the search page itself (its Content Security Policy, its module), in batches.
QUERY_SCRIPT = """
async ([words, top]) => {
  const query = await import(new URL("../assets/search-query.js", location.href).href);
  const out = {};
  for (const word of words) {
    const search = await query.search(word);
    const data = await Promise.all(search.results.slice(0, top).map((r) => r.data()));
    out[word] = data.map((d) => decodeURIComponent(new URL(d.url, location.href).pathname));
  }
  return out;
}
"""


def run_queries(page, words: list[str], batch: int = 200) -> dict[str, list[str]]:
    """Each word through the site's search (``page`` is the site's /search/ page), first 10 result paths."""
    results: dict[str, list[str]] = {}
    for start in range(0, len(words), batch):
        results.update(page.evaluate(QUERY_SCRIPT, [words[start:start + batch], TOP]))
    return results


def main(argv: list[str]) -> int:
    """Full measurement over every noun of a built site: ``python tests/search_recall.py SITE_DIR [--json FILE]``."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
    from time import perf_counter

    from playwright.sync_api import sync_playwright

    site = Path(argv[0]).resolve()
    started = perf_counter()
    oracle = Oracle.of(site)
    oracle_seconds = perf_counter() - started

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"])
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/search/")
            started = perf_counter()
            results = run_queries(page, sorted(oracle.where))
            query_seconds = perf_counter() - started
            browser.close()
    finally:
        httpd.shutdown()
    score = oracle.score(results)
    index_bytes = sum(f.stat().st_size for f in (site / "pagefind").rglob("*") if f.is_file())
    print(score.summary())
    print(f"pages indexed: {len(oracle.pages)}; pagefind/ {index_bytes / 1024:.0f} KiB; "
          f"oracle {oracle_seconds:.1f} s, queries {query_seconds:.1f} s")
    print("nouns that found nothing:", " ".join(score.nothing[:80]))
    print("nouns that found no page holding them:", " ".join(score.no_right_page[:80]))
    print("missed pairs (first 40):", "; ".join(f"{w} {u}" for w, u in score.missed[:40]))
    if "--json" in argv:
        Path(argv[argv.index("--json") + 1]).write_text(json.dumps(
            {"summary": score.summary(), "nothing": score.nothing, "missed": score.missed}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
