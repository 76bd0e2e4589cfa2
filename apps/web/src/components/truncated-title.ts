import type { FocusEvent, MouseEvent } from 'react';

/**
 * For text cut short with an ellipsis (`.truncate`): on hover or focus, the element's tooltip is its
 * full text when, and only when, the text does not fit. Measured then rather than on render, as
 * measuring every visible row while typing would cost layout on each keystroke.
 */
export function titleWhenTruncated(event: MouseEvent<HTMLElement> | FocusEvent<HTMLElement>): void {
  const element = event.currentTarget;
  const cut = element.scrollWidth > element.clientWidth;
  if (cut) element.title = element.textContent ?? '';
  else element.removeAttribute('title');
}

/** Props for an element that shows its full text as a tooltip when truncated. */
export const truncatedTitleProps = { onMouseEnter: titleWhenTruncated, onFocus: titleWhenTruncated } as const;
