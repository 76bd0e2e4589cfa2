import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { MiddleTruncate, splitForMiddle } from './middle-truncate';

afterEach(cleanup);

describe('splitForMiddle', () => {
  it('keeps the tag of an image whole, so images differing only in their tag stay apart', () => {
    expect(splitForMiddle('registry.example.com/data-science/notebook-12:r4.4-py3.11')).toEqual({
      start: 'registry.example.com/data-science/notebook-12',
      end: ':r4.4-py3.11',
    });
  });

  it('keeps the last path segment of an image without a tag, and ignores the colon of a registry port', () => {
    expect(splitForMiddle('registry.example.com:5000/team/runtime')).toEqual({ start: 'registry.example.com:5000/team', end: '/runtime' });
  });

  it('keeps only the end of a digest or an overly long tag, never more than half of a short value', () => {
    const digest = `ghcr.io/acme/runtime@sha256:${'a'.repeat(64)}`;
    const { start, end } = splitForMiddle(digest);
    expect(start + end).toBe(digest);
    expect(end).toBe('a'.repeat(24));
    expect(splitForMiddle('ubuntu')).toEqual({ start: 'ubu', end: 'ntu' });
    expect(splitForMiddle('')).toEqual({ start: '', end: '' });
  });
});

describe('<MiddleTruncate>', () => {
  it('shows the value in two halves, and gives the whole of it as the tooltip and to screen readers once', () => {
    const value = 'quay.io/analytics/shiny-42:r4.2-py3.10';
    const { container } = render(
      <p>
        Image <MiddleTruncate value={value} className="mono" />
      </p>,
    );
    const shown = container.querySelector('.middle-truncate');
    expect(shown?.getAttribute('title')).toBe(value);
    expect(shown?.classList.contains('mono')).toBe(true);
    expect(container.querySelector('.middle-truncate-end')?.textContent).toBe(':r4.2-py3.10');
    // What assistive technology reads: the visible halves are hidden from it, the full value is not.
    const read = [...(shown?.childNodes ?? [])]
      .filter((node) => !(node instanceof Element && node.getAttribute('aria-hidden') === 'true'))
      .map((node) => node.textContent)
      .join('');
    expect(read).toBe(value);
    expect(screen.getByText(value).className).toBe('visually-hidden');
  });
});
