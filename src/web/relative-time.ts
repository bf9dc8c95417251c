/**
 * "in 3 days", "пред 2 часа": how far an instant is from now, in the reader's language (Intl), in the
 * largest unit that is at least one whole step, so a deadline reads at a glance.
 */
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [['day', 86_400_000], ['hour', 3_600_000], ['minute', 60_000]];

export function relativeTo(instant: Date, now: Date, intlLocale: string): string {
  const format = new Intl.RelativeTimeFormat(intlLocale, { numeric: 'auto' });
  const diff = instant.getTime() - now.getTime();
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms) return format.format(Math.trunc(diff / ms), unit);
  }
  return format.format(0, 'minute');
}
