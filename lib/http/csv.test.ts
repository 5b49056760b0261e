import { describe, expect, it } from "vitest";
import { csvCell, csvLine, csvResponse } from "./csv";

describe("csv", () => {
  it("quotes per RFC 4180 and neutralises spreadsheet formulas", () => {
    expect(csvCell('say "hi", then\nleave')).toBe('"say ""hi"", then\nleave"');
    expect(csvCell("=HYPERLINK(\"x\")")).toBe("\"'=HYPERLINK(\"\"x\"\")\"");
    expect(csvCell("+33612345678")).toBe("'+33612345678");
    expect(csvCell(null)).toBe("");
    expect(csvCell(new Date("2030-01-01T00:00:00Z"))).toBe("2030-01-01T00:00:00.000Z");
    expect(csvCell({ a: 1 })).toBe('"{""a"":1}"');
    expect(csvLine([1, "two", undefined])).toBe("1,two,\r\n");
  });

  it("streams rows lazily: the source is read only as fast as the client reads", async () => {
    let produced = 0;
    async function* rows() {
      for (let i = 0; i < 1_000_000; i++) {
        produced++;
        yield [i, `row ${i}`];
      }
    }
    const response = csvResponse("x.csv", ["n", "label"], rows());
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="x.csv"');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    for (let i = 0; i < 4; i++) text += decoder.decode((await reader.read()).value);
    expect(text).toBe("n,label\r\n0,row 0\r\n1,row 1\r\n2,row 2\r\n");
    expect(produced).toBeLessThan(10);
    await reader.cancel();
  });
});
