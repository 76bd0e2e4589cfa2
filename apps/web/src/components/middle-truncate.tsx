import type { ReactNode } from 'react';

/**
 * Long values whose end matters: an image name is told apart by its tag (`…/runtime:r4.4-py3.11`),
 * which an ordinary ellipsis at the end would hide. The start gives way first; the tail (the tag,
 * or else the last path segment) stays whole unless even it does not fit. The full value is the
 * tooltip, and what screen readers and copying read: the two visible halves are hidden from them.
 */

/** Longest tail kept whole: past this (a digest, a very long tag) only its last characters stay. */
const MAX_TAIL = 24;

/** Where `value` splits into a start that may shrink and a tail that stays visible. */
export function splitForMiddle(value: string): { start: string; end: string } {
  const lastSlash = value.lastIndexOf('/');
  const tagAt = value.indexOf(':', lastSlash + 1);
  const digestAt = value.indexOf('@', lastSlash + 1);
  const marks = [digestAt, tagAt].filter((at) => at > 0);
  let at = marks.length > 0 ? Math.min(...marks) : lastSlash;
  if (at <= 0 || value.length - at > MAX_TAIL) at = Math.max(0, value.length - Math.min(MAX_TAIL, Math.ceil(value.length / 2)));
  return { start: value.slice(0, at), end: value.slice(at) };
}

export function MiddleTruncate({
  value,
  className,
  renderPart = (part) => part,
}: {
  value: string;
  className?: string;
  /** How each visible half is drawn (e.g. with the search's matches marked). */
  renderPart?: (part: string) => ReactNode;
}) {
  const { start, end } = splitForMiddle(value);
  return (
    <span className={className ? `middle-truncate ${className}` : 'middle-truncate'} title={value}>
      <span className="middle-truncate-start" aria-hidden="true">
        {renderPart(start)}
      </span>
      <span className="middle-truncate-end" aria-hidden="true">
        {renderPart(end)}
      </span>
      <span className="visually-hidden">{value}</span>
    </span>
  );
}
