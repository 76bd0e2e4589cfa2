/**
 * happy-dom has no layout, so TanStack Virtual measures a 0-pixel viewport and renders no rows
 * (STACK.md §9.6). Tests that render a virtualized table give elements a size; real layout is
 * checked in Playwright.
 */
export function fakeLayout({ height = 600, width = 1200 } = {}): () => void {
  const original = {
    clientHeight: Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientHeight'),
    clientWidth: Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientWidth'),
  };
  Object.defineProperties(HTMLElement.prototype, {
    clientHeight: { configurable: true, get: () => height },
    clientWidth: { configurable: true, get: () => width },
  });
  return () => {
    for (const [name, descriptor] of Object.entries(original)) {
      if (descriptor) Object.defineProperty(HTMLElement.prototype, name, descriptor);
      else delete (HTMLElement.prototype as unknown as Record<string, unknown>)[name];
    }
  };
}
