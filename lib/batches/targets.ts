import { normalizePhone } from "@/lib/phone/normalize-phone";
import { isUuid } from "@/lib/validation/fields";

/** An entry of a targeted batch: a registration id, or a phone as E.164. */
export type ResolvedTarget = { input: string; registrationId: string; phone?: undefined } | { input: string; phone: string; registrationId?: undefined };

/**
 * A targeted batch's list as given (registration ids or phones in international form) split
 * into what can be looked up and what cannot (with the reason, for the failures list).
 * Duplicates are dropped so nobody is counted twice.
 */
export function resolveTargets(inputs: string[]): { targets: ResolvedTarget[]; invalid: { input: string; reason: string }[] } {
  const targets: ResolvedTarget[] = [];
  const invalid: { input: string; reason: string }[] = [];
  const seen = new Set<string>();
  for (const input of inputs) {
    let target: ResolvedTarget | null = null;
    if (isUuid(input)) target = { input, registrationId: input.toLowerCase() };
    else {
      const result = normalizePhone(input);
      if (result.ok) target = { input, phone: result.phone.e164 };
      else invalid.push({ input, reason: `invalid_phone: ${result.message}` });
    }
    if (!target) continue;
    const key = target.registrationId ?? target.phone;
    if (seen.has(key)) continue;
    seen.add(key);
    targets.push(target);
  }
  return { targets, invalid };
}
