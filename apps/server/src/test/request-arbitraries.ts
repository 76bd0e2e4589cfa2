import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import type * as z from 'zod/mini';

/**
 * fast-check arbitraries for hostile HTTP requests (issue 9 § 3): values derived from a route's zod
 * schema, then mutated the way an attacker or a broken client would.
 */

/** The few parts of zod 4's schema definitions the derivation reads. */
interface SchemaDef {
  readonly type: string;
  readonly format?: string;
  readonly shape?: Record<string, z.ZodMiniType>;
  readonly innerType?: z.ZodMiniType;
  readonly element?: z.ZodMiniType;
  readonly in?: z.ZodMiniType;
  readonly valueType?: z.ZodMiniType;
  readonly options?: readonly z.ZodMiniType[];
  readonly entries?: Record<string, string | number>;
  readonly values?: readonly unknown[];
}

const defOf = (schema: z.ZodMiniType): SchemaDef => (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;

/** Text no field should accept or choke on: control characters, escapes, lone surrogates, odd Unicode. */
export const hostileStrings = [
  'a\u0000b',
  '\u0000',
  'red \u001b[31m text',
  'del\u007f',
  'c1\u0085',
  'tab\there',
  'line\nbreak\r\n',
  '\ud800',
  '\u202eevil',
  '%',
  '%zz',
  '%E0%A4%A',
  '%00',
  "'; DROP TABLE users; --",
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '🎉'.repeat(50),
  '   ',
  '',
  '__proto__',
  'constructor',
  '0',
  '-1',
  '1e309',
  'null',
] as const;

const hostileString = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...hostileStrings) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer({ min: 5_000, max: 300_000 }).map((length) => 'x'.repeat(length)) },
);

/** A value nested `depth` deep, as an array or an object. */
const nested = (depth: number, asObject: boolean): unknown => {
  let value: unknown = 1;
  for (let level = 0; level < depth; level++) value = asObject ? { a: value } : [value];
  return value;
};

/** A value of the wrong kind for wherever it lands. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(null) },
  { weight: 4, arbitrary: hostileString },
  { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(-0), fc.constant(2 ** 64)) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constantFrom([], {}, [null], { '': '' }) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 50, max: 1_000 }), fc.boolean()).map(([depth, asObject]) => nested(depth, asObject)) },
  { weight: 1, arbitrary: fc.array(fc.constant('x'), { minLength: 1_000, maxLength: 5_000 }) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

/** Strings that pass one field's rules or another's, so that generated requests also get deep into the handlers. */
export const plausibleStrings = [
  'ghcr.io/my-org/connect-runtime:r4.4-py3.11',
  'rstudio/content-base:r4.1.0-py3.10.4',
  '3.11.4',
  '4.4.1',
  '1.4.557',
  '/opt/python/3.11.4/bin/python3',
  '/opt/R/4.4.1/bin/R',
  'any',
  'exact',
  'none',
  'Kubernetes',
  'fuzzed-name',
  'A title',
  'fuzz@example.org',
  'long-enough-password',
  'administrator',
  'publisher',
  'viewer',
  '1',
] as const;

export interface DeriveOptions {
  /** GUIDs of records that exist, for uuid fields (a random GUID only finds nothing). */
  readonly guids: readonly string[];
}

/**
 * Values shaped by a zod schema: objects with its keys, enums from its values, strings from a pool
 * of plausible and hostile text. Refinements are not honoured (many values are invalid on purpose);
 * required keys are sometimes left out too.
 */
export function derive(schema: z.ZodMiniType, options: DeriveOptions, depth = 0): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  const inner = (child: z.ZodMiniType) => derive(child, options, depth + 1);
  switch (def.type) {
    case 'object': {
      const shape = def.shape ?? {};
      const keys = Object.keys(shape);
      const required = keys.filter((key) => defOf(shape[key]!).type !== 'optional');
      return fc.record(Object.fromEntries(keys.map((key) => [key, inner(shape[key]!)])), {
        requiredKeys: required.filter((_key, index) => (depth + index) % 4 !== 3),
      });
    }
    case 'string': {
      const guid = fc.oneof(fc.constantFrom(...options.guids), fc.uuid());
      if (def.format === 'uuid' || def.format === 'guid') return fc.oneof({ weight: 8, arbitrary: guid }, { weight: 1, arbitrary: hostileString });
      if (def.format === 'email') return fc.oneof(fc.emailAddress(), hostileString);
      return fc.oneof(
        { weight: 5, arbitrary: fc.constantFrom(...plausibleStrings) },
        { weight: 2, arbitrary: fc.string({ maxLength: 24 }) },
        { weight: 1, arbitrary: guid },
        { weight: 2, arbitrary: hostileString },
      );
    }
    case 'number':
      return fc.oneof(fc.integer({ min: -5, max: 1_000 }), fc.double({ noNaN: true, noDefaultInfinity: true }));
    case 'boolean':
      return fc.boolean();
    case 'array':
      return depth > 6 ? fc.constant([]) : fc.array(inner(def.element!), { maxLength: 3 });
    case 'union':
      return fc.oneof(...(def.options ?? []).map(inner));
    case 'optional':
      return fc.option(inner(def.innerType!), { nil: undefined, freq: 3 });
    case 'nullable':
      return fc.option(inner(def.innerType!), { nil: null, freq: 4 });
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return inner(def.innerType!);
    case 'pipe':
      return inner(def.in!);
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries ?? { x: 'x' }));
    case 'literal':
      return fc.constantFrom(...(def.values ?? [null]));
    case 'record':
      return fc.dictionary(fc.constantFrom('a', 'b', 'version', 'metadata', 'python', 'environment'), inner(def.valueType!), { maxKeys: 3 });
    case 'null':
      return fc.constant(null);
    default:
      // unknown, any, transform, custom …: anything JSON can say.
      return fc.jsonValue({ maxDepth: 3 });
  }
}

/** Replaces one field of an object (or the whole value) with a hostile value; sometimes deletes it instead. */
export function mutated(value: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.tuple(value, fc.nat(), hostileValue, fc.constantFrom('replace', 'delete', 'whole', 'extra')).map(([base, index, bad, how]) => {
    if (how === 'whole' || typeof base !== 'object' || base === null || Array.isArray(base)) return how === 'whole' ? bad : base;
    const copy: Record<string, unknown> = { ...(base as Record<string, unknown>) };
    const keys = Object.keys(copy);
    if (how === 'extra' || keys.length === 0) {
      copy[`unexpected_${index % 3}`] = bad;
      return copy;
    }
    const key = keys[index % keys.length]!;
    if (how === 'delete') delete copy[key];
    else copy[key] = bad;
    return copy;
  });
}

/** A JSON body (derived, mutated) as the bytes and headers a client would send. */
export interface EncodedBody {
  readonly bytes: Buffer | null;
  readonly headers: Record<string, string>;
  readonly label: string;
}

const contentTypes = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/json; charset=bogus',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/octet-stream',
  'a/b/c;;;',
] as const;

/** Ways to encode (or fail to encode) the body's bytes, with the Content-Encoding claimed. */
const encodings: ReadonlyArray<readonly [string, (bytes: Buffer) => Buffer]> = [
  ['gzip', (bytes) => gzipSync(bytes)],
  ['br', (bytes) => brotliCompressSync(bytes)],
  ['deflate', (bytes) => deflateSync(bytes)],
  ['gzip', (bytes) => bytes],
  ['br', (bytes) => bytes],
  ['gzip', (bytes) => gzipSync(bytes).subarray(0, Math.max(1, Math.floor(bytes.length / 2)))],
  ['identity', (bytes) => bytes],
  ['xx', (bytes) => bytes],
  ['gzip, br', (bytes) => bytes],
];

/** The text of a JSON body, or something that only looks like one. */
const bodyText = (value: fc.Arbitrary<unknown>): fc.Arbitrary<{ text: string; label: string }> =>
  fc.oneof(
    { weight: 10, arbitrary: value.map((v) => ({ text: JSON.stringify(v) ?? 'null', label: 'json' })) },
    {
      weight: 1,
      arbitrary: fc.tuple(value, fc.nat()).map(([v, cut]) => {
        const text = JSON.stringify(v) ?? 'null';
        return { text: text.slice(0, cut % Math.max(1, text.length)), label: 'truncated json' };
      }),
    },
    { weight: 1, arbitrary: value.map((v) => ({ text: `{"__proto__":{"user_role":"administrator"},"constructor":{"prototype":{"x":1}},"v":${JSON.stringify(v) ?? 'null'}}`, label: 'prototype keys' })) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('[', '{').map((open) => ({
        text: `${open === '[' ? '['.repeat(100_000) : '{"a":'.repeat(100_000)}1${open === '[' ? ']'.repeat(100_000) : '}'.repeat(100_000)}`,
        label: '100,000 deep',
      })),
    },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 64 }).map((text) => ({ text, label: 'not json' })) },
  );

export function encodedBody(value: fc.Arbitrary<unknown>): fc.Arbitrary<EncodedBody> {
  return fc
    .tuple(
      bodyText(value),
      fc.oneof({ weight: 8, arbitrary: fc.constant('application/json') }, { weight: 3, arbitrary: fc.constantFrom(...contentTypes, '') }),
      fc.option(fc.constantFrom(...encodings.keys()), { freq: 5 }),
      fc.boolean(),
    )
    .map(([{ text, label }, type, encoding, withBody]) => {
      // Sometimes no body at all, which GET- and DELETE-like routes expect.
      if (!withBody && label === 'json') return { bytes: null, headers: {}, label: 'no body' };
      const headers: Record<string, string> = {};
      if (type) headers['content-type'] = type;
      let bytes: Buffer = Buffer.from(text);
      if (encoding !== null) {
        const [name, encode] = encodings[encoding]!;
        headers['content-encoding'] = name;
        bytes = encode(bytes);
      }
      return { bytes, headers, label: `${label}${encoding === null ? '' : ` (${headers['content-encoding']})`}` };
    });
}

/** Percent-encoded UTF-8; a lone surrogate, which UTF-8 cannot carry, goes as U+FFFD. */
const percentEncoded = (text: string) => encodeURIComponent(Buffer.from(text).toString());

/** A path parameter: a real record's (mostly), or something no router or store expects. */
export function pathParameter(valid: string): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 10, arbitrary: fc.constant(percentEncoded(valid)) },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%E0%A4%A', '%00', '%1b', '%C0%AE', '%2F', '%2e%2e', 'x'.repeat(2_000), '0', '-1', '99999999999999999999') },
    { weight: 2, arbitrary: fc.string({ minLength: 1, maxLength: 24 }).map(percentEncoded) },
    { weight: 1, arbitrary: hostileString.filter((text) => text.length > 0 && text.length < 4_000).map(percentEncoded) },
  );
}

/** A query string derived from the route's query schema (when it has one), then mutated. */
export function queryString(schema: z.ZodMiniType | undefined, options: DeriveOptions): fc.Arbitrary<string> {
  const fields = schema ? derive(schema, options) : fc.constant({});
  const pairs = fc
    .tuple(mutated(fields), fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 2 }))
    .map(([derived, extra]) => {
      const all = typeof derived === 'object' && derived !== null ? { ...(derived as Record<string, unknown>), ...extra } : extra;
      return Object.entries(all)
        .filter(([, value]) => value !== undefined)
        .flatMap(([key, value]) =>
          // Arrays become repeated keys (`a=1&a=2`), which Express reads as an array.
          (Array.isArray(value) ? value.slice(0, 3) : [value]).map(
            // Capped: a URL over Node's 16 KiB header limit is refused before it reaches the app.
            (item) => `${percentEncoded(key)}=${percentEncoded((typeof item === 'string' ? item : JSON.stringify(item) ?? '').slice(0, 1_000))}`,
          ),
        )
        .join('&');
    });
  return fc.oneof(
    { weight: 6, arbitrary: pairs },
    { weight: 1, arbitrary: fc.constantFrom('', 'a=%zz', '%=%', 'page_size=%00', 'prefix[a]=b', 'wait=1e309&first=-1', '&&&=', 'name=%E0%A4%A') },
  );
}
