import { describe, expect, it } from "vitest";
import { maskPhonesInText, maskTargetInput, targetInputForRole, textForRole } from "./mask-input";

describe("masking phones as typed", () => {
  it("masks a target entry whatever its format, keeping registration ids", () => {
    expect(maskTargetInput("+33612345678")).toBe("+336••••••78");
    expect(maskTargetInput("+33 6 12 34 56 78")).toBe("+336••••••78");
    expect(maskTargetInput("06 12 34 56 78")).toBe("•• •• •• •• 78");
    expect(maskTargetInput("+3361234567x")).not.toContain("1234567");
    expect(maskTargetInput("0c3f4a52-8f3e-4c1a-9a59-0a4b4f3c2d11")).toBe("0c3f4a52-8f3e-4c1a-9a59-0a4b4f3c2d11");
    expect(targetInputForRole("support", "06 12 34 56 78")).toBe("06 12 34 56 78");
    expect(targetInputForRole("product", null)).toBeNull();
  });

  it("masks numbers quoted in free text, and leaves ids, dates and counts alone", () => {
    expect(maskPhonesInText("400: the To number +33612345678 is not a valid mobile")).toBe("400: the To number +336••••••78 is not a valid mobile");
    expect(maskPhonesInText("call 06 12 34 56 78 or (415) 555-0134 now")).not.toMatch(/12 34 56|555-0134/);
    const untouched = "batch 0c3f4a52-8f3e-4c1a-9a59-012345678901 at 2026-11-27T21:05:23.123Z, 1000000 rows, HTTP 503";
    expect(maskPhonesInText(untouched)).toBe(untouched);
    expect(textForRole("admin", "+33612345678")).toBe("+33612345678");
    expect(textForRole("product", "to +33612345678")).toBe("to +336••••••78");
  });
});
