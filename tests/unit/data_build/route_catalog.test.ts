import { describe, expect, it } from 'vitest';
import { adminClassForCode, buildRouteCatalog } from '../../../data/build/route_catalog.ts';
import { eastWestWay } from './way_builders.ts';

const trunk = { highway: 'trunk', oneway: 'yes' };

function sampleWays() {
  return [
    eastWestWay('way/10', 0, 500, { highway: 'motorway', ref: 'G4', name: '京港澳高速', 'name:en': "Jinggang'ao Expressway", oneway: 'yes' }),
    eastWestWay('way/11', 0, 500, { ...trunk, ref: 'G310', name: '南四环' }, 1000),
    eastWestWay('way/12', 500, 1000, { ...trunk, ref: 'G310', name: '东四环' }, 1000),
    eastWestWay('way/20', 0, 500, { highway: 'secondary', name: '经北六路' }, 2000),
    eastWestWay('way/21', 0, 500, { highway: 'trunk', name: '南三环', 'name:en': 'South Third Ring Road', oneway: 'yes' }, 3000),
    eastWestWay('way/22', 500, 1000, { highway: 'primary', name: '中州大道', oneway: 'yes' }, 4000),
    eastWestWay('way/30', 0, 500, { highway: 'tertiary' }, 5000), // unnamed, no ref
    eastWestWay('way/31', 0, 500, { highway: 'trunk_link', name: '经开工业大道', oneway: 'yes' }, 6000), // named ramp
    eastWestWay('way/32', 0, 500, { highway: 'motorway_link', ref: 'G4', oneway: 'yes' }, 7000), // ramp with ref
  ];
}

describe('adminClassForCode', () => {
  it.each([
    ['G4', 'expressway'],
    ['G30', 'expressway'],
    ['G0511', 'expressway'],
    ['S1', 'expressway'],
    ['G107', 'national'],
    ['S223', 'provincial'],
    ['X901', 'county'],
    ['Y012', 'township'],
    ['C101', 'village'],
  ])('%s is %s', (code, adminClass) => {
    expect(adminClassForCode(code)).toBe(adminClass);
  });

  it('rejects texts that are not GB/T 917 route codes', () => {
    expect(adminClassForCode('AH1')).toBeNull();
    expect(adminClassForCode('Z001')).toBeNull();
    expect(adminClassForCode('G')).toBeNull();
  });
});

describe('buildRouteCatalog', () => {
  it('keeps real refs and gives named roads demo X9NN codes in code-point order of the name', () => {
    const { routes } = buildRouteCatalog(sampleWays());
    expect(routes).toEqual([
      { code: 'G4', name: '京港澳高速', nameEn: "Jinggang'ao Expressway", adminClass: 'expressway', isDemoCode: false },
      { code: 'G310', name: '国道310线', nameEn: 'National Highway 310', adminClass: 'national', isDemoCode: false },
      { code: 'X901', name: '中州大道', nameEn: null, adminClass: 'county', isDemoCode: true },
      { code: 'X902', name: '南三环', nameEn: 'South Third Ring Road', adminClass: 'county', isDemoCode: true },
      { code: 'X903', name: '经北六路', nameEn: null, adminClass: 'county', isDemoCode: true },
    ]);
  });

  it('assigns the same demo codes whatever order the ways come in', () => {
    const forward = buildRouteCatalog(sampleWays()).routes;
    const backward = buildRouteCatalog(sampleWays().reverse()).routes;
    expect(backward).toEqual(forward);
  });

  it('leaves ramps and unnamed unreferenced ways out of every route', () => {
    const { waysByRouteCode } = buildRouteCatalog(sampleWays());
    const routedIds = [...waysByRouteCode.values()].flat().map((way) => way.osmId);
    expect(routedIds).not.toContain('way/30');
    expect(routedIds).not.toContain('way/31');
    expect(routedIds).not.toContain('way/32');
    expect(waysByRouteCode.get('G4')?.map((way) => way.osmId)).toEqual(['way/10']);
  });

  it('adopts an unreferenced way of the same name that fills a hole between two ways of a route', () => {
    const ways = [
      eastWestWay('way/1', 0, 500, { ...trunk, ref: 'G310', name: '东四环' }),
      eastWestWay('way/2', 500, 700, { ...trunk, name: '东四环' }), // the ref is missing on this one
      eastWestWay('way/3', 700, 1200, { ...trunk, ref: 'G310', name: '东四环' }),
      eastWestWay('way/4', 1200, 1500, { ...trunk, name: '东四环' }), // continues past the route's end: not adopted
    ];
    const catalog = buildRouteCatalog(ways);
    expect(catalog.adoptedWays).toEqual([{ osmId: 'way/2', routeCode: 'G310' }]);
    expect(catalog.waysByRouteCode.get('G310')?.map((way) => way.osmId)).toEqual(['way/1', 'way/2', 'way/3']);
    expect(catalog.routes.find((route) => route.isDemoCode)).toMatchObject({ code: 'X901', name: '东四环' });
    expect(catalog.waysByRouteCode.get('X901')?.map((way) => way.osmId)).toEqual(['way/4']);
  });

  it('puts a way tagged with two refs on both routes', () => {
    const { waysByRouteCode } = buildRouteCatalog([eastWestWay('way/1', 0, 500, { ...trunk, ref: 'G107;G310' })]);
    expect(waysByRouteCode.get('G107')?.map((way) => way.osmId)).toEqual(['way/1']);
    expect(waysByRouteCode.get('G310')?.map((way) => way.osmId)).toEqual(['way/1']);
  });
});
