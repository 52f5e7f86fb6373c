import type { MetricUnit } from '@sightline/shared';
import type { ValueUnit } from '../report-document.ts';

/** The report's unit for a catalog unit: scores and rates are plain numbers in a report. */
export function toValueUnit(unit: MetricUnit): ValueUnit {
  switch (unit) {
    case 'count':
    case 'users':
    case 'ratio':
    case 'currency':
    case 'ms':
    case 'seconds':
      return unit;
    case 'score':
    case 'per_second':
      return 'number';
  }
}
