/**
 * Compiles a patrol problem (Mode B) into the solver's arrays: the "terminals" (crew bases and
 * the ends of required items) with driving time and metres between every pair of them along the
 * fastest path, and each required item's service variants — a one-way arc has one, a two-way road
 * two (either direction), a point task one (a stop at its node).
 */
import type { PatrolProblem } from './patrol_types.ts';
import { buildDirectedGraph, terminalDistances, type DirectedGraph, type WeightedArc } from './shortest_paths.ts';

export interface PatrolModel {
  graph: DirectedGraph;
  /** Graph node of each terminal. */
  terminals: number[];
  terminalCount: number;
  /** time[a * terminalCount + b]: fastest driving seconds between terminals; metres[...] the metres along that path. */
  time: Float64Array;
  metres: Float64Array;
  /**
   * Units the search moves around: a point task, or a run of required roads joined end to end
   * where nothing else required meets them (served in one go: nobody gains by stopping halfway
   * along a road with no junction of due roads). unitItems[u] lists the required items in order.
   */
  unitCount: number;
  unitItems: number[][];
  /** Variants of unit u are variantStart[u] .. variantStart[u+1]-1. */
  variantStart: Int32Array;
  variantUnit: Int32Array;
  variantHead: Int32Array;
  variantTail: Int32Array;
  variantSeconds: Float64Array;
  variantMeters: Float64Array;
  /** Arc steps served in order: arcIndex * 2 + (0 forward, 1 backward); empty for a stop. */
  variantSteps: Int32Array[];
  /** true when the variant serves its unit's items in reverse order. */
  variantReversed: Uint8Array;
  crewBase: Int32Array;
  crewShiftSeconds: Float64Array;
}

/** Arc id in the time graph: arc index * 2 + direction (0 = from→to, 1 = to→from). */
export function timeGraphArcs(problem: PatrolProblem): WeightedArc[] {
  const arcs: WeightedArc[] = [];
  problem.network.arcs.forEach((arc, index) => {
    arcs.push({ from: arc.from, to: arc.to, weight: arc.travelSeconds, id: index * 2 });
    if (!arc.oneway) arcs.push({ from: arc.to, to: arc.from, weight: arc.travelSeconds, id: index * 2 + 1 });
  });
  return arcs;
}

/** Longest run joined into one unit, so crews can still split long roads for balance. */
const MAX_RUN_SECONDS = 3600;

/**
 * Runs of required road items: maximal paths through nodes where exactly two required items
 * meet, both two-way or one-way in and one-way out, and no crew is based. Returns item index
 * lists in driving order (for one-way runs, the only order).
 */
function requiredRuns(problem: PatrolProblem): number[][] {
  const { network, required, crews } = problem;
  const incident: number[][] = Array.from({ length: network.nodeCount }, () => []);
  const seconds = (index: number): number => {
    const item = required[index]!;
    return item.kind === 'arc' ? (item.serviceSeconds ?? network.arcs[item.arc]!.travelSeconds) : 0;
  };
  required.forEach((item, index) => {
    if (item.kind !== 'arc') return;
    const arc = network.arcs[item.arc]!;
    incident[arc.from]!.push(index);
    if (arc.to !== arc.from) incident[arc.to]!.push(index);
  });
  const bases = new Set(crews.map((crew) => crew.baseNode));
  const arcOf = (index: number) => network.arcs[(required[index] as { arc: number }).arc]!;
  /** The item continuing `index` through `node`, if the node joins exactly these two compatibly. */
  const continuation = (index: number, node: number): number => {
    const list = incident[node]!;
    if (list.length !== 2 || bases.has(node)) return -1;
    const other = list[0] === index ? list[1]! : list[0]!;
    if (other === index) return -1;
    const a = arcOf(index);
    const b = arcOf(other);
    if (a.oneway !== b.oneway) return -1;
    // One-way: index must enter the node and other leave it (or the reverse when walking backward).
    if (a.oneway && !((a.to === node && b.from === node) || (a.from === node && b.to === node))) return -1;
    return other;
  };
  const used = new Uint8Array(required.length);
  const runs: number[][] = [];
  required.forEach((item, start) => {
    if (item.kind !== 'arc' || used[start]) return;
    used[start] = 1;
    const run = [start];
    let total = seconds(start);
    const arc = arcOf(start);
    // Extend forward from arc.to, then backward from arc.from.
    for (const [direction, from] of [
      ['forward', arc.to],
      ['backward', arc.from],
    ] as const) {
      let node = from;
      let current = start;
      for (;;) {
        const next = continuation(current, node);
        if (next < 0 || used[next] || total + seconds(next) > MAX_RUN_SECONDS) break;
        const nextArc = arcOf(next);
        if (nextArc.oneway && direction === 'forward' && nextArc.from !== node) break;
        if (nextArc.oneway && direction === 'backward' && nextArc.to !== node) break;
        used[next] = 1;
        total += seconds(next);
        if (direction === 'forward') run.push(next);
        else run.unshift(next);
        node = nextArc.from === node ? nextArc.to : nextArc.from;
        current = next;
      }
    }
    runs.push(run);
  });
  return runs;
}

export function buildPatrolModel(problem: PatrolProblem): PatrolModel {
  const { network, required, crews } = problem;
  const graph = buildDirectedGraph(network.nodeCount, timeGraphArcs(problem));
  const terminalOf = new Map<number, number>();
  const terminals: number[] = [];
  const terminal = (node: number): number => {
    let index = terminalOf.get(node);
    if (index === undefined) {
      index = terminals.length;
      terminals.push(node);
      terminalOf.set(node, index);
    }
    return index;
  };
  const crewBase = Int32Array.from(crews.map((crew) => terminal(crew.baseNode)));
  const units: number[][] = [];
  required.forEach((item, index) => {
    if (item.kind === 'stop') units.push([index]);
  });
  units.push(...requiredRuns(problem));
  const variantStart = new Int32Array(units.length + 1);
  const variants: { unit: number; head: number; tail: number; seconds: number; meters: number; steps: number[]; reversed: boolean }[] = [];
  units.forEach((members, unit) => {
    variantStart[unit] = variants.length;
    const first = required[members[0]!]!;
    if (first.kind === 'stop') {
      const at = terminal(first.node);
      variants.push({ unit, head: at, tail: at, seconds: first.serviceSeconds, meters: 0, steps: [], reversed: false });
      return;
    }
    // Walk the run forward to find each arc's direction and the run's ends.
    const arcsOf = members.map((index) => (required[index] as { arc: number; serviceSeconds?: number }));
    let seconds = 0;
    let meters = 0;
    for (const item of arcsOf) {
      seconds += item.serviceSeconds ?? network.arcs[item.arc]!.travelSeconds;
      meters += network.arcs[item.arc]!.lengthMeters;
    }
    const firstArc = network.arcs[arcsOf[0]!.arc]!;
    let start: number;
    if (arcsOf.length === 1) start = firstArc.from;
    else {
      const secondArc = network.arcs[arcsOf[1]!.arc]!;
      start = firstArc.to === secondArc.from || firstArc.to === secondArc.to ? firstArc.from : firstArc.to;
    }
    const steps: number[] = [];
    let at = start;
    for (const item of arcsOf) {
      const arc = network.arcs[item.arc]!;
      const forward = arc.from === at;
      steps.push(item.arc * 2 + (forward ? 0 : 1));
      at = forward ? arc.to : arc.from;
    }
    const oneway = firstArc.oneway;
    variants.push({ unit, head: terminal(start), tail: terminal(at), seconds, meters, steps, reversed: false });
    if (!oneway) {
      variants.push({ unit, head: terminal(at), tail: terminal(start), seconds, meters, steps: [...steps].reverse().map((step) => step ^ 1), reversed: true });
    }
  });
  variantStart[units.length] = variants.length;
  const slotMeters = Float64Array.from(graph.arcIds, (arcId) => network.arcs[arcId >> 1]!.lengthMeters);
  const { distance, alongside } = terminalDistances(graph, terminals, slotMeters);
  return {
    graph,
    terminals,
    terminalCount: terminals.length,
    time: distance,
    metres: alongside!,
    unitCount: units.length,
    unitItems: units,
    variantStart,
    variantUnit: Int32Array.from(variants.map((variant) => variant.unit)),
    variantHead: Int32Array.from(variants.map((variant) => variant.head)),
    variantTail: Int32Array.from(variants.map((variant) => variant.tail)),
    variantSeconds: Float64Array.from(variants.map((variant) => variant.seconds)),
    variantMeters: Float64Array.from(variants.map((variant) => variant.meters)),
    variantSteps: variants.map((variant) => Int32Array.from(variant.steps)),
    variantReversed: Uint8Array.from(variants.map((variant) => (variant.reversed ? 1 : 0))),
    crewBase,
    crewShiftSeconds: Float64Array.from(crews.map((crew) => crew.shiftMinutes * 60)),
  };
}
