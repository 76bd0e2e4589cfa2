import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { lineOfText, multiLineText, parseInput, parseRecordId } from './validation.js';

describe('the text rule', () => {
  it.each([
    ['plain text', 'R 4.4 / Python 3.11', true, true],
    ['letters from anywhere', 'Überprüfung · 数据 · émoji 🎉', true, true],
    ['NUL', 'a\u0000b', false, false],
    ['an escape sequence', 'red \u001b[31m', false, false],
    ['DEL', 'a\u007f', false, false],
    ['a C1 control', 'next\u0085line', false, false],
    ['a tab', 'a\tb', false, true],
    ['line breaks', 'one\r\ntwo\nthree', false, true],
  ])('%s: single line %s, multi-line %s', (_name, text, singleLine, multiLine) => {
    expect(lineOfText().safeParse(text).success).toBe(singleLine);
    expect(multiLineText().safeParse(text).success).toBe(multiLine);
  });

  it('trims before judging when asked, so a pasted trailing newline is not refused', () => {
    expect(lineOfText({ trim: true }).parse('  alice\n')).toBe('alice');
    expect(lineOfText().safeParse('alice\n').success).toBe(false);
  });

  it('says why', () => {
    expect(lineOfText().safeParse('a\u0000').error?.issues[0]?.message).toBe('must not contain control characters');
  });
});

describe("zod's own messages", () => {
  // zod/mini has none of its own: without the English locale every one of these reads "Invalid input".
  it.each([
    ['a string too long', z.object({ title: lineOfText().check(z.maxLength(3)) }), { title: 'four' }, 'Invalid title: Too big: expected string to have <=3 characters.'],
    ['a number too small', z.object({ page: z.number().check(z.gte(1)) }), { page: 0 }, 'Invalid page: Too small: expected number to be >=1.'],
    ['the wrong type', z.object({ tags: z.array(z.string()) }), { tags: 'a' }, 'Invalid tags: Invalid input: expected array, received string.'],
    ['an unknown option', z.object({ role: z.enum(['a', 'b']) }), { role: 'c' }, 'Invalid role: Invalid option: expected one of "a"|"b".'],
  ])('names %s in English', (_name, schema, input, message) => {
    const result = parseInput(schema, input);
    expect(result.ok ? null : result.error.message).toBe(message);
  });
});

describe('record ids', () => {
  it.each([
    ['42', 42],
    ['2147483647', 2_147_483_647],
    ['2147483648', null],
    ['99999999999999999999', null],
    ['0', null],
    ['-1', null],
    ['1e3', null],
    [' 7', null],
    ['', null],
  ])('%j reads as %j', (text, id) => {
    expect(parseRecordId(text)).toBe(id);
  });
});
