// Phone numbers as people type them ("06 12 34 56 78", "+33 6 12-34-56-78", "0033612345678")
// become E.164 plus the ISO country. Only mobile numbers can receive the verification SMS, so
// anything else is refused with a field error naming why.
import { type CountryCode, getCountryCallingCode, isSupportedCountry, parsePhoneNumberFromString } from "libphonenumber-js/max";
import { AppError } from "@/lib/errors";

export interface NormalizedPhone {
  /** E.164, e.g. "+33612345678". */
  e164: string;
  /** ISO 3166-1 alpha-2 of the number's region, e.g. "FR". */
  country: string;
  /** "+" + country calling code, e.g. "+33". */
  callingCode: string;
  /** The national significant number, e.g. "612345678". */
  nationalNumber: string;
}

export type PhoneProblem = "invalid_country" | "unparseable" | "invalid_number" | "not_mobile";

export type PhoneResult = { ok: true; phone: NormalizedPhone } | { ok: false; problem: PhoneProblem; message: string };

const messages: Record<PhoneProblem, string> = {
  invalid_country: "Unknown country code; use an ISO 3166 alpha-2 code such as \"FR\".",
  unparseable: "This does not look like a phone number. Include the country code (e.g. +33 6 12 34 56 78) or pass `country`.",
  invalid_number: "This is not a valid phone number for its country.",
  not_mobile: "Only mobile numbers can register: we send the verification code by SMS.",
};

function fail(problem: PhoneProblem): PhoneResult {
  return { ok: false, problem, message: messages[problem] };
}

/** Parses a phone in any common format; `country` is a hint for numbers without a country code. */
export function normalizePhone(input: string, country?: string | null): PhoneResult {
  const hint = country ? country.toUpperCase() : undefined;
  if (hint !== undefined && !isSupportedCountry(hint)) return fail("invalid_country");
  // Numbers written with the international "00" prefix are common outside North America.
  const text = input.trim().replace(/^00(?=[1-9])/, "+");
  if (text.length === 0 || text.length > 40) return fail("unparseable");
  const parsed = parsePhoneNumberFromString(text, { defaultCountry: hint as CountryCode | undefined });
  if (!parsed) return fail("unparseable");
  if (!parsed.isValid() || !parsed.country) return fail("invalid_number");
  const type = parsed.getType();
  if (type !== "MOBILE" && type !== "FIXED_LINE_OR_MOBILE") return fail("not_mobile");
  return {
    ok: true,
    phone: {
      e164: parsed.number,
      country: parsed.country,
      callingCode: `+${parsed.countryCallingCode}`,
      nationalNumber: parsed.nationalNumber,
    },
  };
}

/** Like normalizePhone, but throws a validation AppError on the given field path. */
export function requireMobilePhone(input: string, country?: string | null, path = "phone"): NormalizedPhone {
  return requireMobile(normalizePhone(input, country), path);
}

/** A parse result as a phone, or the validation AppError for it (on `path`, or `country`). */
export function requireMobile(result: PhoneResult, path = "phone"): NormalizedPhone {
  if (result.ok) return result.phone;
  const fieldPath = result.problem === "invalid_country" ? "country" : path;
  throw new AppError("validation", result.message, { fieldErrors: [{ path: fieldPath, message: result.message }] });
}

/** The "number prefix" the velocity rule groups by: calling code + the first `digits` national digits. */
export function phonePrefix(phone: NormalizedPhone, digits: number): string {
  return phone.callingCode + phone.nationalNumber.slice(0, digits);
}

/**
 * phonePrefix of a stored E.164 number and its country, without parsing it again (a table
 * lookup of the calling code); a country libphonenumber does not know falls back to a parse.
 */
export function prefixOfE164(e164: string, country: string, digits: number): string {
  if (isSupportedCountry(country)) {
    const callingCode = `+${getCountryCallingCode(country)}`;
    if (e164.startsWith(callingCode)) return callingCode + e164.slice(callingCode.length, callingCode.length + digits);
  }
  const parsed = normalizePhone(e164);
  return parsed.ok ? phonePrefix(parsed.phone, digits) : e164.slice(0, digits + 3);
}
