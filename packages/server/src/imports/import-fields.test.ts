import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  countField,
  currencyField,
  enumField,
  idField,
  jsonArrayField,
  moneyField,
  timeField,
} from './import-fields.ts';

const NOW = Date.UTC(2024, 5, 1, 12, 0, 0);

function check(schema: z.ZodType, value: unknown): { value: unknown } | { message: string } {
  const parsed = schema.safeParse(value);
  return parsed.success
    ? { value: parsed.data }
    : { message: parsed.error.issues.map((issue) => issue.message).join('; ') };
}

const DECIMAL = 'must be integer minor units (fen, cents), e.g. 1999 for 19.99, not a decimal';

describe('import fields', () => {
  it.each<[string, unknown, { value: unknown } | { message: string }]>([
    ['integer text', '1999', { value: 1999 }],
    ['padded integer text', ' 42 ', { value: 42 }],
    ['JSON integer', 0, { value: 0 }],
    ['decimal text', '19.99', { message: DECIMAL }],
    ['decimal text with zero cents', '20.00', { message: DECIMAL }],
    ['JSON decimal', 19.5, { message: DECIMAL }],
    ['negative', '-1', { message: 'must be between 0 and 10000000000000 minor units' }],
    ['too large', 1e14, { message: 'must be between 0 and 10000000000000 minor units' }],
    ['beyond safe integers', '99999999999999999999', { message: 'is out of range' }],
    ['words', 'ten', { message: 'must be an integer' }],
    ['boolean', true, { message: 'must be an integer' }],
    ['missing', undefined, { message: 'is required' }],
  ])('money: %s', (_label, value, expected) => {
    expect(check(moneyField(), value)).toEqual(expected);
  });

  it.each<[string, unknown, { value: unknown } | { message: string }]>([
    ['ISO with offset', '2024-05-01T10:00:00+08:00', { value: Date.UTC(2024, 4, 1, 2) }],
    ['ISO with compact offset', '2024-05-01T10:00:00+0800', { value: Date.UTC(2024, 4, 1, 2) }],
    ['ISO without offset is UTC', '2024-05-01T10:00:00', { value: Date.UTC(2024, 4, 1, 10) }],
    ['space instead of T', '2024-05-01 10:00', { value: Date.UTC(2024, 4, 1, 10) }],
    ['date only', '2024-05-01', { value: Date.UTC(2024, 4, 1) }],
    ['fractions', '2024-05-01T10:00:00.123456Z', { value: Date.UTC(2024, 4, 1, 10, 0, 0, 123) }],
    ['epoch ms text', '1714557600000', { value: 1714557600000 }],
    ['epoch ms number', 1714557600000, { value: 1714557600000 }],
    ['a day ahead is fine', NOW + 86_400_000, { value: NOW + 86_400_000 }],
    ['further ahead', NOW + 86_400_001, { message: 'is more than a day in the future' }],
    [
      'epoch seconds',
      1714557600,
      { message: 'is before 2000-01-01 (epoch milliseconds, not seconds?)' },
    ],
    ['February 30', '2024-02-30', { message: 'is not a valid date and time' }],
    ['hour 24', '2024-05-01T24:00:00Z', { message: 'is not a valid date and time' }],
    [
      'words',
      'yesterday',
      { message: 'must be epoch milliseconds or ISO-8601 (2024-05-01T10:00:00+08:00)' },
    ],
    [
      'US date',
      '05/01/2024',
      { message: 'must be epoch milliseconds or ISO-8601 (2024-05-01T10:00:00+08:00)' },
    ],
  ])('time: %s', (_label, value, expected) => {
    expect(check(timeField(NOW), value)).toEqual(expected);
  });

  it.each<[z.ZodType, unknown, { value: unknown } | { message: string }]>([
    [countField(1, 10), '3', { value: 3 }],
    [countField(1, 10), '2.5', { message: 'must be a whole number, not a decimal' }],
    [countField(1, 10), 11, { message: 'must be between 1 and 10' }],
    [idField(), ' o-1 ', { value: 'o-1' }],
    [idField(), 12345, { value: '12345' }],
    [idField(), '   ', { message: 'must not be empty' }],
    [idField(5), 'abcdef', { message: 'must be at most 5 characters' }],
    [idField(), { id: 1 }, { message: 'must be a string' }],
    [enumField(['paid', 'pending']), 'PAID', { value: 'paid' }],
    [enumField(['paid', 'pending']), 'shipped', { message: 'must be one of paid, pending' }],
    [currencyField(), 'usd', { value: 'USD' }],
    [currencyField(), 'RMB1', { message: 'must be a three-letter currency code such as CNY' }],
    [jsonArrayField(idField(), 2), '["a","b"]', { value: ['a', 'b'] }],
    [jsonArrayField(idField(), 2), ['a'], { value: ['a'] }],
    [jsonArrayField(idField(), 2), '["a",', { message: 'must be a JSON array' }],
    [jsonArrayField(idField(), 2), ['a', 'b', 'c'], { message: 'must have at most 2 entries' }],
  ])('field %#', (schema, value, expected) => {
    expect(check(schema, value)).toEqual(expected);
  });
});
