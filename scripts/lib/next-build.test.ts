import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildIsCurrent, recordBuild, sourceHash } from "./next-build";

let root: string;
afterEach(() => rmSync(root, { recursive: true, force: true }));

function write(file: string, text: string): void {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
}

describe("build staleness", () => {
  it("is stale without a build, current after recording it, stale again when a source changes", () => {
    root = mkdtempSync(path.join(tmpdir(), "gh-build-"));
    write("app/page.tsx", "export default function Page() { return null; }");
    write("lib/thing.ts", "export const a = 1;");
    write("next.config.js", "export default {};");
    const hash = sourceHash(root);
    expect(buildIsCurrent(root, hash)).toBe(false);

    write(".next/BUILD_ID", "abc");
    recordBuild(root, hash);
    expect(buildIsCurrent(root, sourceHash(root))).toBe(true);

    // Tests are not part of the build.
    write("lib/thing.test.ts", "it('x', () => {});");
    expect(buildIsCurrent(root, sourceHash(root))).toBe(true);

    write("lib/thing.ts", "export const a = 2;");
    expect(buildIsCurrent(root, sourceHash(root))).toBe(false);
  });
});
