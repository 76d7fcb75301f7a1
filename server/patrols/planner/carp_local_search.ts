/**
 * Local search on CARP routes (Mode A): relocate an edge before/after a close edge, swap two
 * edges, 2-opt* between two routes (both ways of reconnecting), 2-opt inside a route (reversing a
 * stretch flips its services' directions, which costs nothing on an undirected graph) and flipping
 * one service's direction. Only moves between an edge and its `neighbors` (granular search) are
 * tried. Load above capacity is allowed at `penalty` per unit so the search can cross infeasible
 * ground. First improvement, until no move improves.
 */
import type { CarpProblem } from './carp_problem.ts';
import { routeCost } from './carp_problem.ts';
import type { Random } from './random.ts';
import { shuffleInPlace } from './random.ts';

const EPSILON = 1e-7;

export class CarpLocalSearch {
  private routes: number[][] = [];
  private loads: number[] = [];
  private costs: number[] = [];
  private prefixLoads: number[][] = [];
  private readonly routeOf: Int32Array;
  private readonly positionOf: Int32Array;
  private penalty = 1;

  constructor(
    private readonly problem: CarpProblem,
    private readonly neighbors: readonly Int32Array[],
    private readonly random: Random,
  ) {
    this.routeOf = new Int32Array(problem.edgeCount);
    this.positionOf = new Int32Array(problem.edgeCount);
  }

  /** Improves `routes` (services in driving order) in place of a copy and returns the non-empty routes. */
  run(routes: readonly (readonly number[])[], penalty: number): number[][] {
    this.penalty = penalty;
    this.routes = routes.map((route) => [...route]);
    this.routes.push([]); // one empty route to open a new one into
    this.loads = [];
    this.costs = [];
    this.prefixLoads = [];
    for (let r = 0; r < this.routes.length; r += 1) this.refresh(r);
    const order = Array.from({ length: this.problem.edgeCount }, (_, edge) => edge);
    let improved = true;
    let passes = 0;
    while (improved && passes < 1000) {
      improved = false;
      passes += 1;
      shuffleInPlace(order, this.random);
      for (const u of order) {
        if (this.tryFlip(u) || this.tryNewRoute(u)) improved = true;
        const near = this.neighbors[u]!;
        for (let k = 0; k < near.length; k += 1) {
          const v = near[k]!;
          if (this.tryRelocate(u, v) || this.trySwap(u, v) || this.tryTwoOpt(u, v)) improved = true;
        }
      }
    }
    return this.routes.filter((route) => route.length > 0);
  }

  private d(a: number, b: number): number {
    return this.problem.deadhead[a * this.problem.nodeCount + b]!;
  }

  private head(service: number): number {
    return this.problem.ends[service]!;
  }

  private tail(service: number): number {
    return this.problem.ends[service ^ 1]!;
  }

  private prevTail(r: number, p: number): number {
    return p === 0 ? this.problem.depot : this.tail(this.routes[r]![p - 1]!);
  }

  private nextHead(r: number, p: number): number {
    const route = this.routes[r]!;
    return p === route.length - 1 ? this.problem.depot : this.head(route[p + 1]!);
  }

  private excess(load: number): number {
    return this.penalty * Math.max(0, load - this.problem.capacity);
  }

  private refresh(r: number): void {
    const route = this.routes[r]!;
    const prefix: number[] = new Array(route.length);
    let load = 0;
    for (let p = 0; p < route.length; p += 1) {
      const edge = route[p]! >> 1;
      load += this.problem.demand[edge]!;
      prefix[p] = load;
      this.routeOf[edge] = r;
      this.positionOf[edge] = p;
    }
    this.prefixLoads[r] = prefix;
    this.loads[r] = load;
    this.costs[r] = routeCost(this.problem, route);
    if (route.length > 0 && r === this.routes.length - 1) {
      // The spare empty route was used: keep one empty route available.
      this.routes.push([]);
      this.refresh(this.routes.length - 1);
    }
  }

  private prefixLoad(r: number, p: number): number {
    return p < 0 ? 0 : this.prefixLoads[r]![p]!;
  }

  /** Evaluates a rewrite of one route by recomputing it (used for moves inside a route). */
  private tryRewriteOne(r: number, candidate: number[]): boolean {
    const cost = routeCost(this.problem, candidate);
    if (cost < this.costs[r]! - EPSILON) {
      this.routes[r] = candidate;
      this.refresh(r);
      return true;
    }
    return false;
  }

  private tryFlip(u: number): boolean {
    const r = this.routeOf[u]!;
    const p = this.positionOf[u]!;
    const s = this.routes[r]![p]!;
    const before = this.prevTail(r, p);
    const after = this.nextHead(r, p);
    const delta = this.d(before, this.tail(s)) + this.d(this.head(s), after) - this.d(before, this.head(s)) - this.d(this.tail(s), after);
    if (delta < -EPSILON) {
      this.routes[r]![p] = s ^ 1;
      this.refresh(r);
      return true;
    }
    return false;
  }

  private removalGain(r: number, p: number): number {
    const s = this.routes[r]![p]!;
    const before = this.prevTail(r, p);
    const after = this.nextHead(r, p);
    return this.d(before, this.head(s)) + this.problem.serviceCost[s >> 1]! + this.d(this.tail(s), after) - this.d(before, after);
  }

  private tryNewRoute(u: number): boolean {
    const r = this.routeOf[u]!;
    const route = this.routes[r]!;
    if (route.length <= 1) return false;
    const p = this.positionOf[u]!;
    const demand = this.problem.demand[u]!;
    const { depot } = this.problem;
    const alone = Math.min(this.d(depot, this.head(2 * u)) + this.d(this.tail(2 * u), depot), this.d(depot, this.head(2 * u + 1)) + this.d(this.tail(2 * u + 1), depot)) + this.problem.serviceCost[u]!;
    const delta = alone - this.removalGain(r, p) + this.excess(this.loads[r]! - demand) - this.excess(this.loads[r]!) + this.excess(demand);
    if (delta < -EPSILON) {
      const empty = this.routes.length - 1;
      route.splice(p, 1);
      this.routes[empty] = [this.d(depot, this.head(2 * u)) + this.d(this.tail(2 * u), depot) <= this.d(depot, this.head(2 * u + 1)) + this.d(this.tail(2 * u + 1), depot) ? 2 * u : 2 * u + 1];
      this.refresh(r);
      this.refresh(empty);
      return true;
    }
    return false;
  }

  private tryRelocate(u: number, v: number): boolean {
    const ru = this.routeOf[u]!;
    const rv = this.routeOf[v]!;
    const pu = this.positionOf[u]!;
    const pv = this.positionOf[v]!;
    if (ru === rv) {
      const route = this.routes[ru]!;
      const s = route[pu]!;
      for (const target of [pv, pv - 1]) {
        if (target === pu || target === pu - 1) continue;
        for (const oriented of [s, s ^ 1]) {
          const without = route.slice(0, pu).concat(route.slice(pu + 1));
          const insertAfter = target > pu ? target - 1 : target;
          without.splice(insertAfter + 1, 0, oriented);
          if (this.tryRewriteOne(ru, without)) return true;
        }
      }
      return false;
    }
    const s = this.routes[ru]![pu]!;
    const demand = this.problem.demand[u]!;
    const gain = this.removalGain(ru, pu);
    const penaltyDelta = this.excess(this.loads[ru]! - demand) + this.excess(this.loads[rv]! + demand) - this.excess(this.loads[ru]!) - this.excess(this.loads[rv]!);
    const cost = this.problem.serviceCost[u]!;
    for (const target of [pv, pv - 1]) {
      const before = target < 0 ? this.problem.depot : this.tail(this.routes[rv]![target]!);
      const after = this.nextHeadAfter(rv, target);
      const base = this.d(before, after);
      for (const oriented of [s, s ^ 1]) {
        const delta = this.d(before, this.head(oriented)) + cost + this.d(this.tail(oriented), after) - base - gain + penaltyDelta;
        if (delta < -EPSILON) {
          this.routes[ru]!.splice(pu, 1);
          this.routes[rv]!.splice(target + 1, 0, oriented);
          this.refresh(ru);
          this.refresh(rv);
          return true;
        }
      }
    }
    return false;
  }

  /** Head of the service after position p (p = -1: the first), or the depot past the end. */
  private nextHeadAfter(r: number, p: number): number {
    const route = this.routes[r]!;
    return p + 1 >= route.length ? this.problem.depot : this.head(route[p + 1]!);
  }

  private trySwap(u: number, v: number): boolean {
    const ru = this.routeOf[u]!;
    const rv = this.routeOf[v]!;
    const pu = this.positionOf[u]!;
    const pv = this.positionOf[v]!;
    if (ru === rv) {
      if (Math.abs(pu - pv) <= 1) return false;
      const route = this.routes[ru]!;
      const su = route[pu]!;
      const sv = route[pv]!;
      for (const ou of [su, su ^ 1]) {
        for (const ov of [sv, sv ^ 1]) {
          const candidate = [...route];
          candidate[pu] = ov;
          candidate[pv] = ou;
          if (this.tryRewriteOne(ru, candidate)) return true;
        }
      }
      return false;
    }
    const su = this.routes[ru]![pu]!;
    const sv = this.routes[rv]![pv]!;
    const bu = this.prevTail(ru, pu);
    const au = this.nextHead(ru, pu);
    const bv = this.prevTail(rv, pv);
    const av = this.nextHead(rv, pv);
    const oldU = this.d(bu, this.head(su)) + this.d(this.tail(su), au);
    const oldV = this.d(bv, this.head(sv)) + this.d(this.tail(sv), av);
    let bestV = sv;
    let inU = Number.POSITIVE_INFINITY;
    for (const o of [sv, sv ^ 1]) {
      const value = this.d(bu, this.head(o)) + this.d(this.tail(o), au);
      if (value < inU) {
        inU = value;
        bestV = o;
      }
    }
    let bestU = su;
    let inV = Number.POSITIVE_INFINITY;
    for (const o of [su, su ^ 1]) {
      const value = this.d(bv, this.head(o)) + this.d(this.tail(o), av);
      if (value < inV) {
        inV = value;
        bestU = o;
      }
    }
    const du = this.problem.demand[u]!;
    const dv = this.problem.demand[v]!;
    const cu = this.problem.serviceCost[u]!;
    const cv = this.problem.serviceCost[v]!;
    const delta =
      inU + inV - oldU - oldV + (cv - cu) + (cu - cv) +
      this.excess(this.loads[ru]! - du + dv) + this.excess(this.loads[rv]! - dv + du) - this.excess(this.loads[ru]!) - this.excess(this.loads[rv]!);
    if (delta < -EPSILON) {
      this.routes[ru]![pu] = bestV;
      this.routes[rv]![pv] = bestU;
      this.refresh(ru);
      this.refresh(rv);
      return true;
    }
    return false;
  }

  private tryTwoOpt(u: number, v: number): boolean {
    const ru = this.routeOf[u]!;
    const rv = this.routeOf[v]!;
    const pu = this.positionOf[u]!;
    const pv = this.positionOf[v]!;
    if (ru === rv) return this.tryTwoOptIntra(ru, pu, pv);
    const a = this.routes[ru]!;
    const b = this.routes[rv]!;
    const loadA = this.loads[ru]!;
    const loadB = this.loads[rv]!;
    const oldPenalty = this.excess(loadA) + this.excess(loadB);
    const tailU = this.tail(a[pu]!);
    const afterU = this.nextHead(ru, pu);
    // Variant 1: v follows u. A' = A[..pu] + B[pv..], B' = B[..pv-1] + A[pu+1..].
    {
      const beforeV = this.prevTail(rv, pv);
      const headV = this.head(b[pv]!);
      const delta =
        this.d(tailU, headV) + this.d(beforeV, afterU) - this.d(tailU, afterU) - this.d(beforeV, headV) +
        this.excess(this.prefixLoad(ru, pu) + loadB - this.prefixLoad(rv, pv - 1)) +
        this.excess(this.prefixLoad(rv, pv - 1) + loadA - this.prefixLoad(ru, pu)) - oldPenalty;
      if (delta < -EPSILON) {
        const newA = a.slice(0, pu + 1).concat(b.slice(pv));
        const newB = b.slice(0, pv).concat(a.slice(pu + 1));
        this.routes[ru] = newA;
        this.routes[rv] = newB;
        this.refresh(ru);
        this.refresh(rv);
        return true;
      }
    }
    // Variant 2: u followed by v reversed. A' = A[..pu] + rev(B[..pv]), B' = rev(A[pu+1..]) + B[pv+1..].
    {
      const tailV = this.tail(b[pv]!);
      const afterV = this.nextHead(rv, pv);
      const delta =
        this.d(tailU, tailV) + this.d(afterU, afterV) - this.d(tailU, afterU) - this.d(tailV, afterV) +
        this.excess(this.prefixLoad(ru, pu) + this.prefixLoad(rv, pv)) +
        this.excess(loadA - this.prefixLoad(ru, pu) + loadB - this.prefixLoad(rv, pv)) - oldPenalty;
      if (delta < -EPSILON) {
        const reversedB = b.slice(0, pv + 1).reverse().map((s) => s ^ 1);
        const reversedA = a.slice(pu + 1).reverse().map((s) => s ^ 1);
        this.routes[ru] = a.slice(0, pu + 1).concat(reversedB);
        this.routes[rv] = reversedA.concat(b.slice(pv + 1));
        this.refresh(ru);
        this.refresh(rv);
        return true;
      }
    }
    return false;
  }

  private tryTwoOptIntra(r: number, pu: number, pv: number): boolean {
    const route = this.routes[r]!;
    // Reverse the stretch between u and v so that they become neighbours.
    let from: number;
    let to: number;
    if (pu < pv) {
      from = pu + 1;
      to = pv;
    } else {
      from = pv;
      to = pu - 1;
    }
    if (to - from < 1) return false;
    const before = this.prevTail(r, from);
    const after = this.nextHead(r, to);
    const delta =
      this.d(before, this.tail(route[to]!)) + this.d(this.head(route[from]!), after) - this.d(before, this.head(route[from]!)) - this.d(this.tail(route[to]!), after);
    if (delta < -EPSILON) {
      const middle = route.slice(from, to + 1).reverse().map((s) => s ^ 1);
      this.routes[r] = route.slice(0, from).concat(middle, route.slice(to + 1));
      this.refresh(r);
      return true;
    }
    return false;
  }
}
