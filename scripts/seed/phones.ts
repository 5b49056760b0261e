// Seeded phone numbers: unique, valid E.164 mobiles across a few countries, derived from a
// global seed index `n` by a bijection, so a bulk seed can compute them in SQL without any
// uniqueness check and a second seed run simply continues at a higher `n`.
//
//   country   = by slot n mod 97 (slots per country = its share of 97)
//   q         = index of n among the seeded numbers of that country
//   prefix    = prefixes[q mod P]
//   s         = floor(q / P), the sequence number inside that prefix
//   body      = s with its last three digits shuffled (× 797 mod 1000), zero-padded
//
// 797 is coprime with 1000, so the shuffle is a permutation: numbers never collide. Bodies stay
// nearly ascending, so a bulk insert appends to the phone index instead of splitting pages all
// over it. Every prefix below was checked with libphonenumber-js (the seed tests keep
// checking): each yields valid mobile numbers (US: fixed-line-or-mobile).

export interface SeedCountry {
  iso: string;
  /** Share of the 97 slots. */
  slots: number;
  /** Digits after "+": country code and the start of a mobile range. */
  prefixes: readonly string[];
  bodyDigits: number;
  /** Locale most people of this country would pick in the app. */
  locale: "en" | "fr" | "zh";
}

export const SEED_COUNTRIES: readonly SeedCountry[] = [
  { iso: "IN", slots: 24, prefixes: ["9198", "9199", "9197", "9196", "9194", "9190", "9170"], bodyDigits: 8, locale: "en" },
  {
    iso: "US",
    slots: 20,
    // Area code and the first digit of the exchange (2–9).
    prefixes: ["12125", "14156", "16467", "19178", "13102", "13123", "16174", "12065", "13056", "15127"],
    bodyDigits: 6,
    locale: "en",
  },
  { iso: "BR", slots: 14, prefixes: ["55119", "55219", "55319", "55419", "55619"], bodyDigits: 8, locale: "en" },
  { iso: "FR", slots: 10, prefixes: ["3360", "3361", "3362", "3364", "3365", "3366", "3367", "3368"], bodyDigits: 7, locale: "fr" },
  { iso: "GB", slots: 10, prefixes: ["44771", "44772", "44773", "44774", "44775", "44776", "44777", "44778"], bodyDigits: 7, locale: "en" },
  { iso: "DE", slots: 10, prefixes: ["49151", "49152", "49157", "49160", "49170", "49171", "49175", "49176"], bodyDigits: 8, locale: "en" },
  { iso: "CN", slots: 9, prefixes: ["86138", "86139", "86135", "86186", "86150"], bodyDigits: 8, locale: "zh" },
];

export const SLOT_COUNT = 97;
const SHUFFLE = 797;

if (SEED_COUNTRIES.reduce((sum, c) => sum + c.slots, 0) !== SLOT_COUNT) throw new Error("seed country slots must add up to 97");

/** How many seed indexes the scheme can number before a country runs out of bodies. */
export const SEED_PHONE_CAPACITY = Math.min(
  ...SEED_COUNTRIES.map((c) => Math.floor((c.prefixes.length * 10 ** c.bodyDigits) / c.slots) * SLOT_COUNT),
);

function countryForSlot(slot: number): { country: SeedCountry; firstSlot: number } {
  let firstSlot = 0;
  for (const country of SEED_COUNTRIES) {
    if (slot < firstSlot + country.slots) return { country, firstSlot };
    firstSlot += country.slots;
  }
  throw new Error(`slot ${slot} out of range`);
}

/** The seeded phone for global seed index n (the SQL of `seedPhoneSql` computes the same). */
export function seedPhone(n: number): { phone: string; country: string; locale: SeedCountry["locale"] } {
  if (!Number.isInteger(n) || n < 0 || n >= SEED_PHONE_CAPACITY) throw new RangeError(`seed index ${n} out of range`);
  const slot = n % SLOT_COUNT;
  const { country, firstSlot } = countryForSlot(slot);
  const q = Math.floor(n / SLOT_COUNT) * country.slots + (slot - firstSlot);
  const prefix = country.prefixes[q % country.prefixes.length]!;
  const s = Math.floor(q / country.prefixes.length);
  const body = String(Math.floor(s / 1000) * 1000 + ((s % 1000) * SHUFFLE) % 1000).padStart(country.bodyDigits, "0");
  return { phone: `+${prefix}${body}`, country: country.iso, locale: country.locale };
}

/**
 * SQL expressions for the phone, country and locale of the bigint expression `n`. They are
 * plain CASE/arithmetic over constants (no join), cheap per row in a set-based insert.
 */
export function seedPhoneSql(n: string): { phone: string; country: string; locale: string } {
  const slot = `(${n} % ${SLOT_COUNT})`;
  let firstSlot = 0;
  const phoneCases: string[] = [];
  const countryCases: string[] = [];
  const localeCases: string[] = [];
  for (const c of SEED_COUNTRIES) {
    const upper = firstSlot + c.slots;
    const q = `((${n} / ${SLOT_COUNT}) * ${c.slots} + ${slot} - ${firstSlot})`;
    const prefixes = `(array[${c.prefixes.map((p) => `'${p}'`).join(",")}])[(${q} % ${c.prefixes.length}) + 1]`;
    const s = `(${q} / ${c.prefixes.length})`;
    const body = `lpad(((${s} / 1000) * 1000 + ((${s} % 1000) * ${SHUFFLE}) % 1000)::text, ${c.bodyDigits}, '0')`;
    phoneCases.push(`when ${slot} < ${upper} then '+' || ${prefixes} || ${body}`);
    countryCases.push(`when ${slot} < ${upper} then '${c.iso}'`);
    localeCases.push(`when ${slot} < ${upper} then '${c.locale}'`);
    firstSlot = upper;
  }
  return {
    phone: `(case ${phoneCases.join(" ")} end)`,
    country: `(case ${countryCases.join(" ")} end)`,
    locale: `(case ${localeCases.join(" ")} end)::locale`,
  };
}
