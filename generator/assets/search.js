/* Site search with Pagefind (Japanese segmentation). Loaded only on the search page,
   and Pagefind's index only when a query is made (search-query.js). */
import { search } from "./search-query.js";

const form = document.querySelector(".site-search");
const input = document.getElementById("search-query");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");

function item(data) {
  const li = document.createElement("li");
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  const excerpt = document.createElement("p");
  excerpt.innerHTML = data.excerpt;  // Pagefind escapes page text; only <mark> is added
  li.append(link, excerpt);
  return li;
}

async function run(query) {
  list.replaceChildren();
  if (!query.trim()) {
    status.textContent = "";
    return;
  }
  status.textContent = "検索しています…";
  const found = await search(query);
  const results = await Promise.all(found.results.slice(0, 20).map((r) => r.data()));
  list.replaceChildren(...results.map(item));
  status.textContent = results.length
    ? `「${query}」の検索結果: ${found.results.length}件`
    : `「${query}」に一致するページは見つかりませんでした。`;
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const query = input.value;
  history.replaceState(null, "", `?q=${encodeURIComponent(query)}`);
  run(query);
});

// Arriving from the header's search button (on a phone: ?q= with nothing typed), the cursor is in the field.
const params = new URLSearchParams(location.search);
const initial = params.get("q");
if (initial && initial.trim()) {
  input.value = initial;
  run(initial);
} else if (params.has("q")) {
  input.focus();
}
