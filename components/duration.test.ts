import { describe, expect, it } from "vitest";
import { formatDuration } from "./duration";

describe("formatDuration", () => {
  it("shows the two largest units", () => {
    expect(formatDuration(0)).toBe("0 s");
    expect(formatDuration(59.4)).toBe("59 s");
    expect(formatDuration(95)).toBe("1 min");
    expect(formatDuration(3_600)).toBe("1 h");
    expect(formatDuration(7_500)).toBe("2 h 5 min");
    expect(formatDuration(86_400)).toBe("1 d");
    expect(formatDuration(200_000)).toBe("2 d 7 h");
  });
});
