/* The site's search query: Pagefind's index (Japanese segmentation), loaded on first use.
   search.js (the search page) and the recall test (tests/search_recall.py) both call search(). */
const base = new URL("../pagefind/pagefind.js", import.meta.url).href;
let pagefind = null;

async function engine() {
  if (!pagefind) {
    pagefind = await import(base);
    await pagefind.options({ excerptLength: 40, baseUrl: new URL("../", import.meta.url).pathname });
    pagefind.init();
  }
  return pagefind;
}

/* Japanese has no spaces: Pagefind cuts the query into words (the browser's Intl.Segmenter), and
   a word the dictionary does not know comes out in pieces (よこはま: よ|こ|は|ま), which match
   pages that hold the pieces anywhere. So the pages that hold the query as written (Pagefind's
   exact search, "…") come first, in Pagefind's order of relevance, then the rest. A query already
   in quotes is left as it is. */
export async function search(query) {
  const pf = await engine();
  const text = query.trim();
  if (!text || text.includes('"')) {
    return pf.search(text);
  }
  const [exact, loose] = await Promise.all([pf.search(`"${text}"`), pf.search(text)]);
  const holds = new Set(exact.results.map((r) => r.id));
  const ranked = loose.results.filter((r) => holds.has(r.id));
  const listed = new Set(ranked.map((r) => r.id));
  const rest = exact.results.filter((r) => !listed.has(r.id));
  return { ...loose, results: [...ranked, ...rest, ...loose.results.filter((r) => !holds.has(r.id))] };
}
