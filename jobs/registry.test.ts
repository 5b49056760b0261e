import { describe, expect, it } from "vitest";
import { allQueueNames, jobDefinitions } from "./definitions";
import { processors } from "./registry";

describe("job registry", () => {
  it("has one processor per job definition and unique queue names", () => {
    const processed = processors.map((p) => p.definition.queue).sort();
    expect(processed).toEqual([...allQueueNames].sort());
    expect(new Set(allQueueNames).size).toBe(jobDefinitions.length);
  });

  it("uses queue names BullMQ accepts in keys and job ids", () => {
    for (const name of allQueueNames) expect(name).toMatch(/^[a-z0-9-]+$/);
  });

  it("bounds retained finished jobs for every queue", () => {
    for (const definition of jobDefinitions) {
      expect(definition.options.removeOnComplete).toMatchObject({ count: expect.any(Number) });
      expect(definition.options.removeOnFail).toMatchObject({ count: expect.any(Number) });
    }
  });
});
