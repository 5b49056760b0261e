// An import resolver (eslint-module-utils interface v2) for eslint-plugin-boundaries, which sorts
// each import into a layer by the file it resolves to. It resolves tsconfig's "@/…" alias and
// relative paths the way TypeScript does (no extension, index files, ".js" naming a ".ts" file);
// package names resolve into node_modules, which the plugin treats as external.
const fs = require("node:fs");
const path = require("node:path");
const { createRequire } = require("node:module");

const root = path.resolve(__dirname, "../..");
const extensions = [".ts", ".tsx", ".js", ".mjs", ".cjs", ".json"];

function isFile(candidate) {
  try {
    return fs.statSync(candidate).isFile();
  } catch {
    return false;
  }
}

function resolveLocal(base) {
  const candidates = [base, ...extensions.map((e) => base + e), ...extensions.map((e) => path.join(base, "index" + e))];
  if (base.endsWith(".js")) candidates.push(base.slice(0, -3) + ".ts", base.slice(0, -3) + ".tsx");
  return candidates.find(isFile) ?? null;
}

exports.interfaceVersion = 2;

exports.resolve = function resolve(source, file) {
  if (source.startsWith("@/")) {
    const found = resolveLocal(path.join(root, source.slice(2)));
    return { found: found !== null, path: found };
  }
  if (source.startsWith(".")) {
    const found = resolveLocal(path.resolve(path.dirname(file), source));
    return { found: found !== null, path: found };
  }
  try {
    return { found: true, path: createRequire(file).resolve(source) };
  } catch {
    return { found: false };
  }
};
