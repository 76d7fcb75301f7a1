/**
 * Campaign (专项行动) progress and finish forecast. Pure: dates are Asia/Shanghai calendar days
 * as 'YYYY-MM-DD' strings, counts come from the management aggregates.
 *
 * Forecast method (stated so a reader can recompute it by hand): clearances are treated as a
 * Poisson process with a constant daily rate. The rate is estimated over the whole campaign so far,
 * λ = k / T (k cases cleared in the T calendar days from the start through `asOf`, both counted).
 * The remaining R cases take ⌈R / λ⌉ more days: forecastFinishDate = asOf + ⌈R / λ⌉. Uncertainty:
 * the 90 % normal-approximation interval of a Poisson count, k ± 1.645·√k, gives the rate's
 * interval [(k − 1.645√k)/T, (k + 1.645√k)/T] and so the finish window
 * [asOf + ⌈R / λ_high⌉, asOf + ⌈R / λ_low⌉] (no latest date while λ_low ≤ 0, i.e. k ≤ 2).
 * With nothing cleared yet there is no pace and no forecast. A unit is on track when its own
 * forecast finish is on or before the deadline.
 */

export const FORECAST_Z_90 = 1.645;
const DAY_MILLISECONDS = 86_400_000;

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MILLISECONDS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MILLISECONDS);
}

export interface Forecast {
  method: 'poisson_rate_normal_90';
  ratePerDay: number | null;
  forecastFinishDate: string | null;
  earliestFinishDate: string | null;
  latestFinishDate: string | null;
}

/** Finish forecast for `remaining` cases after `cleared` in `elapsedDays` days up to `asOf`. */
export function forecastFinish(cleared: number, remaining: number, elapsedDays: number, asOf: string, finishedOn: string | null): Forecast {
  const method = 'poisson_rate_normal_90' as const;
  const rate = elapsedDays > 0 ? cleared / elapsedDays : null;
  if (remaining <= 0) return { method, ratePerDay: rate, forecastFinishDate: finishedOn ?? asOf, earliestFinishDate: finishedOn ?? asOf, latestFinishDate: finishedOn ?? asOf };
  if (rate === null || cleared === 0) return { method, ratePerDay: rate, forecastFinishDate: null, earliestFinishDate: null, latestFinishDate: null };
  const spread = FORECAST_Z_90 * Math.sqrt(cleared);
  const high = (cleared + spread) / elapsedDays;
  const low = (cleared - spread) / elapsedDays;
  return {
    method,
    ratePerDay: rate,
    forecastFinishDate: addDays(asOf, Math.ceil(remaining / rate)),
    earliestFinishDate: addDays(asOf, Math.ceil(remaining / high)),
    latestFinishDate: low > 0 ? addDays(asOf, Math.ceil(remaining / low)) : null,
  };
}

export interface CampaignUnitInput {
  code: string;
  name: string;
  /** Cases found in scope (the basis of "everything found in scope" and of splitting a number target). */
  found: number;
  /** Cases cleared per day since the start. */
  clearedByDay: Readonly<Record<string, number>>;
}

export interface CampaignProgressInput {
  startDate: string;
  deadline: string;
  /** The day progress is measured at (today). */
  asOf: string;
  /** A number, or null for everything found in scope. */
  target: number | null;
  units: readonly CampaignUnitInput[];
}

export interface CampaignUnitProgress {
  code: string;
  name: string;
  target: number;
  cleared: number;
  remaining: number;
  forecastFinishDate: string | null;
  onTrack: boolean;
}

export interface CampaignProgress extends Forecast {
  target: number;
  cleared: number;
  remaining: number;
  /** Share of the target cleared, 0–1. */
  progress: number;
  asOf: string;
  elapsedDays: number;
  series: { date: string; cleared: number }[];
  onTrack: boolean;
  byUnit: CampaignUnitProgress[];
}

/**
 * Splits a number target over units in proportion to what each found (largest remainder, ties to
 * the lower code), so the unit targets add up to the campaign's.
 */
export function apportionTarget(target: number, units: readonly { code: string; found: number }[]): Map<string, number> {
  const totalFound = units.reduce((sum, unit) => sum + unit.found, 0);
  const shares = units.map((unit) => {
    const exact = totalFound === 0 ? 0 : (target * unit.found) / totalFound;
    return { code: unit.code, whole: Math.floor(exact), fraction: exact - Math.floor(exact) };
  });
  let left = totalFound === 0 ? 0 : target - shares.reduce((sum, share) => sum + share.whole, 0);
  const order = [...shares].sort((a, b) => b.fraction - a.fraction || a.code.localeCompare(b.code));
  for (const share of order) {
    if (left <= 0) break;
    share.whole += 1;
    left -= 1;
  }
  return new Map(shares.map((share) => [share.code, share.whole]));
}

function cumulative(startDate: string, asOf: string, byDay: Readonly<Record<string, number>>): { date: string; cleared: number }[] {
  const series: { date: string; cleared: number }[] = [];
  let total = 0;
  for (let day = startDate; day <= asOf; day = addDays(day, 1)) {
    total += byDay[day] ?? 0;
    series.push({ date: day, cleared: total });
  }
  return series;
}

function progressOf(target: number, series: { date: string; cleared: number }[], elapsedDays: number, asOf: string, deadline: string) {
  const cleared = series.at(-1)?.cleared ?? 0;
  const remaining = Math.max(0, target - cleared);
  const finishedOn = remaining === 0 ? (series.find((point) => point.cleared >= target)?.date ?? asOf) : null;
  const forecast = forecastFinish(cleared, remaining, elapsedDays, asOf, finishedOn);
  const onTrack = forecast.forecastFinishDate !== null && forecast.forecastFinishDate <= deadline;
  return { cleared, remaining, forecast, onTrack };
}

export function computeCampaignProgress(input: CampaignProgressInput): CampaignProgress {
  const elapsedDays = Math.max(0, daysBetween(input.startDate, input.asOf) + 1);
  const found = input.units.reduce((sum, unit) => sum + unit.found, 0);
  const target = input.target ?? found;
  const unitTargets = input.target === null ? new Map(input.units.map((unit) => [unit.code, unit.found])) : apportionTarget(input.target, input.units);

  const allByDay: Record<string, number> = {};
  for (const unit of input.units) for (const [day, count] of Object.entries(unit.clearedByDay)) allByDay[day] = (allByDay[day] ?? 0) + count;
  const series = cumulative(input.startDate, input.asOf, allByDay);
  const total = progressOf(target, series, elapsedDays, input.asOf, input.deadline);

  const byUnit = input.units.map((unit): CampaignUnitProgress => {
    const unitTarget = unitTargets.get(unit.code) ?? 0;
    const unitProgress = progressOf(unitTarget, cumulative(input.startDate, input.asOf, unit.clearedByDay), elapsedDays, input.asOf, input.deadline);
    return {
      code: unit.code,
      name: unit.name,
      target: unitTarget,
      cleared: unitProgress.cleared,
      remaining: unitProgress.remaining,
      forecastFinishDate: unitProgress.forecast.forecastFinishDate,
      onTrack: unitProgress.onTrack,
    };
  });
  return {
    target,
    cleared: total.cleared,
    remaining: total.remaining,
    progress: target === 0 ? 1 : Math.min(1, total.cleared / target),
    asOf: input.asOf,
    elapsedDays,
    series,
    ...total.forecast,
    onTrack: total.onTrack,
    byUnit,
  };
}
