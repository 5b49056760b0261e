// Global setup of the integration tests: a folder where every test file leaves the answers its
// registry operations gave (tests/setup/record-responses.ts), and at the end of the run the
// check of each of them against the OpenAPI document that declares the operation — its status,
// content type and body schema. A mismatch fails the run (exit code 1) and is written to
// test-artifacts/response-contract.json.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import type { RecordedResponse } from "../helpers/response-contract";

declare module "vitest" {
  export interface ProvidedContext {
    responseRecordDir: string;
  }
}

const artifacts = path.resolve(import.meta.dirname, "../../test-artifacts");

export default function setup(project: TestProject) {
  const dir = mkdtempSync(path.join(tmpdir(), "gh-responses-"));
  project.provide("responseRecordDir", dir);

  return async () => {
    try {
      const records: RecordedResponse[] = readdirSync(dir).flatMap((name) =>
        readFileSync(path.join(dir, name), "utf8")
          .split("\n")
          .filter(Boolean)
          .map((line) => JSON.parse(line) as RecordedResponse),
      );
      if (records.length === 0) return;
      // Loaded here, not at the top: the registry pulls in the whole app, which only this step needs.
      const { createResponseChecker } = await import("../helpers/response-contract");
      const check = createResponseChecker();
      const problems = new Map<string, { problem: string; files: Set<string>; count: number }>();
      const operations = new Set<string>();
      for (const record of records) {
        operations.add(record.operationId);
        const problem = check(record);
        if (!problem) continue;
        // One entry per operation, status and kind of problem; the first occurrence is the example.
        const [where, kind = ""] = problem.split(":");
        const key = `${where}:${kind.slice(0, 40)}`;
        const entry = problems.get(key) ?? { problem, files: new Set(), count: 0 };
        entry.count += 1;
        entry.files.add(record.file ?? "unknown");
        problems.set(key, entry);
      }
      const summary = `response contract: ${records.length} recorded answers of ${operations.size} operations checked against the OpenAPI documents, ${problems.size} kinds of mismatch`;
      console.log(summary);
      mkdirSync(artifacts, { recursive: true });
      writeFileSync(
        path.join(artifacts, "response-contract.json"),
        JSON.stringify({ summary, operations: [...operations].sort(), mismatches: [...problems.values()].map((p) => ({ ...p, files: [...p.files] })) }, null, 2),
      );
      if (problems.size > 0) {
        const lines = [...problems.values()].map((p) => `- ${p.problem} (×${p.count}, in ${[...p.files].join(", ")})`);
        console.error(`\nFAIL ${summary}:\n${lines.join("\n")}\n`);
        // Vitest 4.1 logs an error thrown by a global teardown but still exits 0 (and skips the
        // teardowns after it), so the run is failed through the exit code instead.
        process.exitCode = 1;
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
