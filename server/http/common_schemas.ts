import { z } from 'zod';
import { ROUTE_CODE_PATTERN } from '../domain/admin_class.ts';

/** Bounding box `minLon,minLat,maxLon,maxLat` in WGS84 degrees. */
export const bboxSchema = z
  .string()
  .transform((text, context) => {
    const parts = text.split(',').map((part) => Number(part.trim()));
    if (parts.length !== 4 || parts.some((value) => !Number.isFinite(value))) {
      context.addIssue({ code: 'custom', message: 'bbox must be four numbers: minLon,minLat,maxLon,maxLat' });
      return z.NEVER;
    }
    const [minLon, minLat, maxLon, maxLat] = parts as [number, number, number, number];
    if (minLon < -180 || maxLon > 180 || minLat < -90 || maxLat > 90) {
      context.addIssue({ code: 'custom', message: 'bbox longitudes must be between -180 and 180 and latitudes between -90 and 90' });
      return z.NEVER;
    }
    if (minLon > maxLon || minLat > maxLat) {
      context.addIssue({ code: 'custom', message: 'bbox minimum must not exceed its maximum (minLon,minLat,maxLon,maxLat)' });
      return z.NEVER;
    }
    return { minLon, minLat, maxLon, maxLat };
  });
export type Bbox = z.output<typeof bboxSchema>;

export const longitudeSchema = z.coerce
  .number({ message: 'longitude must be a number' })
  .min(-180, 'longitude must be between -180 and 180')
  .max(180, 'longitude must be between -180 and 180');
export const latitudeSchema = z.coerce
  .number({ message: 'latitude must be a number' })
  .min(-90, 'latitude must be between -90 and 90')
  .max(90, 'latitude must be between -90 and 90');

export const MAX_PAGE_LIMIT = 5000;

/** limit/offset paging with a cap, so one request cannot ask for the whole province. */
export function pagingSchema(defaultLimit: number) {
  return {
    limit: z.coerce
      .number()
      .int('limit must be a whole number')
      .min(1, 'limit must be at least 1')
      .max(MAX_PAGE_LIMIT, `limit must be at most ${MAX_PAGE_LIMIT}`)
      .default(defaultLimit),
    offset: z.coerce.number().int('offset must be a whole number').min(0, 'offset must be 0 or more').max(10_000_000).default(0),
  };
}

export const routeCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(ROUTE_CODE_PATTERN, 'route must be a GB/T 917 route code: a letter G/S/X/Y/C/Z and 1–4 digits, e.g. G107');

export const idParamsSchema = z.object({
  id: z.coerce.number().int('id must be a whole number').positive('id must be positive').max(Number.MAX_SAFE_INTEGER),
});

/** `1`, `+1`, `+`, `-1`, `-`, `−`: the direction of travel relative to chainage. */
export const directionSchema = z
  .enum(['1', '+1', '+', '-1', '-', '−'], { message: 'direction must be 1 (+, chainage increasing) or -1 (−)' })
  .transform((value) => (value === '1' || value === '+1' || value === '+' ? 1 : -1) as 1 | -1);

/**
 * A real calendar day `YYYY-MM-DD` (2026-02-30 is not one; JavaScript's Date would quietly make
 * it March 2nd, PostgreSQL refuses it with an error).
 */
export function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1900 || year > 2999 || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** `YYYY-MM-DD`, a day that exists, between 1900 and 2999. */
export function calendarDateSchema(name: string, zone = 'Asia/Shanghai') {
  return z
    .string()
    .trim()
    .refine(isCalendarDate, `${name} must be a date YYYY-MM-DD that exists (${zone}), e.g. 2026-02-28`);
}

/** A calendar date or a range `YYYY-MM-DD/YYYY-MM-DD` whose start is not after its end. */
export function calendarDateOrRangeSchema(name: string) {
  return z
    .string()
    .trim()
    .refine((text) => {
      const [from, to, ...rest] = text.split('/');
      if (rest.length > 0 || !from || !isCalendarDate(from)) return false;
      return to === undefined || (isCalendarDate(to) && from <= to);
    }, `${name} must be a date YYYY-MM-DD that exists or a range YYYY-MM-DD/YYYY-MM-DD (start not after end)`);
}
