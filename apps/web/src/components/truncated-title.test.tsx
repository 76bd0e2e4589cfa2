import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, expect, it } from 'vitest';
import { truncatedTitleProps } from './truncated-title';

afterEach(cleanup);

/** happy-dom has no layout: the text's width and the room it has are given. */
function sized(element: HTMLElement, textWidth: number, room: number) {
  Object.defineProperty(element, 'scrollWidth', { configurable: true, get: () => textWidth });
  Object.defineProperty(element, 'clientWidth', { configurable: true, get: () => room });
}

it('gives a title cut short its full text as the tooltip on hover and focus, and none once it fits', () => {
  render(
    <a href="#e" className="truncate" {...truncatedTitleProps}>
      Finance reporting for the quarterly board pack
    </a>,
  );
  const link = screen.getByRole('link');
  sized(link, 400, 120);
  fireEvent.mouseEnter(link);
  expect(link.getAttribute('title')).toBe('Finance reporting for the quarterly board pack');
  sized(link, 400, 500);
  fireEvent.focus(link);
  expect(link.hasAttribute('title')).toBe(false);
});
