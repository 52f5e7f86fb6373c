import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clipUtf8, fitAlerts, measureUtf8 } from './fit-alerts.ts';

describe('fitAlerts', () => {
  it('lists the most alerts that fit, as a linear scan would', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 50 }), { maxLength: 60 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 1_500 }),
        fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
        (sizes, headerBytes, maxBytes, maxShown) => {
          const render = (shown: number) =>
            'h'.repeat(headerBytes) +
            sizes
              .slice(0, shown)
              .map((size) => 'a'.repeat(size))
              .join('') +
            (shown < sizes.length ? `+${sizes.length - shown}` : '');
          const result = fitAlerts({
            total: sizes.length,
            maxShown,
            maxBytes,
            render,
            measure: measureUtf8,
          });
          const most = Math.min(sizes.length, maxShown ?? sizes.length);
          let expected = -1;
          for (let n = 0; n <= most; n++) if (render(n).length <= maxBytes) expected = n;
          expect(result.fits).toBe(expected >= 0);
          expect(result.shown).toBe(Math.max(0, expected));
          expect(result.rendered).toBe(render(result.shown));
        },
      ),
    );
  });
});

describe('clipUtf8', () => {
  it('cuts on character boundaries and ends in an ellipsis', () => {
    expect(clipUtf8('short', 10)).toBe('short');
    expect(clipUtf8('告警告警告警', 10)).toBe('告警…');
    expect(measureUtf8(clipUtf8('🔴'.repeat(20), 15))).toBeLessThanOrEqual(15);
  });
});
