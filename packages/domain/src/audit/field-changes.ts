import type { FieldChange } from './audit-schemas.js';

/** Equal as JSON with keys in any order: stored values come back with their keys re-ordered. */
export function sameValue(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : inner,
  ) ?? 'undefined';
}

/**
 * The fields that differ between two versions of a record, in `fields` order. A missing side (a
 * creation or a deletion) counts as null, so a creation lists every field that has a value.
 */
export function fieldChanges<T extends object>(
  before: Partial<T> | null,
  after: Partial<T> | null,
  fields: ReadonlyArray<keyof T & string>,
): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of fields) {
    const was = before?.[field] ?? null;
    const is = after?.[field] ?? null;
    // Most fields of a creation or a deletion have a side that is missing: no JSON to compare then.
    const differs = was === null || is === null || typeof was !== 'object' || typeof is !== 'object' ? was !== is : !sameValue(was, is);
    if (differs) changes.push({ field, before: was, after: is });
  }
  return changes;
}
