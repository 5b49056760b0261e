// CSV for the console's "Export" buttons (RFC 4180), streamed: rows arrive in chunks from a keyset
// iterator and leave as bytes as soon as the client reads them, so an export of a million rows
// never sits in memory. Any table can use it:
//   return csvResponse("waitlist", columns, iterateRegistrations(db, actor, filters));
// where `columns` says how each CSV column is read from a row.

export interface CsvColumn<T> {
  header: string;
  value: (row: T) => unknown;
}

/**
 * A cell that a spreadsheet would run as a formula (=, @, tab, CR, or +/- not followed by a plain
 * number such as a phone) gets a leading apostrophe (OWASP "CSV injection").
 */
function neutralizeFormula(text: string): string {
  if (/^[=@\t\r]/.test(text)) return `'${text}`;
  if (/^[+-]/.test(text) && !/^[+-][\d.]+$/.test(text)) return `'${text}`;
  return text;
}

/**
 * One field: dates as ISO 8601, arrays space-separated, objects as JSON, null/undefined empty,
 * quoted when it holds a comma, quote or line break.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = neutralizeFormula(
    value instanceof Date ? value.toISOString() : Array.isArray(value) ? value.join(" ") : typeof value === "object" ? JSON.stringify(value) : String(value),
  );
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(values: unknown[]): string {
  return `${values.map(csvField).join(",")}\r\n`;
}

/**
 * A byte stream of the header line and then every row of every chunk. Pull-based: the next
 * chunk is read from the database only when the client has taken the previous one; a client
 * that goes away ends the iterator (its `finally` blocks run).
 */
export function csvStream<T>(columns: CsvColumn<T>[], chunks: AsyncIterable<T[]>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = chunks[Symbol.asyncIterator]();
  let headerSent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        // A byte-order mark so spreadsheet apps read UTF-8 (names, e-mail addresses) correctly.
        controller.enqueue(encoder.encode(`\uFEFF${csvLine(columns.map((c) => c.header))}`));
        return;
      }
      try {
        const next = await iterator.next();
        if (next.done) {
          controller.close();
          return;
        }
        controller.enqueue(encoder.encode(next.value.map((row) => csvLine(columns.map((c) => c.value(row)))).join("")));
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await iterator.return?.(undefined);
    },
  });
}

/** A streamed CSV download named `<name>-<UTC date>.csv`. */
export function csvResponse<T>(name: string, columns: CsvColumn<T>[], chunks: AsyncIterable<T[]>, now = new Date()): Response {
  const filename = `${name}-${now.toISOString().slice(0, 10)}.csv`;
  return new Response(csvStream(columns, chunks), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
