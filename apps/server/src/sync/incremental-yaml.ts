import yaml from 'js-yaml';

const CORE = { schema: yaml.CORE_SCHEMA };

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
  const first = lines.slice(index).find(significant);
  if (!first || !/^\s*-(\s|$)/.test(first)) return null;
  const itemIndent = indentOf(first);
  if (!wrapped && itemIndent !== 0) return null;

  const items: string[][] = [];
  for (const line of lines.slice(index)) {
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
  return { wrapped, items: items.map((item) => item.join('\n')) };
}

/**
 * A YAML reader that remembers each list item's parse by its text: after an edit of one entry in a
 * 10,000-entry file, only that entry is parsed again (a full parse takes about 0.1 s).
 */
export function createIncrementalYamlReader() {
  let cache = new Map<string, unknown>();
  return (text: string): unknown => {
    const split = splitEntries(text);
    if (!split) {
      cache = new Map();
      return yaml.load(text, CORE);
    }
    const next = new Map<string, unknown>();
    const values: unknown[] = [];
    // Nothing cached (the first read): one whole parse is about twice as fast as 10,000 small ones,
    // and its items line up one to one with the split's.
    if (cache.size === 0) {
      const whole = yaml.load(text, CORE) as unknown;
      const list = split.wrapped ? (whole as { executionEnvironments?: unknown } | null)?.executionEnvironments : whole;
      if (Array.isArray(list) && list.length === split.items.length) {
        split.items.forEach((item, index) => next.set(item, list[index]));
        cache = next;
        return whole;
      }
      return whole;
    }
    for (const item of split.items) {
      let value = cache.get(item) ?? next.get(item);
      if (value === undefined) {
        const parsed = yaml.load(item, CORE);
        if (!Array.isArray(parsed) || parsed.length !== 1) {
          cache = new Map();
          return yaml.load(text, CORE);
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
