/**
 * A lower bound on the metres any plan must drive (Mode B), reported with every plan:
 *
 *   required metres + max(pairing, balancing, legs)
 *
 * - pairing: every node where an odd number of required roads meet (counting one-way carriageways
 *   like two-way roads) must be left or entered once more by extra driving; the extra driving
 *   contains paths pairing those nodes. Their cheapest pairing (min-cost perfect matching over
 *   shortest paths where every road may be driven either way) is bounded from below by half the
 *   cheapest assignment without self-pairs (a matching used both ways is such an assignment).
 * - balancing: on one-way carriageways, entering and leaving each node must balance. Required
 *   one-way arcs leave a surplus or deficit per node; extra driving along real directions must
 *   carry it, where required two-way roads may be driven in whichever direction helps at no
 *   extra cost (a relaxation: they are driven once anyway). Solved as an assignment of surplus
 *   units to deficit units; when there are many units, each deficit unit's cheapest supplier is
 *   used instead (weaker, still valid).
 * - legs: some crew must drive from its base to the nearest required road and back.
 *
 * The three are alternatives, not a sum, because the same extra driving can serve more than one
 * purpose; the maximum of valid bounds is valid. Point tasks add no required metres.
 */
import { minimumAssignmentCost } from './assignment.ts';
import type { PatrolProblem } from './patrol_types.ts';
import { buildDirectedGraph, shortestPathTree, type WeightedArc } from './shortest_paths.ts';

const MAX_EXACT_UNITS = 400;

export interface LowerBound {
  requiredMeters: number;
  pairingMeters: number;
  balancingMeters: number;
  legsMeters: number;
  lowerBoundMeters: number;
}

export function patrolLowerBound(problem: PatrolProblem, servedItemIds?: ReadonlySet<string>): LowerBound {
  const { network, crews } = problem;
  const required = servedItemIds ? problem.required.filter((item) => servedItemIds.has(item.id)) : problem.required;
  const arcs = network.arcs;
  let requiredMeters = 0;
  const degree = new Int32Array(network.nodeCount);
  const balance = new Int32Array(network.nodeCount); // in − out over required one-way arcs
  const requiredTwoWay = new Uint8Array(arcs.length);
  const touched = new Set<number>();
  for (const item of required) {
    if (item.kind === 'stop') {
      touched.add(item.node);
      continue;
    }
    const arc = arcs[item.arc]!;
    requiredMeters += arc.lengthMeters;
    degree[arc.from]! += 1;
    degree[arc.to]! += 1;
    touched.add(arc.from);
    touched.add(arc.to);
    if (arc.oneway) {
      balance[arc.to]! += 1;
      balance[arc.from]! -= 1;
    } else {
      requiredTwoWay[item.arc] = 1;
    }
  }
  if (touched.size === 0) return { requiredMeters: 0, pairingMeters: 0, balancingMeters: 0, legsMeters: 0, lowerBoundMeters: 0 };

  // Pairing, on the road graph with every road usable both ways.
  const undirected: WeightedArc[] = [];
  arcs.forEach((arc, index) => {
    undirected.push({ from: arc.from, to: arc.to, weight: arc.lengthMeters, id: index });
    undirected.push({ from: arc.to, to: arc.from, weight: arc.lengthMeters, id: index });
  });
  const undirectedGraph = buildDirectedGraph(network.nodeCount, undirected);
  const odd: number[] = [];
  for (let node = 0; node < network.nodeCount; node += 1) if (degree[node]! % 2 === 1) odd.push(node);
  let pairingMeters = 0;
  if (odd.length > 0) {
    const size = odd.length;
    const cost = new Float64Array(size * size);
    for (let i = 0; i < size; i += 1) {
      const tree = shortestPathTree(undirectedGraph, odd[i]!);
      for (let j = 0; j < size; j += 1) cost[i * size + j] = i === j ? Number.POSITIVE_INFINITY : tree.distance[odd[j]!]!;
    }
    const assignment = minimumAssignmentCost(size, cost);
    pairingMeters = Number.isFinite(assignment) ? assignment / 2 : 0;
  }

  // Balancing, along real directions; required two-way roads cost nothing either way.
  const directed: WeightedArc[] = [];
  arcs.forEach((arc, index) => {
    const weight = requiredTwoWay[index] ? 0 : arc.lengthMeters;
    directed.push({ from: arc.from, to: arc.to, weight, id: index });
    if (!arc.oneway) directed.push({ from: arc.to, to: arc.from, weight, id: index });
  });
  const directedGraph = buildDirectedGraph(network.nodeCount, directed);
  const surplus: number[] = [];
  const deficit: number[] = [];
  for (let node = 0; node < network.nodeCount; node += 1) {
    for (let k = 0; k < balance[node]!; k += 1) surplus.push(node);
    for (let k = 0; k < -balance[node]!; k += 1) deficit.push(node);
  }
  let balancingMeters = 0;
  if (surplus.length > 0) {
    const distinctSources = [...new Set(surplus)];
    const trees = new Map(distinctSources.map((node) => [node, shortestPathTree(directedGraph, node)]));
    if (surplus.length <= MAX_EXACT_UNITS) {
      const size = surplus.length;
      const cost = new Float64Array(size * size);
      for (let i = 0; i < size; i += 1) {
        const tree = trees.get(surplus[i]!)!;
        for (let j = 0; j < size; j += 1) cost[i * size + j] = tree.distance[deficit[j]!]!;
      }
      const assignment = minimumAssignmentCost(size, cost);
      balancingMeters = Number.isFinite(assignment) ? assignment : 0;
    } else {
      for (const node of deficit) {
        let cheapest = Number.POSITIVE_INFINITY;
        for (const tree of trees.values()) cheapest = Math.min(cheapest, tree.distance[node]!);
        if (Number.isFinite(cheapest)) balancingMeters += cheapest;
      }
    }
  }

  // Legs: the cheapest base → required node → base round trip over the real directions.
  const roadGraph = buildDirectedGraph(
    network.nodeCount,
    arcs.flatMap((arc, index) => {
      const forward: WeightedArc = { from: arc.from, to: arc.to, weight: arc.lengthMeters, id: index };
      return arc.oneway ? [forward] : [forward, { from: arc.to, to: arc.from, weight: arc.lengthMeters, id: index }];
    }),
  );
  let legsMeters = Number.POSITIVE_INFINITY;
  const reverseGraph = buildDirectedGraph(
    network.nodeCount,
    arcs.flatMap((arc, index) => {
      const backward: WeightedArc = { from: arc.to, to: arc.from, weight: arc.lengthMeters, id: index };
      return arc.oneway ? [backward] : [backward, { from: arc.from, to: arc.to, weight: arc.lengthMeters, id: index }];
    }),
  );
  for (const base of new Set(crews.map((crew) => crew.baseNode))) {
    const out = shortestPathTree(roadGraph, base).distance;
    const back = shortestPathTree(reverseGraph, base).distance;
    for (const node of touched) legsMeters = Math.min(legsMeters, out[node]! + back[node]!);
  }
  if (!Number.isFinite(legsMeters)) legsMeters = 0;
  const extra = Math.max(pairingMeters, balancingMeters, legsMeters);
  return { requiredMeters, pairingMeters, balancingMeters, legsMeters, lowerBoundMeters: requiredMeters + extra };
}
