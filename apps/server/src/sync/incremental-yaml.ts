import { loadYaml } from './environments-file-reader.js';
import { type Pause, noPause } from './slicer.js';

interface Split {
  /** Whether the list sits under `executionEnvironments:` (Helm values) rather than at the top. */
  readonly wrapped: boolean;
  readonly items: string[];
}

const significant = (line: string) => line.trim() !== '' && !line.trimStart().startsWith('#');
const indentOf = (line: string) => line.length - line.trimStart().length;

/**
 * Splits the two plain layouts of the file — a top-level list, or one `executionEnvironments:`
 * key holding a list — into the text of each item. Anything else (anchors, aliases, tags, flow
 * style, several documents, other keys) answers null, and the caller parses the whole text.
 */
export function splitEntries(text: string): Split | null {
  const steps = splitEntriesInSteps(text);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** splitEntries, yielding every thousand lines so that a 100,000-line file can be split in slices. */
function* splitEntriesInSteps(text: string): Generator<void, Split | null> {
  // Anchors, aliases and tags can tie items together; so can documents markers. Be conservative.
  if (/(^|[\s[{,])[&*!][^\s]/m.test(text) || /^(---|\.\.\.)/m.test(text) || text.includes('\t')) return null;
  const lines = text.split('\n');
  let index = lines.findIndex(significant);
  if (index === -1) return null;
  let wrapped = false;
  if (/^executionEnvironments:\s*(#.*)?$/.test(lines[index]!)) {
    wrapped = true;
    index++;
  }
  let firstIndex = index;
  while (firstIndex < lines.length && !significant(lines[firstIndex]!)) firstIndex++;
  const first = lines[firstIndex];
  if (!first || !/^\s*-(\s|$)/.test(first)) return null;
  const itemIndent = indentOf(first);
  if (!wrapped && itemIndent !== 0) return null;

  const items: string[][] = [];
  for (let at = index; at < lines.length; at++) {
    if (at % 1_000 === 0) yield;
    const line = lines[at]!;
    const current = items[items.length - 1];
    if (!significant(line)) {
      current?.push(line);
      continue;
    }
    const indent = indentOf(line);
    if (indent === itemIndent && /^\s*-(\s|$)/.test(line)) {
      items.push([line]);
      continue;
    }
    // A line at or left of the item column that does not start an item: not a layout we split.
    if (indent <= itemIndent || !current) return null;
    current.push(line);
  }
  const joined: string[] = [];
  for (const item of items) {
    if (joined.length % 1_000 === 0) yield;
    joined.push(item.join('\n'));
  }
  return { wrapped, items: joined };
}

/**
 * Up to this size a whole parse takes a few milliseconds; beyond it, a first read parses item by
 * item so that it can pause between items.
 */
const WHOLE_PARSE_MAX_CHARS = 100_000;

/**
 * A YAML reader that remembers each list item's parse by its text: after an edit of one entry in a
 * 10,000-entry file, only that entry is parsed again (a full parse takes about 0.1 s). It calls
 * `pause` between items, so a caller can keep the event loop turning during a large read; layouts
 * it cannot split are parsed whole, in one go.
 */
export function createIncrementalYamlReader() {
  let cache = new Map<string, unknown>();
  return async (text: string, pause: Pause = noPause): Promise<unknown> => {
    const steps = splitEntriesInSteps(text);
    let step = steps.next();
    for (; !step.done; step = steps.next()) await pause();
    const split = step.value;
    if (!split) {
      cache = new Map();
      return loadYaml(text);
    }
    const next = new Map<string, unknown>();
    const values: unknown[] = [];
    // Nothing cached (the first read) of a small file: one whole parse is about twice as fast as many
    // small ones, and its items line up one to one with the split's.
    if (cache.size === 0 && text.length <= WHOLE_PARSE_MAX_CHARS) {
      const whole = loadYaml(text) as unknown;
      const list = split.wrapped ? (whole as { executionEnvironments?: unknown } | null)?.executionEnvironments : whole;
      if (Array.isArray(list) && list.length === split.items.length) {
        split.items.forEach((item, index) => next.set(item, list[index]));
        cache = next;
        return whole;
      }
      return whole;
    }
    for (const item of split.items) {
      await pause();
      let value = cache.get(item) ?? next.get(item);
      if (value === undefined) {
        const parsed = loadYaml(item);
        if (!Array.isArray(parsed) || parsed.length !== 1) {
          cache = new Map();
          return loadYaml(text);
        }
        value = parsed[0];
      }
      next.set(item, value);
      values.push(value);
    }
    cache = next;
    return split.wrapped ? { executionEnvironments: values } : values;
  };
}
