/**
 * A generated county road network for `bench:plan`: a jittered 40 × 40 grid (1.5 km spacing,
 * 60 × 60 km) whose lines carry a realistic class mix — one divided expressway on its own nodes
 * meeting the grid only at interchanges, two national roads (one divided), provincial, county,
 * township and village roads (a third of the village links missing, the grid still connected) —
 * 20 crews with bases spread over the county, 8-hour shifts, and today's due set from the
 * practice frequencies of DOMAIN.md (expressway/national/provincial daily, county twice a week,
 * township and village weekly, per road line) plus a few point tasks.
 */
import type { PatrolArc, PatrolProblem, RequiredItem } from '../server/patrols/planner/patrol_types.ts';
import { createRandom } from '../server/patrols/planner/random.ts';

type RoadClass = 'expressway' | 'national' | 'provincial' | 'county' | 'township' | 'village';

const SPEED_KMH: Record<RoadClass, number> = { expressway: 100, national: 70, provincial: 60, county: 50, township: 40, village: 30 };
const PATROL_KMH: Record<RoadClass, number> = { expressway: 60, national: 40, provincial: 35, county: 30, township: 25, village: 20 };
const PERIOD_DAYS: Record<RoadClass, number> = { expressway: 1, national: 1, provincial: 1, county: 3, township: 7, village: 7 };

export interface CountyNetwork {
  problem: PatrolProblem;
  roadMeters: number;
  metersByClass: Record<RoadClass, number>;
  requiredMeters: number;
}

export function generateCountyNetwork(seed = 1, day = 0, size = 40, spacingMeters = 1500): CountyNetwork {
  const random = createRandom(seed);
  const coordinates: [number, number][] = [];
  const gridNode = (row: number, column: number): number => row * size + column;
  for (let row = 0; row < size; row += 1) {
    for (let column = 0; column < size; column += 1) {
      coordinates.push([column * spacingMeters + (random.next() - 0.5) * spacingMeters * 0.4, row * spacingMeters + (random.next() - 0.5) * spacingMeters * 0.4]);
    }
  }
  const arcs: PatrolArc[] = [];
  const arcClass: RoadClass[] = [];
  const arcLine: number[] = [];
  const required: RequiredItem[] = [];
  const metersByClass: Record<RoadClass, number> = { expressway: 0, national: 0, provincial: 0, county: 0, township: 0, village: 0 };
  const distance = (a: number, b: number): number => {
    const [ax, ay] = coordinates[a]!;
    const [bx, by] = coordinates[b]!;
    return Math.hypot(ax - bx, ay - by) * 1.15; // roads wind a little
  };
  const addRoad = (a: number, b: number, roadClass: RoadClass, divided: boolean, line: number): void => {
    const lengthMeters = Math.round(distance(a, b));
    const travelSeconds = lengthMeters / (SPEED_KMH[roadClass] / 3.6);
    metersByClass[roadClass] += lengthMeters;
    if (divided) {
      arcs.push({ from: a, to: b, lengthMeters, travelSeconds, oneway: true }, { from: b, to: a, lengthMeters, travelSeconds, oneway: true });
      arcClass.push(roadClass, roadClass);
      arcLine.push(line, line);
    } else {
      arcs.push({ from: a, to: b, lengthMeters, travelSeconds, oneway: false });
      arcClass.push(roadClass);
      arcLine.push(line);
    }
  };
  const lineClass = (index: number, isRow: boolean): { roadClass: RoadClass; divided: boolean } => {
    if (isRow && index === 10) return { roadClass: 'national', divided: true };
    if (isRow && index === 30) return { roadClass: 'national', divided: false };
    if ((isRow && (index === 5 || index === 25)) || (!isRow && (index === 15 || index === 35))) return { roadClass: 'provincial', divided: false };
    if (index % 4 === 0) return { roadClass: 'county', divided: false };
    if (index % 2 === 1) return { roadClass: 'township', divided: false };
    return { roadClass: 'village', divided: false };
  };
  // Union-find keeps the grid connected while village links are dropped.
  const parent = Int32Array.from({ length: size * size }, (_, index) => index);
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  const candidates: { a: number; b: number; roadClass: RoadClass; divided: boolean; line: number }[] = [];
  for (let row = 0; row < size; row += 1) {
    for (let column = 0; column < size; column += 1) {
      if (column + 1 < size) candidates.push({ a: gridNode(row, column), b: gridNode(row, column + 1), ...lineClass(row, true), line: row });
      if (row + 1 < size) candidates.push({ a: gridNode(row, column), b: gridNode(row + 1, column), ...lineClass(column, false), line: size + column });
    }
  }
  const dropped = new Set<number>();
  candidates.forEach((candidate, index) => {
    if (candidate.roadClass === 'village' && random.next() < 0.33) dropped.add(index);
  });
  candidates.forEach((candidate, index) => {
    if (!dropped.has(index)) parent[find(candidate.a)] = find(candidate.b);
  });
  for (const index of [...dropped]) {
    const candidate = candidates[index]!;
    if (find(candidate.a) !== find(candidate.b)) {
      parent[find(candidate.a)] = find(candidate.b);
      dropped.delete(index);
    }
  }
  candidates.forEach((candidate, index) => {
    if (!dropped.has(index)) addRoad(candidate.a, candidate.b, candidate.roadClass, candidate.divided, candidate.line);
  });
  // The expressway: its own nodes beside grid column 20, meeting the grid only at interchanges every 8 rows.
  const expresswayStart = coordinates.length;
  for (let row = 0; row < size; row += 1) {
    const [x, y] = coordinates[gridNode(row, 20)]!;
    coordinates.push([x + spacingMeters * 0.5, y]);
  }
  for (let row = 0; row + 1 < size; row += 1) addRoad(expresswayStart + row, expresswayStart + row + 1, 'expressway', true, 2 * size);
  for (let row = 2; row < size; row += 8) addRoad(expresswayStart + row, gridNode(row, 20), 'county', false, -1); // ramps, patrolled with the county roads they join
  // Due today: a road line is due when its period divides (day + line).
  arcs.forEach((arc, index) => {
    const roadClass = arcClass[index]!;
    const line = arcLine[index]!;
    if (line < 0) return;
    if ((day + line) % PERIOD_DAYS[roadClass] !== 0) return;
    required.push({ kind: 'arc', id: `a${index}`, arc: index, serviceSeconds: arc.lengthMeters / (PATROL_KMH[roadClass] / 3.6) });
  });
  // Point tasks: leads to verify and re-inspections, 15 minutes each.
  for (let task = 0; task < 30; task += 1) required.push({ kind: 'stop', id: `t${task}`, node: random.below(size * size), serviceSeconds: 900 });
  const crews = Array.from({ length: 20 }, (_, index) => {
    const row = 4 + Math.floor(index / 5) * 10 + random.below(3);
    const column = 4 + (index % 5) * 8 + random.below(3);
    return { id: `crew${index + 1}`, baseNode: gridNode(row, column), shiftMinutes: 480 };
  });
  const roadMeters = Object.values(metersByClass).reduce((sum, meters) => sum + meters, 0);
  const requiredMeters = required.reduce((sum, item) => sum + (item.kind === 'arc' ? arcs[item.arc]!.lengthMeters : 0), 0);
  return { problem: { network: { nodeCount: coordinates.length, arcs }, required, crews }, roadMeters, metersByClass, requiredMeters };
}
