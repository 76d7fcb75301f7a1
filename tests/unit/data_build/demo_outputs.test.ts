import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDemoData, DEMO_DIRECTORY, summarizeDemoBuild, type DemoBuild } from '../../../data/build/build_demo.ts';
import { bridgeSizeClass, tunnelSizeClass } from '../../../data/build/structure_size_class.ts';

let build: DemoBuild;
beforeAll(() => {
  build = buildDemoData();
});

describe('data/demo built from data/source', () => {
  it('is what is committed, byte for byte (run `npm run data:build` after changing the builder)', () => {
    for (const [fileName, text] of build.files) {
      expect(readFileSync(join(DEMO_DIRECTORY, fileName), 'utf8') === text, `data/demo/${fileName} is stale`).toBe(true);
    }
  });

  it('is deterministic', () => {
    const again = buildDemoData();
    expect([...again.files.entries()]).toEqual([...build.files.entries()]);
  });

  it('holds the four real routes and demo county routes', () => {
    const byCode = new Map(build.routes.map((route) => [route.code, route]));
    expect(byCode.get('G4')).toMatchObject({ name: '京港澳高速', adminClass: 'expressway', isDemoCode: false });
    expect(byCode.get('S1')).toMatchObject({ adminClass: 'expressway', isDemoCode: false });
    expect(byCode.get('G107')).toMatchObject({ adminClass: 'national', isDemoCode: false });
    expect(byCode.get('G310')).toMatchObject({ adminClass: 'national', isDemoCode: false });
    const demo = build.routes.filter((route) => route.isDemoCode);
    expect(demo.length).toBeGreaterThan(20);
    expect(demo.every((route) => /^X9\d\d$/.test(route.code) && route.adminClass === 'county')).toBe(true);
    expect(demo.map((route) => route.name)).toEqual(expect.arrayContaining(['南三环', '中州大道', '东三环', '经开第八大街', '航海东路']));
  });

  it('gives every route segments in both directions where it is divided', () => {
    for (const route of build.routes) expect(build.segments.some((segment) => segment.routeCode === route.code), route.code).toBe(true);
    for (const code of ['G4', 'S1', 'G107', 'G310']) {
      expect(build.segments.some((segment) => segment.routeCode === code && segment.direction === -1), code).toBe(true);
    }
  });

  it('has monotonic M, at most one stake interval per segment and stakes at whole kilometres', () => {
    for (const segment of build.segments) {
      const measures = segment.coordinates.map((coordinate) => coordinate[2]);
      const label = `${segment.routeCode} ${segment.direction} ${segment.chainageFromMeters}`;
      measures.forEach((measure, index) => {
        if (index > 0) expect((measure - (measures[index - 1] ?? 0)) * segment.direction, label).toBeGreaterThan(0);
      });
      expect(segment.chainageFromMeters, label).toBeGreaterThanOrEqual(0);
      expect(segment.chainageFromMeters, label).toBeLessThan(segment.chainageToMeters);
      expect(Math.floor(segment.chainageFromMeters / 1000), label).toBe(Math.ceil(segment.chainageToMeters / 1000) - 1);
      // + lines measure chainage along themselves: ≤ 1000 m up to the 1 cm coordinate rounding.
      if (segment.direction === 1) expect(segment.lengthMeters, label).toBeLessThanOrEqual(1000.02);
      expect(segment.coordinates.every(([longitude, latitude]) => longitude > 113.6 && longitude < 113.9 && latitude > 34.6 && latitude < 34.8)).toBe(true);
    }
  });

  it('uses every stake once per route and direction (sorted segments overlap by at most 0.5 m)', () => {
    const groups = new Map<string, [number, number][]>();
    for (const segment of build.segments) {
      const key = `${segment.routeCode} ${segment.direction}`;
      groups.set(key, [...(groups.get(key) ?? []), [segment.chainageFromMeters, segment.chainageToMeters]]);
    }
    const overlaps: string[] = [];
    for (const [key, ranges] of groups) {
      ranges.sort((first, second) => first[0] - second[0] || first[1] - second[1]);
      let reach: [number, number] | null = null;
      for (const range of ranges) {
        if (reach !== null && reach[1] - range[0] > 0.5) overlaps.push(`${key}: (${reach.join('–')}) and (${range.join('–')})`);
        if (reach === null || range[1] > reach[1]) reach = range;
      }
    }
    expect(overlaps).toEqual([]);
  });

  it('lists the routes whose chainage overlaps were resolved', () => {
    const summary = summarizeDemoBuild(build).join('\n');
    for (const { routeCode } of build.chainageConflicts) expect(summary).toContain(routeCode);
    expect(summary).toMatch(/chainage overlaps resolved .*X907/);
  });

  it('classes every structure by its own length', () => {
    expect(build.structures.length).toBeGreaterThan(0);
    for (const structure of build.structures) {
      const expected = structure.kind === 'bridge' ? bridgeSizeClass(structure.lengthMeters) : tunnelSizeClass(structure.lengthMeters);
      expect(structure.sizeClass).toBe(expected);
    }
  });

  it('keeps every source way on the basemap and the 12 districts', () => {
    const basemap = JSON.parse(build.files.get('basemap_roads.geojson') ?? '{}') as { features: unknown[] };
    const districts = JSON.parse(build.files.get('jurisdictions.geojson') ?? '{}') as { features: { properties: { code: string; parentCode: string } }[] };
    expect(basemap.features).toHaveLength(634);
    expect(districts.features).toHaveLength(12);
    expect(districts.features.map((feature) => feature.properties.code)).toContain('410104');
    expect(districts.features.every((feature) => feature.properties.parentCode === '410100')).toBe(true);
  });
});
