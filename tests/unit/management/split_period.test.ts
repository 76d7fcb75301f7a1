import { describe, expect, it } from 'vitest';
import { splitPeriod } from '../../../server/management/periods.ts';

describe('splitPeriod: whole months from the snapshot, the rest by day', () => {
  it('reads this month so far as one whole month (nothing happens after today)', () => {
    expect(splitPeriod('2026-11-01', '2026-11-17', '2026-11-17')).toEqual({ monthFrom: '2026-11-01', monthTo: '2026-11-01', days: [null, null, null, null] });
  });

  it('reads a partial month of the past by day', () => {
    expect(splitPeriod('2026-10-01', '2026-10-15', '2026-11-17')).toEqual({ monthFrom: null, monthTo: null, days: ['2026-10-01', '2026-10-15', null, null] });
  });

  it('splits a range into leading days, whole months and trailing days', () => {
    expect(splitPeriod('2026-07-20', '2026-10-05', '2026-11-17')).toEqual({ monthFrom: '2026-08-01', monthTo: '2026-09-01', days: ['2026-07-20', '2026-07-31', '2026-10-01', '2026-10-05'] });
  });

  it('takes February of a leap year whole up to the 29th', () => {
    expect(splitPeriod('2028-02-01', '2028-02-29', '2028-05-01')).toEqual({ monthFrom: '2028-02-01', monthTo: '2028-02-01', days: [null, null, null, null] });
    expect(splitPeriod('2028-02-01', '2028-02-28', '2028-05-01')).toEqual({ monthFrom: null, monthTo: null, days: ['2028-02-01', '2028-02-28', null, null] });
  });
});
