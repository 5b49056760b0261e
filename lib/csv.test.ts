import { describe, expect, it } from "vitest";
import { csvField, csvLine, csvResponse, csvStream } from "./csv";

describe("csvField", () => {
  it("quotes commas, quotes and line breaks (RFC 4180)", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField('say "hi", then\nleave')).toBe('"say ""hi"", then\nleave"');
    expect(csvField(null)).toBe("");
    expect(csvField(undefined)).toBe("");
    expect(csvField(42)).toBe("42");
    expect(csvField(false)).toBe("false");
    expect(csvField(new Date("2026-01-02T03:04:05.000Z"))).toBe("2026-01-02T03:04:05.000Z");
    expect(csvField(["a", "b"])).toBe("a b");
    expect(csvField({ a: 1 })).toBe('"{""a"":1}"');
  });

  it("neutralizes spreadsheet formulas but keeps phone numbers", () => {
    expect(csvField("=HYPERLINK(\"x\")")).toBe("\"'=HYPERLINK(\"\"x\"\")\"");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField("+1+cmd")).toBe("'+1+cmd");
    expect(csvField("+33612345678")).toBe("+33612345678");
    expect(csvField("-5")).toBe("-5");
  });
});

describe("csvStream", () => {
  it("streams a header and every chunk, reading chunks only as the reader pulls", async () => {
    let produced = 0;
    async function* chunks() {
      for (let i = 0; i < 3; i++) {
        produced++;
        yield [{ n: i * 2 }, { n: i * 2 + 1 }];
      }
    }
    const stream = csvStream([{ header: "n", value: (r: { n: number }) => r.n }], chunks());
    const reader = stream.getReader();
    const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
    const header = await reader.read();
    expect(decoder.decode(header.value)).toBe("\uFEFFn\r\n");
    // At most one chunk read ahead (the stream fills its queue of one), never the whole source.
    expect(produced).toBeLessThanOrEqual(1);
    let body = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      body += decoder.decode(value);
    }
    expect(body).toBe(csvLine([0]) + csvLine([1]) + csvLine([2]) + csvLine([3]) + csvLine([4]) + csvLine([5]));
  });

  it("ends the source when the client goes away", async () => {
    let finished = false;
    async function* chunks() {
      try {
        for (let i = 0; ; i++) yield [{ n: i }];
      } finally {
        finished = true;
      }
    }
    const response = csvResponse("things", [{ header: "n", value: (r: { n: number }) => r.n }], chunks(), new Date("2026-03-04T00:00:00Z"));
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="things-2026-03-04.csv"');
    const reader = response.body!.getReader();
    await reader.read();
    await reader.read();
    await reader.cancel();
    expect(finished).toBe(true);
  });
});
