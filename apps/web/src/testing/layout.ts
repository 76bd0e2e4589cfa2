/**
 * happy-dom has no layout, so TanStack Virtual measures a 0-pixel viewport and renders no rows
 * (STACK.md §9.6). Tests that render a virtualized table give elements a size (client and offset
 * sizes: the virtualizer reads the offset ones); real layout is checked in Playwright.
 */
export function fakeLayout({ height = 600, width = 1200 } = {}): () => void {
  const sizes = { clientHeight: height, clientWidth: width, offsetHeight: height, offsetWidth: width };
  const original = Object.fromEntries(
    Object.keys(sizes).map((name) => [name, Object.getOwnPropertyDescriptor(HTMLElement.prototype, name)]),
  );
  for (const [name, size] of Object.entries(sizes)) {
    Object.defineProperty(HTMLElement.prototype, name, { configurable: true, get: () => size });
  }
  return () => {
    for (const [name, descriptor] of Object.entries(original)) {
      if (descriptor) Object.defineProperty(HTMLElement.prototype, name, descriptor);
      else delete (HTMLElement.prototype as unknown as Record<string, unknown>)[name];
    }
  };
}
