// Phone numbers as staff typed them (a targeted batch's list, its failures) are personal data
// like any stored phone: roles without full-phone access see them masked (SPEC §3.8).
import type { StaffRole } from "@/db/schema";
import { normalizePhone } from "@/lib/phone/normalize-phone";
import { isUuid } from "@/lib/validation/fields";
import { can, maskPhone } from "./roles";

/**
 * A target entry masked: a registration id is kept (it is no phone); a readable phone is shown
 * as its masked E.164 form, whatever format it was typed in; anything else keeps only its last
 * two digits (a mistyped number is still most of a number).
 */
export function maskTargetInput(input: string): string {
  if (isUuid(input)) return input;
  const parsed = normalizePhone(input);
  if (parsed.ok) return maskPhone(parsed.phone.e164)!;
  const digits = input.replace(/\D/g, "").length;
  let seen = 0;
  return input.replace(/\d/g, (d) => (++seen > digits - 2 ? d : "•"));
}

/**
 * Phone numbers inside free text (a provider's error echoing the number, a note) masked: an
 * international number (+ and 7–15 digits) or a national one (9–15 digits), spaces, dots,
 * dashes, slashes and brackets allowed between digits, not inside a longer word or id.
 */
const PHONE_IN_TEXT = /(?<![\w+-])(?:\+\d(?:[\s()./-]{0,2}\d){6,14}|\(?\d(?:[\s()./-]{0,2}\d){8,14})(?![\w])/g;

export function maskPhonesInText(text: string): string {
  return text.replace(PHONE_IN_TEXT, (found) => maskTargetInput(found));
}

/** Free text that may quote a phone, as this role may see it. */
export function textForRole(role: StaffRole, text: string): string;
export function textForRole(role: StaffRole, text: string | null): string | null;
export function textForRole(role: StaffRole, text: string | null): string | null {
  if (text === null || can(role, "view_full_phone")) return text;
  return maskPhonesInText(text);
}

/** A typed entry as this role may see it. */
export function targetInputForRole(role: StaffRole, input: string): string;
export function targetInputForRole(role: StaffRole, input: string | null): string | null;
export function targetInputForRole(role: StaffRole, input: string | null): string | null {
  if (input === null || can(role, "view_full_phone")) return input;
  return maskTargetInput(input);
}
