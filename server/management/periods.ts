/** Reporting periods of the management figures: Asia/Shanghai calendar days, months and quarters. */
import { addDays } from '../domain/campaign_forecast.ts';

/** Today in Asia/Shanghai as YYYY-MM-DD. */
export function shanghaiToday(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

export function monthStart(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

/** Last day of the month of `month` (YYYY-MM or a day in it). */
export function monthEnd(month: string): string {
  const [year, monthNumber] = month.slice(0, 7).split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, monthNumber, 0)).toISOString().slice(0, 10);
}

export function addMonths(month: string, months: number): string {
  const [year, monthNumber] = month.slice(0, 7).split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, monthNumber - 1 + months, 1)).toISOString().slice(0, 7);
}

export interface Period {
  /** As requested: 2026-10 or 2026-Q3. */
  label: string;
  kind: 'month' | 'quarter';
  from: string;
  to: string;
  /** The months of the period (YYYY-MM), those of a quarter up to the current month only. */
  months: string[];
}

export const PERIOD_PATTERN = /^(\d{4})-(?:(0[1-9]|1[0-2])|Q([1-4]))$/;

/** 2026-10 → October 2026; 2026-Q3 → July–September (months after `today`'s are left out). */
export function parsePeriod(label: string, today: string): Period | null {
  const match = PERIOD_PATTERN.exec(label);
  if (!match) return null;
  const year = match[1]!;
  if (match[2]) return { label, kind: 'month', from: `${label}-01`, to: monthEnd(label), months: [label] };
  const firstMonth = (Number(match[3]) - 1) * 3 + 1;
  const all = [0, 1, 2].map((offset) => `${year}-${String(firstMonth + offset).padStart(2, '0')}`);
  const months = all.filter((month) => month <= today.slice(0, 7));
  return { label, kind: 'quarter', from: `${all[0]}-01`, to: monthEnd(all[2]!), months: months.length > 0 ? months : [all[0]!] };
}

export { addDays };

/**
 * How a dashboard period [from, to] is read: the whole months inside it from the per-unit monthly
 * snapshot, the days before and after them from the daily rows. The month of `today` counts as
 * whole once `to` reaches today: nothing is reported or cleared on a day that has not come yet.
 */
export function splitPeriod(from: string, to: string, today: string): { monthFrom: string | null; monthTo: string | null; days: [string | null, string | null, string | null, string | null] } {
  const months: string[] = [];
  for (let month = from.slice(0, 7); month <= to.slice(0, 7); month = addMonths(month, 1)) {
    const end = monthEnd(month);
    const whole = `${month}-01` >= from && (end <= to || (month === today.slice(0, 7) && to >= today));
    if (whole) months.push(month);
  }
  if (months.length === 0) return { monthFrom: null, monthTo: null, days: [from, to, null, null] };
  const first = `${months[0]}-01`;
  const last = monthEnd(months.at(-1)!);
  const before = first > from ? [from, addDays(first, -1)] : [null, null];
  const after = last < to ? [addDays(last, 1), to] : [null, null];
  return { monthFrom: first, monthTo: `${months.at(-1)}-01`, days: [before[0]!, before[1]!, after[0]!, after[1]!] as [string | null, string | null, string | null, string | null] };
}
