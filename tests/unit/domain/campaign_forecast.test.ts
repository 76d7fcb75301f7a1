import { describe, expect, it } from 'vitest';
import { addDays, apportionTarget, computeCampaignProgress, daysBetween, forecastFinish, type CampaignUnitInput } from '../../../server/domain/campaign_forecast.ts';

// Expected dates and figures worked out by hand from the method in the module's header (rate
// λ = k / T, finish = asOf + ⌈R / λ⌉, 90 % interval k ± 1.645·√k), with the calendar.

describe('calendar days', () => {
  it('adds days across month, year and leap-day boundaries', () => {
    expect(addDays('2026-02-27', 2)).toBe('2026-03-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(addDays('2026-05-05', 0)).toBe('2026-05-05');
  });
  it('counts whole days, negative backwards', () => {
    expect(daysBetween('2026-01-01', '2026-01-31')).toBe(30);
    expect(daysBetween('2026-03-01', '2026-02-27')).toBe(-2);
    expect(daysBetween('2025-12-31', '2026-01-01')).toBe(1);
  });
});

describe('forecastFinish', () => {
  it('10 cleared in 10 days, 20 left: rate 1/day, finish in 20 days, window 14 to 42 days', () => {
    // high = (10 + 1.645·√10) / 10 = 1.5202 → ⌈20 / 1.5202⌉ = 14; low = (10 − 5.2019) / 10 = 0.4798 → ⌈41.68⌉ = 42
    expect(forecastFinish(10, 20, 10, '2026-05-10', null)).toEqual({
      method: 'poisson_rate_normal_90',
      ratePerDay: 1,
      forecastFinishDate: '2026-05-30',
      earliestFinishDate: '2026-05-24',
      latestFinishDate: '2026-06-21',
    });
  });
  it('has no latest date while the low rate is not positive (k ≤ 2), and one from k = 3', () => {
    // k = 2: 2 − 1.645·1.414 = −0.33; k = 3: 3 − 1.645·1.732 = 0.151 → low 0.151 / 3 per day
    expect(forecastFinish(2, 5, 4, '2026-05-10', null).latestFinishDate).toBeNull();
    const three = forecastFinish(3, 1, 3, '2026-05-10', null);
    // ⌈1 / (0.1509 / 3)⌉ = ⌈19.88⌉ = 20
    expect(three.latestFinishDate).toBe('2026-05-30');
    expect(three.forecastFinishDate).toBe('2026-05-11');
  });
  it('no pace without a clearance or without elapsed days', () => {
    expect(forecastFinish(0, 5, 7, '2026-05-10', null)).toEqual({
      method: 'poisson_rate_normal_90',
      ratePerDay: 0,
      forecastFinishDate: null,
      earliestFinishDate: null,
      latestFinishDate: null,
    });
    expect(forecastFinish(3, 5, 0, '2026-05-10', null)).toMatchObject({ ratePerDay: null, forecastFinishDate: null, earliestFinishDate: null, latestFinishDate: null });
  });
  it('finished: the day it was finished, or asOf when that is unknown', () => {
    expect(forecastFinish(8, 0, 4, '2026-05-10', '2026-05-08')).toEqual({
      method: 'poisson_rate_normal_90',
      ratePerDay: 2,
      forecastFinishDate: '2026-05-08',
      earliestFinishDate: '2026-05-08',
      latestFinishDate: '2026-05-08',
    });
    expect(forecastFinish(8, 0, 0, '2026-05-10', null)).toMatchObject({ ratePerDay: null, forecastFinishDate: '2026-05-10', earliestFinishDate: '2026-05-10', latestFinishDate: '2026-05-10' });
  });
});

describe('apportionTarget: largest remainder, ties to the lower code', () => {
  it('splits 10 over found 1:2:3 as 2, 3, 5', () => {
    // exact 1.667, 3.333, 5 → wholes 1, 3, 5 (9); the one left goes to the largest fraction (a)
    expect(Object.fromEntries(apportionTarget(10, [{ code: 'a', found: 1 }, { code: 'b', found: 2 }, { code: 'c', found: 3 }]))).toEqual({ a: 2, b: 3, c: 5 });
  });
  it('hands out two left-over units to the two largest fractions, not more', () => {
    // 3 over 1:1:1:1 → 0.75 each, 3 left: a, b, c by code
    expect(Object.fromEntries(apportionTarget(3, [{ code: 'd', found: 1 }, { code: 'c', found: 1 }, { code: 'b', found: 1 }, { code: 'a', found: 1 }]))).toEqual({ a: 1, b: 1, c: 1, d: 0 });
  });
  it('breaks a tie by the lower code whatever the input order', () => {
    expect(Object.fromEntries(apportionTarget(1, [{ code: '410105', found: 2 }, { code: '410104', found: 2 }]))).toEqual({ '410104': 1, '410105': 0 });
    // a larger fraction wins over a lower code: 5 over 1:3 → 1.25, 3.75
    expect(Object.fromEntries(apportionTarget(5, [{ code: 'a', found: 1 }, { code: 'b', found: 3 }]))).toEqual({ a: 1, b: 4 });
  });
  it('gives nothing when nothing was found', () => {
    expect(Object.fromEntries(apportionTarget(7, [{ code: 'a', found: 0 }, { code: 'b', found: 0 }]))).toEqual({ a: 0, b: 0 });
  });
});

describe('computeCampaignProgress', () => {
  // A found 6, cleared 1 on 05-01 and 2 on 05-03; B found 4, cleared 1 on 05-02 (and some outside the
  // campaign's days, which do not count). asOf 05-05: 5 days, 4 cleared.
  const units: CampaignUnitInput[] = [
    { code: 'A', name: '甲', found: 6, clearedByDay: { '2026-05-01': 1, '2026-05-03': 2 } },
    { code: 'B', name: '乙', found: 4, clearedByDay: { '2026-04-30': 5, '2026-05-02': 1, '2026-05-06': 1 } },
  ];
  const base = { startDate: '2026-05-01', deadline: '2026-05-31', asOf: '2026-05-05', units };

  it('everything found in scope: target 10, 4 cleared, pace 0.8 a day', () => {
    const progress = computeCampaignProgress({ ...base, target: null });
    expect(progress).toEqual({
      method: 'poisson_rate_normal_90',
      target: 10,
      cleared: 4,
      remaining: 6,
      progress: 0.4,
      asOf: '2026-05-05',
      elapsedDays: 5,
      ratePerDay: 0.8,
      // ⌈6 / 0.8⌉ = 8; high (4 + 3.29) / 5 = 1.458 → ⌈4.12⌉ = 5; low 0.71 / 5 = 0.142 → ⌈42.25⌉ = 43
      forecastFinishDate: '2026-05-13',
      earliestFinishDate: '2026-05-10',
      latestFinishDate: '2026-06-17',
      series: [
        { date: '2026-05-01', cleared: 1 },
        { date: '2026-05-02', cleared: 2 },
        { date: '2026-05-03', cleared: 4 },
        { date: '2026-05-04', cleared: 4 },
        { date: '2026-05-05', cleared: 4 },
      ],
      onTrack: true,
      byUnit: [
        // A: 3 in 5 days → ⌈3 / 0.6⌉ = 5 days; B: 1 in 5 days → 15 days
        { code: 'A', name: '甲', target: 6, cleared: 3, remaining: 3, forecastFinishDate: '2026-05-10', onTrack: true },
        { code: 'B', name: '乙', target: 4, cleared: 1, remaining: 3, forecastFinishDate: '2026-05-20', onTrack: true },
      ],
    });
  });

  it('on track means a forecast on or before the deadline', () => {
    const tight = computeCampaignProgress({ ...base, target: null, deadline: '2026-05-12' });
    expect(tight.onTrack).toBe(false);
    expect(tight.byUnit.map((unit) => unit.onTrack)).toEqual([true, false]);
    expect(computeCampaignProgress({ ...base, target: null, deadline: '2026-05-13' }).onTrack).toBe(true);
    expect(computeCampaignProgress({ ...base, target: null, deadline: '2026-05-10' }).byUnit[0]?.onTrack).toBe(true);
  });

  it('a number target is split by what each unit found; a finished unit finished the day it reached it', () => {
    const progress = computeCampaignProgress({ ...base, target: 5 });
    expect(progress).toMatchObject({ target: 5, cleared: 4, remaining: 1, progress: 0.8 });
    // 5 over 6:4 → 3 and 2; A reached 3 on 05-03
    expect(progress.byUnit).toEqual([
      { code: 'A', name: '甲', target: 3, cleared: 3, remaining: 0, forecastFinishDate: '2026-05-03', onTrack: true },
      { code: 'B', name: '乙', target: 2, cleared: 1, remaining: 1, forecastFinishDate: '2026-05-10', onTrack: true },
    ]);
  });

  it('progress stops at 1 when more than the target was cleared, and finished on the day it got there', () => {
    const progress = computeCampaignProgress({ ...base, target: 2 });
    expect(progress).toMatchObject({ target: 2, cleared: 4, remaining: 0, progress: 1, forecastFinishDate: '2026-05-02', latestFinishDate: '2026-05-02', onTrack: true });
  });

  it('a target of 0 is done; before the start nothing has elapsed', () => {
    expect(computeCampaignProgress({ ...base, target: 0 })).toMatchObject({ target: 0, progress: 1, remaining: 0 });
    // nothing to do and no day elapsed yet: done as of today, not 0/0
    expect(computeCampaignProgress({ ...base, asOf: '2026-04-28', target: 0 })).toMatchObject({ target: 0, cleared: 0, progress: 1, forecastFinishDate: '2026-04-28', onTrack: true });
    const early = computeCampaignProgress({ ...base, asOf: '2026-04-28', target: null });
    expect(early).toMatchObject({ elapsedDays: 0, series: [], cleared: 0, remaining: 10, progress: 0, ratePerDay: null, forecastFinishDate: null, onTrack: false });
  });

  it('a unit that found nothing gets target 0, met from the campaign\'s first day', () => {
    const progress = computeCampaignProgress({ ...base, target: 4, units: [{ code: 'A', name: '甲', found: 0, clearedByDay: {} }] });
    expect(progress.byUnit).toEqual([{ code: 'A', name: '甲', target: 0, cleared: 0, remaining: 0, forecastFinishDate: '2026-05-01', onTrack: true }]);
  });
});
