import { randomUUID } from 'node:crypto';

/** Time and identity sources, passed in so tests can pin them. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

/** RFC 3339 in UTC to the second, as Connect writes times (`2024-01-15T10:00:00Z`). */
export const rfc3339 = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The clock's current time as the API writes it: what a row's created or updated time records. */
export const timestamp = (clock: Clock): string => rfc3339(clock.now());

export const newGuid = (): string => randomUUID();
