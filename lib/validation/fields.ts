// The field rules every input shares — the admin API's bodies, the public API's, the console's
// forms — so a uuid, a country or a phone means the same thing everywhere. Plain zod schemas
// for JSON; the form helpers at the end read what a FormData field holds (text) into them,
// with an empty field meaning "not given". Server actions parse FormData with zod-form-data
// (app/_server/action-spec.ts); `zfd.numeric`, `zfd.text` and `zfd.checkbox` do the rest.
import { isSupportedCountry } from "libphonenumber-js/max";
import { z } from "zod";
import { normalizePhone } from "@/lib/phone/normalize-phone";

/** An id of one of our rows (RFC 4122, as PostgreSQL generates them). */
export const uuid = (message?: string) => z.uuid(message);

const anyUuid = z.uuid();
/** For code that needs a yes/no (a path segment, a search text, a cookie) rather than a parse. */
export function isUuid(value: string): boolean {
  return anyUuid.safeParse(value).success;
}

/** ISO 3166-1 alpha-2 code libphonenumber knows, in any case ("fr" → "FR"). */
export const country = (message = 'use a two-letter country code (ISO 3166), e.g. "FR"') =>
  z
    .string({ error: message })
    .trim()
    .transform((c) => c.toUpperCase())
    .refine((c) => /^[A-Z]{2}$/.test(c) && isSupportedCountry(c), message);

/** Countries a setting or filter is limited to; at least one (null, where allowed, means every country). */
export const countryList = z.array(country("use two-letter country codes, e.g. FR, DE")).min(1).max(250);

/** A mobile number in any common format with its country code ("+44 7700 900123", "0044…") → E.164. */
export const phone = z.string().transform((value, ctx) => {
  const parsed = normalizePhone(value);
  if (parsed.ok) return parsed.phone.e164;
  ctx.addIssue({ code: "custom", message: `${value.trim().slice(0, 40)}: ${parsed.message}` });
  return z.NEVER;
});

/** Phones, each through `phone`. */
export const phoneList = (max: number) => z.array(phone).max(max);

/** A whole number in [min, max], with messages a form can show beside the field (`missing`: when absent). */
export const wholeNumber = (min: number, max?: number, missing = "must be a whole number") => {
  const base = z
    .number({ error: (issue) => (issue.input === undefined ? missing : "must be a whole number") })
    .int("must be a whole number")
    .min(min, `must be at least ${min.toLocaleString("en-US")}`);
  return max === undefined ? base : base.max(max, `must be at most ${max.toLocaleString("en-US")}`);
};

// ── Form fields: what an <input> or <textarea> sends, into the rules above ──────────────────

/** Splits list text on `separators`; blank or absent → `empty`. */
function listText(separators: RegExp, empty: null | undefined) {
  return (value: unknown) => {
    if (value === undefined || value === null) return empty;
    if (typeof value !== "string") return value;
    const items = value.split(separators).map((s) => s.trim()).filter(Boolean);
    return items.length === 0 ? empty : items;
  };
}

/** "fr, de be" → ["FR","DE","BE"]; an empty field → null (every country). */
export const countryListText = z.preprocess(listText(/[\s,;]+/, null), countryList.nullable());

/**
 * One phone per line (or comma/semicolon), each in any format → E.164; an empty field is not
 * given. Spaces stay inside a number: "+44 7700 900123" is one phone.
 */
export const phoneListText = (max: number) => z.preprocess(listText(/[\r\n,;]+/, undefined), phoneList(max).optional());

/** "2026-12-01T09:00" (datetime-local, no zone: the forms say UTC) or ISO with a zone → Date; "" → not given. */
function toUtcDate(value: unknown): unknown {
  if (value === "" || value === null) return undefined;
  if (typeof value !== "string") return value;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return new Date(`${value}Z`);
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) return new Date(value);
  return value;
}
const dateMessage = "pick a date and time";

/** An instant from `<input type="datetime-local">` or an ISO string. */
export const utcDateTime = z.preprocess(toUtcDate, z.date({ error: dateMessage }));
/** The same, where an empty field means "none". */
export const optionalUtcDateTime = z.preprocess(toUtcDate, z.date({ error: dateMessage }).optional());
