/**
 * Ulusoy's split of a giant tour into depot-to-depot routes, optimal for the tour's order, choosing
 * the best service direction of every edge on the way (a two-state shortest path per route).
 * Routes may carry up to `overloadFactor` × capacity; the excess is charged at `penalty` per unit,
 * so the genetic search can pass through slightly infeasible solutions.
 */
import type { CarpProblem } from './carp_problem.ts';

export function orientRoute(problem: CarpProblem, edges: readonly number[]): number[] {
  const { deadhead, nodeCount: n, depot, ends } = problem;
  const count = edges.length;
  if (count === 0) return [];
  const best = new Float64Array(count * 2);
  const from = new Int8Array(count * 2);
  for (let o = 0; o < 2; o += 1) best[o] = deadhead[depot * n + ends[edges[0]! * 2 + o]!]!;
  for (let k = 1; k < count; k += 1) {
    for (let o = 0; o < 2; o += 1) {
      const head = ends[edges[k]! * 2 + o]!;
      let value = Number.POSITIVE_INFINITY;
      for (let p = 0; p < 2; p += 1) {
        const tail = ends[(edges[k - 1]! * 2 + p) ^ 1]!;
        const candidate = best[(k - 1) * 2 + p]! + deadhead[tail * n + head]!;
        if (candidate < value) {
          value = candidate;
          from[k * 2 + o] = p;
        }
      }
      best[k * 2 + o] = value;
    }
  }
  let last = 0;
  let lastValue = Number.POSITIVE_INFINITY;
  for (let o = 0; o < 2; o += 1) {
    const value = best[(count - 1) * 2 + o]! + deadhead[ends[(edges[count - 1]! * 2 + o) ^ 1]! * n + depot]!;
    if (value < lastValue) {
      lastValue = value;
      last = o;
    }
  }
  const services = new Array<number>(count);
  for (let k = count - 1; k >= 0; k -= 1) {
    services[k] = edges[k]! * 2 + last;
    last = from[k * 2 + last]!;
  }
  return services;
}

export function splitGiantTour(problem: CarpProblem, tourEdges: readonly number[], penalty: number, overloadFactor = 1.5): number[][] {
  const { deadhead, nodeCount: n, depot, ends, serviceCost, demand, capacity } = problem;
  const size = tourEdges.length;
  const value = new Float64Array(size + 1).fill(Number.POSITIVE_INFINITY);
  const predecessor = new Int32Array(size + 1).fill(-1);
  value[0] = 0;
  const loadLimit = capacity * overloadFactor;
  for (let i = 0; i < size; i += 1) {
    if (!Number.isFinite(value[i]!)) continue;
    let load = 0;
    let f0 = 0;
    let f1 = 0;
    let serviceSum = 0;
    for (let j = i; j < size; j += 1) {
      const edge = tourEdges[j]!;
      load += demand[edge]!;
      if (load > loadLimit && j > i) break;
      serviceSum += serviceCost[edge]!;
      const head0 = ends[edge * 2]!;
      const head1 = ends[edge * 2 + 1]!;
      if (j === i) {
        f0 = deadhead[depot * n + head0]!;
        f1 = deadhead[depot * n + head1]!;
      } else {
        const previous = tourEdges[j - 1]!;
        // Tail of the previous edge served as 2e (ends at ends[2e+1]) or as 2e+1 (ends at ends[2e]).
        const tailA = ends[previous * 2 + 1]!;
        const tailB = ends[previous * 2]!;
        const next0 = Math.min(f0 + deadhead[tailA * n + head0]!, f1 + deadhead[tailB * n + head0]!);
        const next1 = Math.min(f0 + deadhead[tailA * n + head1]!, f1 + deadhead[tailB * n + head1]!);
        f0 = next0;
        f1 = next1;
      }
      const close = Math.min(f0 + deadhead[head1 * n + depot]!, f1 + deadhead[head0 * n + depot]!);
      const cost = close + serviceSum + penalty * Math.max(0, load - capacity);
      if (value[i]! + cost < value[j + 1]!) {
        value[j + 1] = value[i]! + cost;
        predecessor[j + 1] = i;
      }
    }
  }
  const routes: number[][] = [];
  for (let end = size; end > 0; end = predecessor[end]!) {
    const start = predecessor[end]!;
    routes.push(orientRoute(problem, tourEdges.slice(start, end)));
  }
  return routes.reverse();
}
