import { ADMIN_CLASSES, type AdminClass } from '../../server/domain/admin_class.ts';
import { firstItem, lastItem } from './array_access.ts';
import { distanceMeters } from './geodesy.ts';
import type { LonLat } from './round_numbers.ts';
import { compareOsmIds, type SourceWay } from './source_ways.ts';

/** One line of data/demo/routes.json. */
export interface RouteRecord {
  code: string;
  name: string;
  nameEn: string | null;
  adminClass: AdminClass;
  /** True for the X9NN codes this builder invents for named roads without a `ref`. */
  isDemoCode: boolean;
}

export interface RouteCatalog {
  routes: RouteRecord[];
  /** Ways of each route, in osm id order. */
  waysByRouteCode: Map<string, SourceWay[]>;
  /** Unreferenced ways taken into a referenced route because they fill a hole in it. */
  adoptedWays: { osmId: string; routeCode: string }[];
}

/** Road classes whose named, unreferenced ways become demo county routes. Ramps never do. */
const DEMO_ROUTE_HIGHWAYS = new Set(['trunk', 'primary', 'secondary', 'tertiary']);

/** Demo county codes run X901…X999. No way in the extract carries a county ref; should one
 * ever collide with a demo code, the build stops rather than merge two roads. */
const DEMO_CODE_FIRST_NUMBER = 901;
const DEMO_CODE_LAST_NUMBER = 999;

/** Ways whose ends lie within this distance count as sharing a junction node. */
const NODE_TOLERANCE_METERS = 1;

/**
 * Administrative class from the GB/T 917 code pattern, or null when the text is not a
 * route code this platform models (city street refs, Z special-purpose roads).
 */
export function adminClassForCode(code: string): AdminClass | null {
  if (/^G(\d{1,2}|\d{4})$/.test(code)) return 'expressway';
  if (/^G\d{3}$/.test(code)) return 'national';
  if (/^S\d{1,2}$/.test(code)) return 'expressway'; // provincial expressway
  if (/^S\d{3,4}$/.test(code)) return 'provincial';
  if (/^X\d{3,4}$/.test(code)) return 'county';
  if (/^Y\d{3,4}$/.test(code)) return 'township';
  if (/^C\d{3,4}$/.test(code)) return 'village';
  return null;
}

/** Route codes on a way: its `ref` split on ";", keeping only GB/T 917 codes. */
export function routeCodesOfWay(way: SourceWay): string[] {
  if (way.ref === null || way.highway.endsWith('_link')) return [];
  return way.ref
    .split(';')
    .map((part) => part.trim().replace(/\s+/g, ''))
    .filter((code) => adminClassForCode(code) !== null);
}

/** Compares route codes by class order, then letter, then number ("G4" < "G30" < "G107"). */
export function compareRouteCodes(first: RouteRecord, second: RouteRecord): number {
  const classDifference = ADMIN_CLASSES.indexOf(first.adminClass) - ADMIN_CLASSES.indexOf(second.adminClass);
  if (classDifference !== 0) return classDifference;
  const firstLetter = first.code.slice(0, 1);
  const secondLetter = second.code.slice(0, 1);
  if (firstLetter !== secondLetter) return firstLetter < secondLetter ? -1 : 1;
  return Number(first.code.slice(1)) - Number(second.code.slice(1));
}

/** Plain code-point order: locale collation differs between ICU builds, this never does. */
function compareText(first: string, second: string): number {
  return first < second ? -1 : first > second ? 1 : 0;
}

/** Most frequent value, ties broken by code-point order; null when there is none. */
function mostFrequent(values: (string | null)[]): string | null {
  const counts = new Map<string, number>();
  for (const value of values) if (value !== null) counts.set(value, (counts.get(value) ?? 0) + 1);
  const sorted = [...counts.entries()].sort((first, second) => second[1] - first[1] || compareText(first[0], second[0]));
  return sorted[0]?.[0] ?? null;
}

/**
 * Name of a referenced route. Expressways carry their route name on the ways (京港澳高速);
 * ordinary national and provincial roads carry street names (东四环, 南四环) that change
 * along the route, so they get the standard "国道310线" form instead.
 */
function namesForReferencedRoute(code: string, adminClass: AdminClass, ways: SourceWay[]): { name: string; nameEn: string | null } {
  const number = code.slice(1);
  if (adminClass === 'expressway') {
    const name = mostFrequent(ways.map((way) => way.name)) ?? code;
    const nameEn = mostFrequent(ways.filter((way) => way.name === name).map((way) => way.nameEn));
    return { name, nameEn };
  }
  if (adminClass === 'national') return { name: `国道${number}线`, nameEn: `National Highway ${number}` };
  if (adminClass === 'provincial') return { name: `省道${number}线`, nameEn: `Provincial Highway ${number}` };
  if (adminClass === 'county') return { name: `县道${number}线`, nameEn: `County Road ${code}` };
  if (adminClass === 'township') return { name: `乡道${number}线`, nameEn: `Township Road ${code}` };
  return { name: `村道${number}线`, nameEn: `Village Road ${code}` };
}

/** Start and end of a way in driving direction(s): two-way ways count both ways round. */
function drivenEnds(way: SourceWay): { start: LonLat; end: LonLat }[] {
  const first = firstItem(way.coordinates);
  const last = lastItem(way.coordinates);
  if (way.oneway === 'forward') return [{ start: first, end: last }];
  if (way.oneway === 'backward') return [{ start: last, end: first }];
  return [
    { start: first, end: last },
    { start: last, end: first },
  ];
}

/**
 * True when `candidate` is driven from the end of one way of `routeWays` straight into the
 * start of another: OSM mappers sometimes leave `ref` off one short way in the middle of a
 * route (G310 on 东四环 has such a 200 m way), which would otherwise split the carriageway.
 */
function fillsHoleInRoute(candidate: SourceWay, routeWays: SourceWay[]): boolean {
  const routeEnds = routeWays.flatMap(drivenEnds);
  return drivenEnds(candidate).some(
    (candidateEnds) =>
      routeEnds.some((ends) => distanceMeters(ends.end, candidateEnds.start) <= NODE_TOLERANCE_METERS) &&
      routeEnds.some((ends) => distanceMeters(candidateEnds.end, ends.start) <= NODE_TOLERANCE_METERS),
  );
}

/**
 * Builds the route list and each route's ways.
 * - Ways with a GB/T 917 `ref` belong to that route (to each, for "G107;G310").
 * - An unreferenced way with the same name as ways of a referenced route, driven end-to-start
 *   between two of that route's ways, is adopted into it (a missing tag, not a new road).
 * - Remaining named, unreferenced trunk/primary/secondary/tertiary ways are grouped by name and
 *   get demo county codes X901, X902, … in code-point order of the name.
 * - Unnamed unreferenced ways and all `*_link` ramps are not routes.
 */
export function buildRouteCatalog(ways: SourceWay[]): RouteCatalog {
  const sortedWays = [...ways].sort((first, second) => compareOsmIds(first.osmId, second.osmId));
  const waysByRouteCode = new Map<string, SourceWay[]>();
  const unreferenced: SourceWay[] = [];
  for (const way of sortedWays) {
    if (way.highway.endsWith('_link')) continue;
    const codes = routeCodesOfWay(way);
    if (codes.length === 0) {
      unreferenced.push(way);
      continue;
    }
    for (const code of codes) {
      const routeWays = waysByRouteCode.get(code) ?? [];
      routeWays.push(way);
      waysByRouteCode.set(code, routeWays);
    }
  }

  const adoptedWays: { osmId: string; routeCode: string }[] = [];
  const referencedCodes = [...waysByRouteCode.keys()].sort();
  const stillUnreferenced: SourceWay[] = [];
  for (const way of unreferenced) {
    const adoptingCode = referencedCodes.find((code) => {
      const routeWays = waysByRouteCode.get(code) ?? [];
      return way.name !== null && routeWays.some((routeWay) => routeWay.name === way.name) && fillsHoleInRoute(way, routeWays);
    });
    if (adoptingCode === undefined) {
      stillUnreferenced.push(way);
      continue;
    }
    adoptedWays.push({ osmId: way.osmId, routeCode: adoptingCode });
  }
  // Add adopted ways only after all checks so adoption never chains off another adopted way.
  for (const adopted of adoptedWays) {
    const way = sortedWays.find((candidate) => candidate.osmId === adopted.osmId);
    const routeWays = waysByRouteCode.get(adopted.routeCode);
    if (way !== undefined && routeWays !== undefined) {
      routeWays.push(way);
      routeWays.sort((first, second) => compareOsmIds(first.osmId, second.osmId));
    }
  }

  const routes: RouteRecord[] = referencedCodes.map((code) => {
    const adminClass = adminClassForCode(code);
    if (adminClass === null) throw new Error(`route code ${code} has no administrative class`);
    return { code, ...namesForReferencedRoute(code, adminClass, waysByRouteCode.get(code) ?? []), adminClass, isDemoCode: false };
  });

  const waysByName = new Map<string, SourceWay[]>();
  for (const way of stillUnreferenced) {
    if (way.name === null || !DEMO_ROUTE_HIGHWAYS.has(way.highway)) continue;
    const namedWays = waysByName.get(way.name) ?? [];
    namedWays.push(way);
    waysByName.set(way.name, namedWays);
  }
  const names = [...waysByName.keys()].sort(compareText);
  if (DEMO_CODE_FIRST_NUMBER + names.length - 1 > DEMO_CODE_LAST_NUMBER) {
    throw new Error(`${names.length} named roads need demo codes but only X901–X999 are available`);
  }
  names.forEach((name, index) => {
    const code = `X${DEMO_CODE_FIRST_NUMBER + index}`;
    const namedWays = waysByName.get(name) ?? [];
    if (waysByRouteCode.has(code)) throw new Error(`demo code ${code} collides with a real ref in the data`);
    waysByRouteCode.set(code, namedWays);
    routes.push({ code, name, nameEn: mostFrequent(namedWays.map((way) => way.nameEn)), adminClass: 'county', isDemoCode: true });
  });

  routes.sort(compareRouteCodes);
  return { routes, waysByRouteCode, adoptedWays };
}
