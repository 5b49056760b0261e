import type { Locale } from "@/db/schema";

const two = (n: number) => String(n).padStart(2, "0");
const monthsEn = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

// Formatted by hand rather than with Intl: ICU inserts narrow no-break spaces and other
// characters outside the GSM alphabet, which would double the cost of every SMS. Times are UTC
// because a registration carries no time zone.

/** A day and time, e.g. "28 Nov 18:00 UTC" · "28/11 18:00 UTC" · "11月28日18:00(UTC)". */
export function formatDateTime(date: Date, locale: Locale): string {
  const time = `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}`;
  const day = date.getUTCDate();
  const month = date.getUTCMonth();
  switch (locale) {
    case "en":
      return `${day} ${monthsEn[month]} ${time} UTC`;
    case "fr":
      return `${two(day)}/${two(month + 1)} ${time} UTC`;
    case "zh":
      return `${month + 1}月${day}日${time}(UTC)`;
  }
}

/** A time of day, e.g. "18:30 UTC" · "18:30(UTC)". */
export function formatTime(date: Date, locale: Locale): string {
  const time = `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}`;
  return locale === "zh" ? `${time}(UTC)` : `${time} UTC`;
}
