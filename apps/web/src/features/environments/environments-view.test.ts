import { describe, expect, it } from 'vitest';
import { type EnvironmentsView, viewFrom, viewHref } from './environments-view';

describe('the Environments tab view in its URL', () => {
  it.each<[string, EnvironmentsView]>([
    ['', { query: '', sort: null }],
    ['?q=3.11', { query: '3.11', sort: null }],
    ['?q=3.11&sort=title', { query: '3.11', sort: { column: 'title', descending: false } }],
    ['?sort=-updated', { query: '', sort: { column: 'updated', descending: true } }],
    ['?q=r%204.4', { query: 'r 4.4', sort: null }],
    ['?sort=nonsense', { query: '', sort: null }],
  ])('%j reads as %j', (search, view) => {
    expect(viewFrom(new URLSearchParams(search))).toEqual(view);
  });

  it.each<[EnvironmentsView, string]>([
    [{ query: '', sort: null }, '/environments'],
    [{ query: '  ', sort: null }, '/environments'],
    [{ query: '3.11', sort: null }, '/environments?q=3.11'],
    [{ query: '3.11', sort: { column: 'title', descending: false } }, '/environments?q=3.11&sort=title'],
    [{ query: 'r 4.4', sort: { column: 'name', descending: true } }, '/environments?q=r+4.4&sort=-name'],
  ])('%j writes as %j', (view, href) => {
    expect(viewHref(view)).toBe(href);
  });

  it('round-trips', () => {
    const view: EnvironmentsView = { query: 'gpu 3.11', sort: { column: 'python', descending: true } };
    expect(viewFrom(new URL(viewHref(view), 'http://x').searchParams)).toEqual(view);
  });
});
