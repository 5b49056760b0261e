// Setup file of the integration tests: records every answer of a registry operation that the
// test file causes (through callApi or a front server in this process), and hands the records to
// the run's response contract check (tests/setup/response-contract.ts) when the file is done.
import { randomBytes } from "node:crypto";
import { appendFileSync } from "node:fs";
import path from "node:path";
import { afterAll, expect, inject } from "vitest";
import { observeDispatch } from "../../app/_server/routes/router";
import type { RecordedResponse } from "../helpers/response-contract";

const records: RecordedResponse[] = [];

observeDispatch((route, response) => {
  records.push({ operationId: route.id, status: response.status, contentType: response.headers["content-type"] ?? null, body: response.body });
});

afterAll(() => {
  observeDispatch(null);
  if (records.length === 0) return;
  const file = path.relative(process.cwd(), expect.getState().testPath ?? "unknown");
  const lines = records.map((r) => JSON.stringify({ ...r, file })).join("\n");
  appendFileSync(path.join(inject("responseRecordDir"), `${process.pid}-${randomBytes(4).toString("hex")}.jsonl`), `${lines}\n`);
});
