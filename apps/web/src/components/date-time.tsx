/**
 * Times as every page shows them, in one style (`30 Nov 2026, 17:54`, the viewer's time zone).
 * Narrow table columns show the compact form, the whole time in their tooltip.
 */
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
const withSecondsFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'medium' });
const thisYearFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
const otherYearFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });

/** `30 Nov 2026, 17:54`, or with seconds where two changes may fall in one minute (an environment's history). */
export function formatDateTime(time: string, { seconds = false }: { seconds?: boolean } = {}): string {
  return (seconds ? withSecondsFormat : dateTimeFormat).format(new Date(time));
}

/** `30 Nov, 17:54` this year, `1 Mar 2025` before: what a glance at a list needs, in two thirds of the width. */
export function formatCompactDateTime(time: string, now: Date = new Date()): string {
  const date = new Date(time);
  return (date.getFullYear() === now.getFullYear() ? thisYearFormat : otherYearFormat).format(date);
}

export function DateTime({ value, compact = false, className }: { value: string; compact?: boolean; className?: string }) {
  return (
    <time dateTime={value} className={className} title={compact ? formatDateTime(value) : undefined}>
      {compact ? formatCompactDateTime(value) : formatDateTime(value)}
    </time>
  );
}
