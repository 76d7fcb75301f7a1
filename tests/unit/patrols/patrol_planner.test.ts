/**
 * Property tests of the patrol planner (Mode B) on generated mixed graphs. The checks recompute
 * everything from the input (walk continuity, directions, durations, coverage) without the
 * planner's own code, except the lower bound itself, which is checked never to exceed the plan
 * and never to exceed a known solution's cost (HGS-CARP's, from the shared reference.csv).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { patrolLowerBound } from '../../../server/patrols/planner/lower_bound.ts';
import { planPatrols } from '../../../server/patrols/planner/patrol_plan.ts';
import type { PatrolArc, PatrolPlan, PatrolProblem, RequiredItem } from '../../../server/patrols/planner/patrol_types.ts';

/** A small deterministic generator (not the planner's) for test graphs. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** A width × height grid of roads, some divided (two one-way carriageways), some undivided, plus one-way ramps. */
function generateProblem(seed: number, crews: number, shiftMinutes: number): PatrolProblem {
  const random = lcg(seed);
  const width = 6;
  const height = 5;
  const arcs: PatrolArc[] = [];
  const road = (a: number, b: number): void => {
    const lengthMeters = 500 + Math.floor(random() * 1500);
    const travelSeconds = lengthMeters / (8 + random() * 12);
    if (random() < 0.3) {
      arcs.push({ from: a, to: b, lengthMeters, travelSeconds, oneway: true }, { from: b, to: a, lengthMeters, travelSeconds, oneway: true });
    } else {
      arcs.push({ from: a, to: b, lengthMeters, travelSeconds, oneway: false });
    }
  };
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const node = y * width + x;
      if (x + 1 < width) road(node, node + 1);
      if (y + 1 < height) road(node, node + width);
      if (x + 1 < width && y + 1 < height && random() < 0.2) arcs.push({ from: node, to: node + width + 1, lengthMeters: 900, travelSeconds: 60, oneway: true });
    }
  }
  const nodeCount = width * height;
  const required: RequiredItem[] = [];
  arcs.forEach((arc, index) => {
    if (random() < 0.5) required.push({ kind: 'arc', id: `a${index}`, arc: index, serviceSeconds: arc.travelSeconds * 1.5 });
  });
  for (let stop = 0; stop < 3; stop += 1) required.push({ kind: 'stop', id: `s${stop}`, node: Math.floor(random() * nodeCount), serviceSeconds: 600 });
  const crewList = Array.from({ length: crews }, (_, index) => ({ id: `c${index}`, baseNode: Math.floor(random() * nodeCount), shiftMinutes }));
  return { network: { nodeCount, arcs }, required, crews: crewList };
}

/** Independent check of a plan: continuity, directions, one service per item, durations within shifts. */
function checkPlan(problem: PatrolProblem, plan: PatrolPlan): void {
  const servedCount = new Map<string, number>();
  const items = new Map(problem.required.map((item) => [item.id, item]));
  plan.routes.forEach((route, index) => {
    const crew = problem.crews[index]!;
    expect(route.crewId).toBe(crew.id);
    let at = crew.baseNode;
    let seconds = 0;
    let meters = 0;
    for (const step of route.steps) {
      if (step.kind === 'stop') {
        expect(step.node, 'a stop where the crew is').toBe(at);
        const item = items.get(step.itemId);
        expect(item?.kind).toBe('stop');
        expect(item!.kind === 'stop' && item!.node).toBe(step.node);
        seconds += item!.serviceSeconds!;
        servedCount.set(step.itemId, (servedCount.get(step.itemId) ?? 0) + 1);
        continue;
      }
      const arc = problem.network.arcs[step.arc]!;
      expect(step.from, 'the walk is continuous').toBe(at);
      const forward = step.from === arc.from && step.to === arc.to;
      const backward = step.from === arc.to && step.to === arc.from;
      expect(forward || (backward && !arc.oneway), `arc ${step.arc} driven in an allowed direction`).toBe(true);
      at = step.to;
      meters += arc.lengthMeters;
      if (step.serve) {
        const item = items.get(step.itemId!);
        expect(item && item.kind === 'arc' && item.arc === step.arc, 'served arc is the required one').toBe(true);
        seconds += (item as { serviceSeconds?: number }).serviceSeconds ?? arc.travelSeconds;
        servedCount.set(step.itemId!, (servedCount.get(step.itemId!) ?? 0) + 1);
      } else {
        seconds += arc.travelSeconds;
      }
    }
    expect(at, 'the walk ends at the base').toBe(crew.baseNode);
    expect(seconds).toBeCloseTo(route.durationSeconds, 6);
    expect(meters).toBeCloseTo(route.drivingMeters, 6);
    expect(seconds, `crew ${crew.id} within its shift`).toBeLessThanOrEqual(crew.shiftMinutes * 60 + 1e-6);
  });
  const unassigned = new Set(plan.unassigned.map((item) => item.itemId));
  for (const item of problem.required) {
    const times = servedCount.get(item.id) ?? 0;
    expect(times + (unassigned.has(item.id) ? 1 : 0), `item ${item.id} served once or listed unassigned`).toBe(1);
  }
  expect(plan.drivingMeters).toBeCloseTo(plan.routes.reduce((sum, route) => sum + route.drivingMeters, 0), 6);
}

describe('patrol planner on generated mixed graphs', () => {
  it.each([1, 2, 3, 4, 5, 6])('seed %i: every due item served exactly once by continuous walks within shifts, lower bound below the plan', (seed) => {
    const problem = generateProblem(seed, 3, 24 * 60);
    const plan = planPatrols(problem, { seed, seconds: 30, maxRounds: 40 });
    checkPlan(problem, plan);
    expect(plan.unassigned).toEqual([]);
    expect(plan.lowerBoundMeters).toBeGreaterThan(0);
    expect(plan.lowerBoundMeters).toBeLessThanOrEqual(plan.drivingMeters + 1e-6);
  });

  it('respects tight shifts: what does not fit is unassigned with a reason, never an overlong shift', () => {
    for (const seed of [7, 8, 9]) {
      const problem = generateProblem(seed, 2, 45);
      const plan = planPatrols(problem, { seed, seconds: 30, maxRounds: 30 });
      checkPlan(problem, plan);
      expect(plan.unassigned.length).toBeGreaterThan(0);
      for (const item of plan.unassigned) expect(['longer_than_any_shift', 'no_room_in_any_shift', 'unreachable_from_base']).toContain(item.reason);
      expect(plan.lowerBoundMeters).toBeLessThanOrEqual(plan.drivingMeters + 1e-6);
    }
  });

  it('names unreachable items and items longer than any shift', () => {
    const problem = generateProblem(11, 2, 24 * 60);
    const island = problem.network.nodeCount;
    problem.network.nodeCount += 2;
    problem.network.arcs.push({ from: island, to: island + 1, lengthMeters: 800, travelSeconds: 60, oneway: false });
    problem.required.push({ kind: 'arc', id: 'island', arc: problem.network.arcs.length - 1 });
    problem.required.push({ kind: 'stop', id: 'too-long', node: 0, serviceSeconds: 25 * 3600 });
    const plan = planPatrols(problem, { seed: 1, seconds: 30, maxRounds: 20 });
    checkPlan(problem, plan);
    expect(plan.unassigned).toEqual(
      expect.arrayContaining([
        { itemId: 'island', reason: 'unreachable_from_base' },
        { itemId: 'too-long', reason: 'longer_than_any_shift' },
      ]),
    );
  });

  it('serves the reachable piece of a due road that runs on into a dead end (only the dead-end piece is unassigned)', () => {
    // Base 0; one-way 0→1 and 1→2 both due, 1→0 leads back, 2 has no way out. Joined into one
    // run, the two would be unreachable together; judged one by one, 0→1 is a round trip.
    const problem: PatrolProblem = {
      network: {
        nodeCount: 3,
        arcs: [
          { from: 0, to: 1, lengthMeters: 1000, travelSeconds: 60, oneway: true },
          { from: 1, to: 2, lengthMeters: 1000, travelSeconds: 60, oneway: true },
          { from: 1, to: 0, lengthMeters: 1000, travelSeconds: 60, oneway: true },
        ],
      },
      required: [
        { kind: 'arc', id: 'reachable', arc: 0 },
        { kind: 'arc', id: 'dead-end', arc: 1 },
      ],
      crews: [{ id: 'a', baseNode: 0, shiftMinutes: 480 }],
    };
    const plan = planPatrols(problem, { seed: 1, seconds: 30, maxRounds: 5 });
    checkPlan(problem, plan);
    expect(plan.routes[0]!.itemIds).toEqual(['reachable']);
    expect(plan.unassigned).toEqual([{ itemId: 'dead-end', reason: 'unreachable_from_base' }]);
    expect(plan.drivingMeters).toBe(2000);
  });

  it('is deterministic for a seed', () => {
    const problem = generateProblem(21, 3, 24 * 60);
    const first = planPatrols(problem, { seed: 5, seconds: 60, maxRounds: 25 });
    const second = planPatrols(problem, { seed: 5, seconds: 60, maxRounds: 25 });
    expect(second.routes).toEqual(first.routes);
    expect(second.unassigned).toEqual(first.unassigned);
  });

  it('reports progress and stops when cancelled', () => {
    const problem = generateProblem(31, 3, 24 * 60);
    const controller = new AbortController();
    const seen: number[] = [];
    const plan = planPatrols(problem, {
      seed: 1,
      seconds: 600,
      signal: controller.signal,
      onProgress: (fraction) => {
        seen.push(fraction);
        controller.abort();
      },
    });
    checkPlan(problem, plan);
    expect(plan.seconds).toBeLessThan(60);
    expect(seen.at(-1)).toBe(1);
  });
});

describe('lower bound against known CARP solutions', () => {
  const sharedDirectory = process.env.LUYU_SHARED_DIR ?? path.resolve(import.meta.dirname, '..', '..', '..', '..', 'shared');
  const directory = path.join(sharedDirectory, 'data', 'carp');

  it.each(['gdb1', 'gdb8', '1A', '4D', '10A'])('%s: never above the HGS-CARP cost, at least the required cost', (name) => {
    expect(existsSync(directory), `CARP instances expected at ${directory} (set LUYU_SHARED_DIR)`).toBe(true);
    const text = readFileSync(path.join(directory, `${name}.dat`), 'utf8');
    const depot = Number(/DEPOSITO\s*:\s*(\d+)/.exec(text)![1]) - 1;
    const nodeCount = Number(/VERTICES\s*:\s*(\d+)/.exec(text)![1]);
    const arcs: PatrolArc[] = [];
    for (const match of text.matchAll(/\(\s*(\d+)\s*,\s*(\d+)\s*\)\s*coste\s+(\d+)/g)) {
      arcs.push({ from: Number(match[1]) - 1, to: Number(match[2]) - 1, lengthMeters: Number(match[3]), travelSeconds: Number(match[3]), oneway: false });
    }
    const row = readFileSync(path.join(directory, 'reference.csv'), 'utf8').split('\n').find((line) => line.startsWith(`${name},`))!.split(',');
    const bound = patrolLowerBound({
      network: { nodeCount, arcs },
      required: arcs.map((_, index) => ({ kind: 'arc' as const, id: String(index), arc: index })),
      crews: [{ id: 'depot', baseNode: depot, shiftMinutes: 1e9 }],
    });
    expect(bound.requiredMeters).toBe(Number(row[3]));
    expect(bound.lowerBoundMeters).toBeGreaterThanOrEqual(Number(row[3]));
    expect(bound.lowerBoundMeters).toBeLessThanOrEqual(Number(row[5]));
    // Half the cheapest assignment is never above the exact pairing the reference computed.
    expect(bound.requiredMeters + bound.pairingMeters).toBeLessThanOrEqual(Number(row[4]) + 1e-9);
  });
});
