/**
 * A hybrid genetic search for the CARP in the manner of HGS-CARP (Vidal 2017), scaled down:
 * giant tours of edges, order crossover, optimal split with penalised overload, local search,
 * feasible and infeasible sub-populations ranked by a fitness that rewards both cost and
 * diversity (broken-pairs distance), an adaptive overload penalty and restarts when stalled.
 */
import type { CarpProblem } from './carp_problem.ts';
import { routeCost, routeLoad } from './carp_problem.ts';
import { CarpLocalSearch } from './carp_local_search.ts';
import { splitGiantTour } from './carp_split.ts';
import type { Random } from './random.ts';
import { createRandom, shuffleInPlace } from './random.ts';
import type { SearchBudget } from './search_budget.ts';

interface Individual {
  routes: number[][];
  tour: number[];
  cost: number;
  excess: number;
  /** Per edge: the edge before and after it in the tour (-1 at a route's ends). */
  before: Int32Array;
  after: Int32Array;
  distances: { to: Individual; distance: number }[];
  fitness: number;
}

const POPULATION = 25;
const GENERATION = 40;
const CLOSEST = 5;
const ELITE = 4;
const STALL_ITERATIONS = 4000;
const NEIGHBOURS = 20;

export interface CarpSearchResult {
  routes: number[][];
  cost: number;
  iterations: number;
}

/** Close edges by the shortest deadhead between their ends, for the granular local search. */
export function closeEdges(problem: CarpProblem, count: number): Int32Array[] {
  const { edgeCount, ends, deadhead, nodeCount: n } = problem;
  const lists: Int32Array[] = [];
  for (let e = 0; e < edgeCount; e += 1) {
    const scored: { edge: number; gap: number }[] = [];
    for (let f = 0; f < edgeCount; f += 1) {
      if (f === e) continue;
      let gap = Number.POSITIVE_INFINITY;
      for (let i = 0; i < 2; i += 1) for (let j = 0; j < 2; j += 1) gap = Math.min(gap, deadhead[ends[e * 2 + i]! * n + ends[f * 2 + j]!]!);
      scored.push({ edge: f, gap });
    }
    scored.sort((x, y) => x.gap - y.gap || x.edge - y.edge);
    lists.push(Int32Array.from(scored.slice(0, count).map((item) => item.edge)));
  }
  return lists;
}

export function searchCarp(problem: CarpProblem, seed: number, budget: SearchBudget): CarpSearchResult {
  const random = createRandom(seed);
  const { edgeCount, capacity } = problem;
  const neighbours = closeEdges(problem, Math.min(NEIGHBOURS, edgeCount - 1));
  const localSearch = new CarpLocalSearch(problem, neighbours, random);
  let maxDeadhead = 0;
  for (const value of problem.deadhead) if (Number.isFinite(value)) maxDeadhead = Math.max(maxDeadhead, value);
  let maxDemand = 0;
  for (const value of problem.demand) maxDemand = Math.max(maxDemand, value);
  let penalty = Math.max(0.1, Math.min(1000, maxDeadhead / Math.max(1, maxDemand)));
  const recentFeasible: boolean[] = [];

  const build = (routes: number[][]): Individual => {
    const kept = routes.filter((route) => route.length > 0);
    const tour: number[] = [];
    const before = new Int32Array(edgeCount).fill(-1);
    const after = new Int32Array(edgeCount).fill(-1);
    let cost = 0;
    let excess = 0;
    for (const route of kept) {
      cost += routeCost(problem, route);
      excess += Math.max(0, routeLoad(problem, route) - capacity);
      for (let p = 0; p < route.length; p += 1) {
        const edge = route[p]! >> 1;
        tour.push(edge);
        if (p > 0) before[edge] = route[p - 1]! >> 1;
        if (p + 1 < route.length) after[edge] = route[p + 1]! >> 1;
      }
    }
    return { routes: kept, tour, cost, excess, before, after, distances: [], fitness: 0 };
  };

  const brokenPairs = (a: Individual, b: Individual): number => {
    let broken = 0;
    for (let e = 0; e < edgeCount; e += 1) {
      const next = a.after[e]!;
      if (next !== b.after[e] && next !== b.before[e]) broken += 1;
      const previous = a.before[e]!;
      if (previous === -1 && b.before[e] !== -1 && b.after[e] !== -1) broken += 1;
    }
    return broken / edgeCount;
  };

  let feasible: Individual[] = [];
  let infeasible: Individual[] = [];
  let best: Individual | null = null;
  let iterations = 0;
  let lastImprovement = 0;

  const updateFitness = (group: Individual[]): void => {
    if (group.length === 0) return;
    const byCost = [...group].sort((a, b) => a.cost + penalty * a.excess - (b.cost + penalty * b.excess));
    const diversity = new Map<Individual, number>();
    for (const individual of group) {
      const closest = individual.distances.slice(0, CLOSEST);
      diversity.set(individual, closest.length === 0 ? 0 : closest.reduce((sum, item) => sum + item.distance, 0) / closest.length);
    }
    const byDiversity = [...group].sort((a, b) => diversity.get(b)! - diversity.get(a)!);
    const size = group.length;
    const costRank = new Map(byCost.map((individual, rank) => [individual, rank]));
    const diversityRank = new Map(byDiversity.map((individual, rank) => [individual, rank]));
    const eliteWeight = 1 - Math.min(ELITE, size) / size;
    for (const individual of group) {
      individual.fitness = costRank.get(individual)! / Math.max(1, size - 1) + eliteWeight * (diversityRank.get(individual)! / Math.max(1, size - 1));
    }
  };

  const removeFrom = (group: Individual[], victim: Individual): void => {
    group.splice(group.indexOf(victim), 1);
    for (const other of group) other.distances = other.distances.filter((item) => item.to !== victim);
  };

  const insert = (group: Individual[], individual: Individual): void => {
    for (const other of group) {
      const distance = brokenPairs(individual, other);
      individual.distances.push({ to: other, distance });
      other.distances.push({ to: individual, distance });
      other.distances.sort((a, b) => a.distance - b.distance);
    }
    individual.distances.sort((a, b) => a.distance - b.distance);
    group.push(individual);
    if (group.length > POPULATION + GENERATION) {
      while (group.length > POPULATION) {
        const clone = group.find((member) => member.distances[0] !== undefined && member.distances[0].distance === 0 && member !== best);
        if (clone) {
          removeFrom(group, clone);
          continue;
        }
        updateFitness(group);
        let worst = group[0]!;
        for (const member of group) if (member.fitness > worst.fitness) worst = member;
        removeFrom(group, worst);
      }
    }
  };

  const consider = (routes: number[][]): void => {
    let improved = localSearch.run(routes, penalty);
    let individual = build(improved);
    recentFeasible.push(individual.excess === 0);
    if (individual.excess > 0) {
      insert(infeasible, individual);
      if (random.next() < 0.5) {
        improved = localSearch.run(improved, penalty * 10);
        individual = build(improved);
        if (individual.excess === 0) insert(feasible, individual);
      }
    } else {
      insert(feasible, individual);
    }
    if (individual.excess === 0 && (best === null || individual.cost < best.cost - 1e-9)) {
      best = individual;
      lastImprovement = iterations;
    }
  };

  const randomTour = (): number[] => shuffleInPlace(Array.from({ length: edgeCount }, (_, edge) => edge), random);

  const initialise = (): void => {
    for (let k = 0; k < POPULATION * 2 && !budget.exhausted(); k += 1) consider(splitGiantTour(problem, randomTour(), penalty));
  };

  const tournament = (): Individual => {
    const pool = feasible.concat(infeasible);
    const a = pool[random.below(pool.length)]!;
    const b = pool[random.below(pool.length)]!;
    return a.fitness <= b.fitness ? a : b;
  };

  const crossover = (first: Individual, second: Individual, generator: Random): number[] => {
    const size = edgeCount;
    const start = generator.below(size);
    let end = generator.below(size);
    while (end === start && size > 1) end = generator.below(size);
    const child = new Array<number>(size);
    const taken = new Uint8Array(size);
    let position = start;
    for (;;) {
      child[position] = first.tour[position]!;
      taken[first.tour[position]!] = 1;
      if (position === end) break;
      position = (position + 1) % size;
    }
    let write = (end + 1) % size;
    for (let k = 1; k <= size; k += 1) {
      const edge = second.tour[(end + k) % size]!;
      if (taken[edge]) continue;
      child[write] = edge;
      taken[edge] = 1;
      write = (write + 1) % size;
    }
    return child;
  };

  initialise();
  while (!budget.exhausted()) {
    iterations += 1;
    updateFitness(feasible);
    updateFitness(infeasible);
    if (feasible.length + infeasible.length < 2) {
      consider(splitGiantTour(problem, randomTour(), penalty));
      continue;
    }
    const child = crossover(tournament(), tournament(), random);
    consider(splitGiantTour(problem, child, penalty));
    if (iterations % 100 === 0) {
      const share = recentFeasible.filter(Boolean).length / Math.max(1, recentFeasible.length);
      if (share < 0.15) penalty = Math.min(100000, penalty * 1.2);
      else if (share > 0.25) penalty = Math.max(0.1, penalty * 0.85);
      recentFeasible.length = 0;
    }
    if (iterations - lastImprovement > STALL_ITERATIONS) {
      feasible = [];
      infeasible = [];
      lastImprovement = iterations;
      initialise();
    }
    const current: Individual | null = best;
    if (current) budget.report((current as Individual).cost);
  }
  const final: Individual | null = best;
  if (!final) {
    // No feasible solution in the time given: split with a capacity-respecting factor of 1.
    const routes = splitGiantTour(problem, randomTour(), 0, 1);
    return { routes, cost: routes.reduce((sum, route) => sum + routeCost(problem, route), 0), iterations };
  }
  return { routes: (final as Individual).routes, cost: (final as Individual).cost, iterations };
}
