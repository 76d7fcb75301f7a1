import { parseStake, STAKE_FORMAT_HINT } from '../domain/stake.ts';
import { badRequest } from '../http/errors.ts';
import type { ChainBreakInput, MarkerInput } from './queries.ts';
import type { SurveyRow } from './read_survey_table.ts';

/** Column names accepted per field (lower-cased English or the Chinese a survey table uses). */
const COLUMNS = {
  route: ['route', '路线', '路线编号'],
  direction: ['direction', '方向'],
  stake: ['stake', '桩号'],
  stakeBefore: ['stake_before', '断链前桩号', '前桩号'],
  stakeAfter: ['stake_after', '断链后桩号', '后桩号'],
  lon: ['lon', 'longitude', '经度'],
  lat: ['lat', 'latitude', '纬度'],
} as const;

type Field = keyof typeof COLUMNS;

function cell(row: SurveyRow, field: Field): string {
  for (const name of COLUMNS[field]) {
    const value = row.cells[name];
    if (value !== undefined && value !== '') return value;
  }
  return '';
}

export interface RowProblem {
  rowNumber: number;
  message: string;
}

/** Stake as `K12+300` or plain metres. */
function stakeMeters(text: string): number | string {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const parsed = parseStake(text);
  return parsed.ok ? parsed.chainageMeters : `"${text}" is not a stake; write ${STAKE_FORMAT_HINT} or metres`;
}

function direction(text: string): 1 | -1 | string {
  if (['1', '+1', '+', '上行'].includes(text)) return 1;
  if (['-1', '-', '下行'].includes(text)) return -1;
  return `direction "${text}" must be 1 / 上行 or -1 / 下行`;
}

function coordinate(text: string, field: 'lon' | 'lat'): number | string {
  const value = Number(text);
  const [min, max] = field === 'lon' ? [-180, 180] : [-90, 90];
  return text !== '' && Number.isFinite(value) && value >= min && value <= max ? value : `${field} "${text}" must be a number between ${min} and ${max} (CGCS2000 / WGS 84 degrees)`;
}

function collect<T>(rows: readonly SurveyRow[], read: (row: SurveyRow) => T | string[]): T[] {
  const problems: RowProblem[] = [];
  const values: T[] = [];
  for (const row of rows) {
    const result = read(row);
    if (Array.isArray(result)) problems.push(...result.map((message) => ({ rowNumber: row.rowNumber, message })));
    else values.push(result);
  }
  if (problems.length > 0) throw badRequest('SURVEY_ROWS_INVALID', `${problems.length} survey rows are invalid; nothing was loaded`, problems);
  return values;
}

/** Stake markers: route, direction, stake, lon, lat per row. */
export function parseMarkerRows(rows: readonly SurveyRow[]): MarkerInput[] {
  return collect(rows, (row) => {
    const routeCode = cell(row, 'route');
    const stake = stakeMeters(cell(row, 'stake'));
    const dir = direction(cell(row, 'direction'));
    const lon = coordinate(cell(row, 'lon'), 'lon');
    const lat = coordinate(cell(row, 'lat'), 'lat');
    const problems = [routeCode === '' ? 'route is empty' : null, stake, dir, lon, lat].filter((value): value is string => typeof value === 'string');
    if (problems.length > 0) return problems;
    return { routeCode, direction: dir as 1 | -1, stakeMeters: stake as number, lon: lon as number, lat: lat as number };
  });
}

/** Chain breaks: route, stake_before, stake_after, and optionally lon, lat of the break. */
export function parseChainBreakRows(rows: readonly SurveyRow[]): ChainBreakInput[] {
  return collect(rows, (row) => {
    const routeCode = cell(row, 'route');
    const before = stakeMeters(cell(row, 'stakeBefore'));
    const after = stakeMeters(cell(row, 'stakeAfter'));
    const hasPoint = cell(row, 'lon') !== '' || cell(row, 'lat') !== '';
    const lon = hasPoint ? coordinate(cell(row, 'lon'), 'lon') : null;
    const lat = hasPoint ? coordinate(cell(row, 'lat'), 'lat') : null;
    const problems = [routeCode === '' ? 'route is empty' : null, before, after, lon, lat].filter((value): value is string => typeof value === 'string');
    if (before === after) problems.push('stake_before and stake_after are equal: that is no chain break');
    if (problems.length > 0) return problems;
    return { routeCode, stakeBeforeMeters: before as number, stakeAfterMeters: after as number, lon: lon as number | null, lat: lat as number | null };
  });
}
