import { describe, expect, it } from 'vitest';
import { resolveQualityRange } from './resolve-quality-range.ts';

const NOW = Date.parse('2026-11-20T03:30:00Z');
const at = (iso: string) => Date.parse(iso);

describe('resolveQualityRange', () => {
  it.each([
    [
      'the last 24 hours up to the end of the current hour',
      {},
      '2026-11-19T04:00:00Z',
      '2026-11-20T04:00:00Z',
    ],
    [
      'ISO bounds widened to whole hours',
      { from: '2026-11-20T01:30:00Z', to: '2026-11-20T02:00:00.001Z' },
      '2026-11-20T01:00:00Z',
      '2026-11-20T03:00:00Z',
    ],
    [
      'ISO with an offset',
      { from: '2026-11-20T09:00:00+08:00', to: '2026-11-20T12:00:00+08:00' },
      '2026-11-20T01:00:00Z',
      '2026-11-20T04:00:00Z',
    ],
    [
      'epoch ms',
      { from: String(at('2026-11-20T01:00:00Z')), to: String(at('2026-11-20T04:00:00Z')) },
      '2026-11-20T01:00:00Z',
      '2026-11-20T04:00:00Z',
    ],
    [
      'only to: the 24 hours before it',
      { to: '2026-11-10T00:00:00Z' },
      '2026-11-09T00:00:00Z',
      '2026-11-10T00:00:00Z',
    ],
    [
      'only from: up to now',
      { from: '2026-11-20T00:00:00Z' },
      '2026-11-20T00:00:00Z',
      '2026-11-20T04:00:00Z',
    ],
    [
      'exactly 90 days',
      { from: '2026-08-22T00:00:00Z', to: '2026-11-20T00:00:00Z' },
      '2026-08-22T00:00:00Z',
      '2026-11-20T00:00:00Z',
    ],
  ])('%s', (_name, query, from, to) => {
    expect(resolveQualityRange(query, NOW)).toEqual({ from: at(from), to: at(to) });
  });

  it.each([
    [
      'from after to',
      { from: '2026-11-20T02:00:00Z', to: '2026-11-20T01:00:00Z' },
      'from must be before to',
    ],
    [
      'from equal to to',
      { from: '2026-11-20T01:00:00Z', to: '2026-11-20T01:00:00Z' },
      'from must be before to',
    ],
    ['over 90 days', { from: '2026-08-21T23:59:59.999Z', to: '2026-11-20T00:00:00Z' }, '90 days'],
    ['not a time', { from: 'yesterday' }, 'from must be ISO-8601'],
    ['a local time without offset', { to: '2026-11-20T01:00:00' }, 'to must be ISO-8601'],
    ['a negative number', { from: '-5' }, 'from must be ISO-8601'],
  ])('rejects %s', (_name, query, reason) => {
    expect(() => resolveQualityRange(query, NOW)).toThrow(
      expect.objectContaining({
        code: 'ERR_REQUEST_INVALID',
        message: expect.stringContaining(reason),
      }),
    );
  });
});
