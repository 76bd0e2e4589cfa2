import { describe, expect, it } from 'vitest';
import { lineOfText, multiLineText, parseRecordId } from './validation.js';

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
