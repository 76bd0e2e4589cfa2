import { describe, expect, it } from 'vitest';
import { parseInput } from '../validation.js';
import { EnvironmentVariablesInputSchema, MAX_ENVIRONMENT_VARIABLE_VALUE_LENGTH } from './environment-variable-schemas.js';

const parse = (input: unknown) => parseInput(EnvironmentVariablesInputSchema, input);
const fieldOf = (input: unknown) => {
  const result = parse(input);
  return result.ok ? 'accepted' : result.error.payload?.field;
};

describe('content environment variables input', () => {
  it('takes what the clients send: names with values to set, null to remove; other keys are dropped', () => {
    const result = parse([{ name: 'DATABASE_URL', value: 'postgres://h/db', extra: 1 }, { name: '_CONNECT_RESTART_TMP_1764451200', value: null }, { name: 'EMPTY', value: '' }]);
    expect(result).toEqual({
      ok: true,
      value: [{ name: 'DATABASE_URL', value: 'postgres://h/db' }, { name: '_CONNECT_RESTART_TMP_1764451200', value: null }, { name: 'EMPTY', value: '' }],
    });
    expect(parse([])).toEqual({ ok: true, value: [] });
  });

  it.each([
    ['a', 'accepted'],
    ['A_1', 'accepted'],
    ['', '[0].name'],
    ['1A', '[0].name'],
    ['A-B', '[0].name'],
    ['A.B', '[0].name'],
    ['A=B', '[0].name'],
    ['Ä', '[0].name'],
    ['A\n', '[0].name'],
    ['N'.repeat(255), 'accepted'],
    ['N'.repeat(256), '[0].name'],
  ])('a name %j: %s', (name, expected) => {
    expect(fieldOf([{ name, value: 'x' }])).toBe(expected);
  });

  it('caps a value at its size and refuses NUL, keeping line breaks', () => {
    expect(fieldOf([{ name: 'A', value: 'x'.repeat(MAX_ENVIRONMENT_VARIABLE_VALUE_LENGTH) }])).toBe('accepted');
    expect(fieldOf([{ name: 'A', value: 'x'.repeat(MAX_ENVIRONMENT_VARIABLE_VALUE_LENGTH + 1) }])).toBe('[0].value');
    expect(fieldOf([{ name: 'A', value: 'line\r\n\tline' }])).toBe('accepted');
    expect(fieldOf([{ name: 'A', value: 'a\u0000' }])).toBe('[0].value');
  });

  it('names the second entry of a repeated name, whatever its value', () => {
    const result = parse([{ name: 'A', value: '1' }, { name: 'B', value: '2' }, { name: 'A', value: null }]);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toBe('Invalid [2].name: repeats the name given at [0].name.');
  });

  it('refuses a body that is not a list, and more than 1,000 entries', () => {
    expect(fieldOf({ A: '1' })).toBeNull();
    expect(fieldOf(null)).toBeNull();
    expect(fieldOf(Array.from({ length: 1_001 }, (_, i) => ({ name: `V${i}`, value: '' })))).toBeNull();
  });
});
