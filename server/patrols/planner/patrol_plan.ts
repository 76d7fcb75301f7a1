/**
 * Mode B entry point: plans balanced patrol routes for crews on a mixed road graph.
 * Items no crew can reach, or that no shift can hold even alone, are listed as unassigned with
 * the reason before the search; if the search still leaves a shift too long, the items that cost
 * that shift most are moved to a crew with room or listed as unassigned ('no_room_in_any_shift').
 */
import { patrolLowerBound } from './lower_bound.ts';
import { buildPatrolModel, timeGraphArcs, type PatrolModel } from './patrol_model.ts';
import { searchPatrols } from './patrol_search.ts';
import type { CrewRoute, PatrolPlan, PatrolPlanOptions, PatrolProblem, RouteStep, UnassignedItem } from './patrol_types.ts';
import { SearchBudget } from './search_budget.ts';
import { buildDirectedGraph, pathArcs, shortestPathTree, type ShortestPathTree } from './shortest_paths.ts';

export function validatePatrolProblem(problem: PatrolProblem): void {
  const { network, required, crews } = problem;
  const node = (value: number, what: string): void => {
    if (!Number.isInteger(value) || value < 0 || value >= network.nodeCount) throw new RangeError(`${what}: node ${value} outside 0..${network.nodeCount - 1}`);
  };
  network.arcs.forEach((arc, index) => {
    node(arc.from, `arc ${index}`);
    node(arc.to, `arc ${index}`);
    if (!(arc.lengthMeters >= 0) || !(arc.travelSeconds >= 0)) throw new RangeError(`arc ${index}: negative or missing length or time`);
  });
  const ids = new Set<string>();
  for (const item of required) {
    if (ids.has(item.id)) throw new RangeError(`required item ${item.id} listed twice`);
    ids.add(item.id);
    if (item.kind === 'stop') node(item.node, `stop ${item.id}`);
    else if (!Number.isInteger(item.arc) || item.arc < 0 || item.arc >= network.arcs.length) throw new RangeError(`required item ${item.id}: no arc ${item.arc}`);
  }
  for (const crew of crews) {
    node(crew.baseNode, `crew ${crew.id}`);
    if (!(crew.shiftMinutes > 0)) throw new RangeError(`crew ${crew.id}: shift must be positive`);
  }
}

/** Which units a crew could serve alone within its shift; the others' items get their reason. */
function classifyItems(model: PatrolModel, problem: PatrolProblem): { candidates: number[]; unassigned: UnassignedItem[] } {
  const n = model.terminalCount;
  const candidates: number[] = [];
  const unassigned: UnassignedItem[] = [];
  for (let item = 0; item < model.unitCount; item += 1) {
    let reachable = false;
    let fits = false;
    for (let r = 0; r < model.crewBase.length; r += 1) {
      const base = model.crewBase[r]!;
      for (let v = model.variantStart[item]!; v < model.variantStart[item + 1]!; v += 1) {
        const alone = model.time[base * n + model.variantHead[v]!]! + model.variantSeconds[v]! + model.time[model.variantTail[v]! * n + base]!;
        if (!Number.isFinite(alone)) continue;
        reachable = true;
        if (alone <= model.crewShiftSeconds[r]!) fits = true;
      }
    }
    if (fits) candidates.push(item);
    else for (const member of model.unitItems[item]!) unassigned.push({ itemId: problem.required[member]!.id, reason: reachable ? 'longer_than_any_shift' : 'unreachable_from_base' });
  }
  return { candidates, unassigned };
}

function routeTime(model: PatrolModel, base: number, route: readonly number[]): number {
  const n = model.terminalCount;
  let at = base;
  let total = 0;
  for (const v of route) {
    total += model.time[at * n + model.variantHead[v]!]! + model.variantSeconds[v]!;
    at = model.variantTail[v]!;
  }
  return route.length === 0 ? 0 : total + model.time[at * n + base]!;
}

/** Moves items out of over-long shifts: to a crew with room if one exists, else to unassigned. */
function enforceShifts(model: PatrolModel, routes: number[][], problem: PatrolProblem, unassigned: UnassignedItem[]): void {
  for (let r = 0; r < routes.length; r += 1) {
    while (routeTime(model, model.crewBase[r]!, routes[r]!) > model.crewShiftSeconds[r]! + 1e-6) {
      const route = routes[r]!;
      let bestIndex = 0;
      let bestTime = Number.POSITIVE_INFINITY;
      for (let index = 0; index < route.length; index += 1) {
        const time = routeTime(model, model.crewBase[r]!, route.filter((_, other) => other !== index));
        if (time < bestTime) {
          bestTime = time;
          bestIndex = index;
        }
      }
      const [removed] = route.splice(bestIndex, 1);
      const item = model.variantUnit[removed!]!;
      let placed = false;
      let bestPlace: { route: number; position: number; variant: number; added: number } | null = null;
      for (let other = 0; other < routes.length; other += 1) {
        if (other === r) continue;
        const current = routeTime(model, model.crewBase[other]!, routes[other]!);
        for (let v = model.variantStart[item]!; v < model.variantStart[item + 1]!; v += 1) {
          for (let position = 0; position <= routes[other]!.length; position += 1) {
            const candidate = [...routes[other]!];
            candidate.splice(position, 0, v);
            const time = routeTime(model, model.crewBase[other]!, candidate);
            if (time <= model.crewShiftSeconds[other]! && (!bestPlace || time - current < bestPlace.added)) bestPlace = { route: other, position, variant: v, added: time - current };
          }
        }
      }
      if (bestPlace) {
        routes[bestPlace.route]!.splice(bestPlace.position, 0, bestPlace.variant);
        placed = true;
      }
      if (!placed) for (const member of model.unitItems[item]!) unassigned.push({ itemId: problem.required[member]!.id, reason: 'no_room_in_any_shift' });
    }
  }
}

/**
 * Per required item: can some crew drive to it, serve it and get back to its own base? Judged item
 * by item before runs are joined into units, so a run that continues into a dead end does not take
 * its reachable pieces down with it (the unit would be unreachable as a whole).
 */
function roundTripItems(problem: PatrolProblem): boolean[] {
  const { network, required, crews } = problem;
  const arcs = timeGraphArcs(problem);
  const forward = buildDirectedGraph(network.nodeCount, arcs);
  const backward = buildDirectedGraph(network.nodeCount, arcs.map((arc) => ({ ...arc, from: arc.to, to: arc.from })));
  const ok = required.map(() => false);
  for (const base of new Set(crews.map((crew) => crew.baseNode))) {
    const out = shortestPathTree(forward, base).distance;
    const back = shortestPathTree(backward, base).distance;
    required.forEach((item, index) => {
      if (ok[index]) return;
      // A two-way road's ends reach each other, so one end reached both ways is enough.
      const [head, tail] = item.kind === 'stop' ? [item.node, item.node] : network.arcs[item.arc]!.oneway ? [network.arcs[item.arc]!.from, network.arcs[item.arc]!.to] : [network.arcs[item.arc]!.from, network.arcs[item.arc]!.from];
      ok[index] = Number.isFinite(out[head]!) && Number.isFinite(back[tail]!);
    });
  }
  return ok;
}

export function planPatrols(input: PatrolProblem, options: PatrolPlanOptions = {}): PatrolPlan {
  validatePatrolProblem(input);
  const budget = new SearchBudget(options);
  // The search stops at 90 % of the budget: writing the walks and the lower bound take the rest.
  const searchBudget = new SearchBudget({ ...options, seconds: (options.seconds ?? 10) * 0.9 });
  const reachable = roundTripItems(input);
  const problem: PatrolProblem = { ...input, required: input.required.filter((_, index) => reachable[index]) };
  const model = buildPatrolModel(problem);
  const classified = classifyItems(model, problem);
  const candidates = classified.candidates;
  const unassigned: UnassignedItem[] = [
    ...input.required.flatMap((item, index) => (reachable[index] ? [] : [{ itemId: item.id, reason: 'unreachable_from_base' as const }])),
    ...classified.unassigned,
  ];
  const { routes, rounds } =
    problem.crews.length === 0 || candidates.length === 0
      ? { routes: problem.crews.map(() => [] as number[]), rounds: 0 }
      : searchPatrols(model, candidates, options.seed ?? 1, searchBudget, options.maxRounds ?? Number.POSITIVE_INFINITY, () => undefined);
  if (problem.crews.length === 0) {
    for (const item of candidates) for (const member of model.unitItems[item]!) unassigned.push({ itemId: problem.required[member]!.id, reason: 'unreachable_from_base' });
  }
  enforceShifts(model, routes, problem, unassigned);

  const itemById = new Map(problem.required.map((item) => [item.id, item]));
  const trees = new Map<number, ShortestPathTree>();
  const arcs = problem.network.arcs;
  const driveSteps = (fromTerminal: number, toTerminal: number): RouteStep[] => {
    if (fromTerminal === toTerminal) return [];
    const source = model.terminals[fromTerminal]!;
    let tree = trees.get(source);
    if (!tree) {
      tree = shortestPathTree(model.graph, source);
      trees.set(source, tree);
    }
    const path = pathArcs(tree, model.terminals[toTerminal]!);
    if (!path) throw new Error('internal: a planned leg has no path');
    return path.map((step) => {
      const arc = arcs[step >> 1]!;
      return (step & 1) === 0 ? { kind: 'drive', arc: step >> 1, from: arc.from, to: arc.to, serve: false } : { kind: 'drive', arc: step >> 1, from: arc.to, to: arc.from, serve: false };
    });
  };
  const crewRoutes: CrewRoute[] = problem.crews.map((crew, r) => {
    const steps: RouteStep[] = [];
    const itemIds: string[] = [];
    const base = model.crewBase[r]!;
    let at = base;
    for (const v of routes[r]!) {
      const members = model.unitItems[model.variantUnit[v]!]!;
      const ordered = model.variantReversed[v] ? [...members].reverse() : members;
      steps.push(...driveSteps(at, model.variantHead[v]!));
      const first = problem.required[ordered[0]!]!;
      if (first.kind === 'stop') {
        itemIds.push(first.id);
        steps.push({ kind: 'stop', node: first.node, itemId: first.id, serviceSeconds: first.serviceSeconds });
      } else {
        model.variantSteps[v]!.forEach((arcStep, index) => {
          const item = problem.required[ordered[index]!]!;
          const arc = arcs[arcStep >> 1]!;
          const forward = (arcStep & 1) === 0;
          itemIds.push(item.id);
          steps.push({ kind: 'drive', arc: arcStep >> 1, from: forward ? arc.from : arc.to, to: forward ? arc.to : arc.from, serve: true, itemId: item.id });
        });
      }
      at = model.variantTail[v]!;
    }
    if (routes[r]!.length > 0) steps.push(...driveSteps(at, base));
    let drivingMeters = 0;
    let serviceMeters = 0;
    let durationSeconds = 0;
    for (const step of steps) {
      if (step.kind === 'stop') {
        durationSeconds += step.serviceSeconds;
        continue;
      }
      drivingMeters += arcs[step.arc]!.lengthMeters;
      if (step.serve) {
        serviceMeters += arcs[step.arc]!.lengthMeters;
        const item = step.itemId === undefined ? undefined : itemById.get(step.itemId);
        durationSeconds += item && item.kind === 'arc' && item.serviceSeconds !== undefined ? item.serviceSeconds : arcs[step.arc]!.travelSeconds;
      } else {
        durationSeconds += arcs[step.arc]!.travelSeconds;
      }
    }
    return { crewId: crew.id, steps, drivingMeters, serviceMeters, durationSeconds, itemIds };
  });
  const served = new Set(crewRoutes.flatMap((route) => route.itemIds));
  const bound = patrolLowerBound(problem, served);
  const drivingMeters = crewRoutes.reduce((sum, route) => sum + route.drivingMeters, 0);
  budget.report(Math.max(0, ...crewRoutes.map((route) => route.durationSeconds)), true);
  return {
    routes: crewRoutes,
    unassigned,
    drivingMeters,
    lowerBoundMeters: bound.lowerBoundMeters,
    ratioToLowerBound: bound.lowerBoundMeters === 0 ? (drivingMeters === 0 ? 1 : Number.POSITIVE_INFINITY) : drivingMeters / bound.lowerBoundMeters,
    longestSeconds: Math.max(0, ...crewRoutes.map((route) => route.durationSeconds)),
    seconds: budget.elapsedSeconds(),
    rounds,
  };
}
