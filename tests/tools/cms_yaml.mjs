// Writes files as the browser editor (Sveltia CMS, /admin/) does, for tests/test_admin.py: the same
// library (yaml 2.9.1, the version the editor's bundle is built with) and the same settings as the
// bundle's own writer (c2 and gDe in dist/sveltia-cms.js; tests/test_admin.py checks the bundle still
// has them), with admin/config.yml's output options (every string double-quoted, 2-space indent).
// Input on stdin: [{"format": "yaml"|"frontmatter", "data": {...}, "body": "..."}]; output: a JSON list of texts.
import { readFileSync } from "node:fs";
import { stringify } from "yaml";

const OPTIONS = { indent: 2, indentSeq: true, lineWidth: 0, defaultKeyType: "PLAIN", defaultStringType: "QUOTE_DOUBLE", singleQuote: false };

function yamlText(data) {
  return stringify(data, null, OPTIONS).trim();
}

const files = JSON.parse(readFileSync(0, "utf8"));
const out = files.map(({ format, data, body }) => {
  if (format === "yaml") return `${yamlText(data)}\n`;
  if (!Object.keys(data).length) return `${body || ""}\n`;
  return `---\n${yamlText(data)}\n---\n${body ? `\n${body}\n` : ""}`;
});
process.stdout.write(JSON.stringify(out));
