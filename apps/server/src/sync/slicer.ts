/** Hands the event loop a turn: setImmediate, not a resolved promise, so timers and IO run too. */
export const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A point where long work may hand the event loop a turn. */
export type Pause = () => Promise<void>;

const resolved = Promise.resolve();

export const noPause: Pause = () => resolved;

/**
 * Lets long synchronous work (parsing, validating, planning 10,000 entries; better-sqlite3's
 * synchronous queries) run in slices: `pause()` yields to the event loop once the current slice has
 * run `budgetMs`, so requests keep being answered during a large sync (issue 8 § 1: never blocked
 * more than 50 ms at a time). Under budget it answers an already settled promise: awaiting it costs
 * one microtask, so pausing after each of 10,000 entries stays cheap.
 */
export function createSlicer(budgetMs = 10): Pause {
  let sliceStart = performance.now();
  return () => {
    if (performance.now() - sliceStart < budgetMs) return resolved;
    return yieldToLoop().then(() => {
      sliceStart = performance.now();
    });
  };
}
