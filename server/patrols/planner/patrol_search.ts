/**
 * Mode B search: K crews, each route a sequence of service variants from the crew's base back
 * to it. Objective, lexicographic: total overtime (work past the shift, which the caller turns into
 * unassigned items), then the longest route's duration, then total driving metres. Cheapest
 * insertion with a balance term builds the first plan; a granular local search (relocate, swap,
 * flip, tail exchange between crews) improves it; an iterated local search (remove a cluster of
 * close items, re-insert, improve, keep if better) uses the rest of the budget.
 */
import type { PatrolModel } from './patrol_model.ts';
import type { Random } from './random.ts';
import { createRandom, shuffleInPlace } from './random.ts';
import type { SearchBudget } from './search_budget.ts';

const EPSILON = 1e-6;
const NEIGHBOURS = 12;

interface Score {
  overtime: number;
  longest: number;
  meters: number;
}

const better = (a: Score, b: Score): boolean =>
  a.overtime < b.overtime - EPSILON ||
  (a.overtime <= b.overtime + EPSILON && (a.longest < b.longest - EPSILON || (a.longest <= b.longest + EPSILON && a.meters < b.meters - EPSILON)));

export interface PatrolSearchResult {
  /** Per crew: service variants in driving order. */
  routes: number[][];
  rounds: number;
}

export function searchPatrols(model: PatrolModel, items: readonly number[], seed: number, budget: SearchBudget, maxRounds: number, onBest: (longestSeconds: number) => void): PatrolSearchResult {
  const random = createRandom(seed);
  const state = new PatrolState(model, random);
  state.construct(items);
  state.localSearch(items, budget);
  let best = state.snapshot();
  let bestScore = state.score();
  onBest(bestScore.longest);
  let rounds = 0;
  while (!budget.exhausted() && rounds < maxRounds && items.length > 1) {
    rounds += 1;
    const removed = state.removeCluster(items, 3 + random.below(Math.min(20, Math.max(1, items.length >> 2))));
    state.reinsert(removed);
    state.localSearch(removed.length > 0 ? state.affectedItems(removed) : items, budget);
    const score = state.score();
    if (better(score, bestScore)) {
      best = state.snapshot();
      bestScore = score;
      onBest(bestScore.longest);
    } else {
      state.restore(best);
    }
    budget.report(bestScore.longest);
  }
  return { routes: best, rounds };
}

class PatrolState {
  private routes: number[][];
  /** Per route and position: time and metres from the base to the end of that service. */
  private cumTime: Float64Array[];
  private cumMeters: Float64Array[];
  private duration: Float64Array;
  private meters: Float64Array;
  private readonly routeOf: Int32Array;
  private readonly positionOf: Int32Array;
  private readonly neighbours: Int32Array[];
  private readonly crewCount: number;
  private readonly n: number;

  constructor(
    private readonly model: PatrolModel,
    private readonly random: Random,
  ) {
    this.crewCount = model.crewBase.length;
    this.n = model.terminalCount;
    this.routes = Array.from({ length: this.crewCount }, () => []);
    this.cumTime = Array.from({ length: this.crewCount }, () => new Float64Array(0));
    this.cumMeters = Array.from({ length: this.crewCount }, () => new Float64Array(0));
    this.duration = new Float64Array(this.crewCount);
    this.meters = new Float64Array(this.crewCount);
    this.routeOf = new Int32Array(model.unitCount).fill(-1);
    this.positionOf = new Int32Array(model.unitCount).fill(-1);
    this.neighbours = this.closeItems();
  }

  /** For every item, the items whose ends are closest in driving time (either way). */
  private closeItems(): Int32Array[] {
    const { unitCount, variantStart, variantHead, variantTail, time } = this.model;
    const n = this.n;
    // Candidate pools per terminal keep this near-linear: items touching terminals close to this one.
    const itemsAt: number[][] = Array.from({ length: n }, () => []);
    for (let item = 0; item < unitCount; item += 1) {
      const v = variantStart[item]!;
      itemsAt[variantHead[v]!]!.push(item);
      if (variantTail[v] !== variantHead[v]) itemsAt[variantTail[v]!]!.push(item);
    }
    const occupied = Int32Array.from(itemsAt.map((list, terminal) => (list.length > 0 ? terminal : -1)).filter((terminal) => terminal >= 0));
    const lists: Int32Array[] = [];
    // Per item: keep the few nearest occupied terminals (insertion into a short sorted list).
    const keep = NEIGHBOURS;
    const nearTerminals = new Int32Array(keep);
    const nearGaps = new Float64Array(keep);
    for (let item = 0; item < unitCount; item += 1) {
      const v = variantStart[item]!;
      const head = variantHead[v]!;
      const tail = variantTail[v]!;
      let filled = 0;
      for (let k = 0; k < occupied.length; k += 1) {
        const terminal = occupied[k]!;
        const gap = Math.min(time[head * n + terminal]!, time[terminal * n + head]!, time[tail * n + terminal]!, time[terminal * n + tail]!);
        if (filled === keep && gap >= nearGaps[keep - 1]!) continue;
        let slot = filled < keep ? filled : keep - 1;
        if (filled < keep) filled += 1;
        while (slot > 0 && nearGaps[slot - 1]! > gap) {
          nearGaps[slot] = nearGaps[slot - 1]!;
          nearTerminals[slot] = nearTerminals[slot - 1]!;
          slot -= 1;
        }
        nearGaps[slot] = gap;
        nearTerminals[slot] = terminal;
      }
      const chosen: number[] = [];
      for (let k = 0; k < filled && chosen.length < NEIGHBOURS; k += 1) {
        for (const other of itemsAt[nearTerminals[k]!]!) if (other !== item && !chosen.includes(other)) chosen.push(other);
      }
      lists.push(Int32Array.from(chosen.slice(0, NEIGHBOURS)));
    }
    return lists;
  }

  private t(a: number, b: number): number {
    return this.model.time[a * this.n + b]!;
  }

  private m(a: number, b: number): number {
    return this.model.metres[a * this.n + b]!;
  }

  private shift(r: number): number {
    return this.model.crewShiftSeconds[r]!;
  }

  private overtimeOf(r: number, duration: number): number {
    return Math.max(0, duration - this.shift(r));
  }

  evaluate(r: number, sequence: readonly number[]): { duration: number; meters: number } {
    const { variantHead, variantTail, variantSeconds, variantMeters } = this.model;
    const base = this.model.crewBase[r]!;
    let at = base;
    let duration = 0;
    let meters = 0;
    for (const v of sequence) {
      duration += this.t(at, variantHead[v]!) + variantSeconds[v]!;
      meters += this.m(at, variantHead[v]!) + variantMeters[v]!;
      at = variantTail[v]!;
    }
    if (sequence.length > 0) {
      duration += this.t(at, base);
      meters += this.m(at, base);
    }
    return { duration, meters };
  }

  private refresh(r: number): void {
    const route = this.routes[r]!;
    const { variantHead, variantTail, variantSeconds, variantMeters } = this.model;
    const cumTime = new Float64Array(route.length);
    const cumMeters = new Float64Array(route.length);
    let at = this.model.crewBase[r]!;
    let time = 0;
    let metres = 0;
    for (let p = 0; p < route.length; p += 1) {
      const v = route[p]!;
      time += this.t(at, variantHead[v]!) + variantSeconds[v]!;
      metres += this.m(at, variantHead[v]!) + variantMeters[v]!;
      cumTime[p] = time;
      cumMeters[p] = metres;
      at = variantTail[v]!;
    }
    this.cumTime[r] = cumTime;
    this.cumMeters[r] = cumMeters;
    const { duration, meters } = this.evaluate(r, route);
    this.duration[r] = duration;
    this.meters[r] = meters;
    for (let p = 0; p < route.length; p += 1) {
      const item = this.model.variantUnit[route[p]!]!;
      this.routeOf[item] = r;
      this.positionOf[item] = p;
    }
  }

  score(): Score {
    let overtime = 0;
    let longest = 0;
    let meters = 0;
    for (let r = 0; r < this.crewCount; r += 1) {
      overtime += this.overtimeOf(r, this.duration[r]!);
      longest = Math.max(longest, this.duration[r]!);
      meters += this.meters[r]!;
    }
    return { overtime, longest, meters };
  }

  /** The score if routes r1 (and r2) had the given duration and metres. */
  private scoreWith(r1: number, d1: number, m1: number, r2: number, d2: number, m2: number): Score {
    let overtime = 0;
    let longest = 0;
    let meters = 0;
    for (let r = 0; r < this.crewCount; r += 1) {
      const duration = r === r1 ? d1 : r === r2 ? d2 : this.duration[r]!;
      overtime += this.overtimeOf(r, duration);
      longest = Math.max(longest, duration);
      meters += r === r1 ? m1 : r === r2 ? m2 : this.meters[r]!;
    }
    return { overtime, longest, meters };
  }

  snapshot(): number[][] {
    return this.routes.map((route) => [...route]);
  }

  restore(routes: readonly (readonly number[])[]): void {
    this.routes = routes.map((route) => [...route]);
    for (let r = 0; r < this.crewCount; r += 1) this.refresh(r);
  }

  /** Best (route, position, variant) for an item by added time, overtime and a pull toward the average day. */
  private bestInsertion(item: number, target: number): { r: number; position: number; variant: number } | null {
    const { variantStart, variantHead, variantTail, variantSeconds } = this.model;
    let bestValue = Number.POSITIVE_INFINITY;
    let choice: { r: number; position: number; variant: number } | null = null;
    for (let r = 0; r < this.crewCount; r += 1) {
      const route = this.routes[r]!;
      const base = this.model.crewBase[r]!;
      const current = this.duration[r]!;
      for (let v = variantStart[item]!; v < variantStart[item + 1]!; v += 1) {
        const head = variantHead[v]!;
        const tail = variantTail[v]!;
        for (let position = 0; position <= route.length; position += 1) {
          const before = position === 0 ? base : variantTail[route[position - 1]!]!;
          const after = position === route.length ? base : variantHead[route[position]!]!;
          const added =
            route.length === 0
              ? this.t(base, head) + variantSeconds[v]! + this.t(tail, base)
              : this.t(before, head) + variantSeconds[v]! + this.t(tail, after) - this.t(before, after);
          if (!Number.isFinite(added)) continue;
          const next = current + added;
          const value = added + 2 * Math.max(0, next - target) + 1000 * (this.overtimeOf(r, next) - this.overtimeOf(r, current));
          if (value < bestValue) {
            bestValue = value;
            choice = { r, position, variant: v };
          }
        }
      }
    }
    return choice;
  }

  private averageTarget(): number {
    let work = 0;
    for (let r = 0; r < this.crewCount; r += 1) work += this.duration[r]!;
    return work / this.crewCount;
  }

  construct(items: readonly number[]): void {
    const { variantStart, variantHead, variantSeconds } = this.model;
    // Far items first, so that crews reach out before the near work fills them.
    const reach = (item: number): number => {
      let nearest = Number.POSITIVE_INFINITY;
      for (let r = 0; r < this.crewCount; r += 1) nearest = Math.min(nearest, this.t(this.model.crewBase[r]!, variantHead[variantStart[item]!]!));
      return nearest;
    };
    let totalService = 0;
    for (const item of items) totalService += variantSeconds[variantStart[item]!]!;
    const order = [...items].sort((a, b) => reach(b) - reach(a) || a - b);
    for (const item of order) {
      const target = Math.max(this.averageTarget(), (totalService / this.crewCount) * 1.1);
      const choice = this.bestInsertion(item, target);
      if (!choice) continue;
      this.routes[choice.r]!.splice(choice.position, 0, choice.variant);
      this.refresh(choice.r);
    }
  }

  /** Items in the same routes as the re-inserted ones and their neighbours: where the search looks next. */
  affectedItems(items: readonly number[]): number[] {
    const seen = new Set<number>();
    for (const item of items) {
      seen.add(item);
      for (const other of this.neighbours[item]!) seen.add(other);
    }
    return [...seen].filter((item) => this.routeOf[item]! >= 0).sort((a, b) => a - b);
  }

  removeCluster(items: readonly number[], size: number): number[] {
    const seedItem = items[this.random.below(items.length)]!;
    const chosen = [seedItem, ...this.neighbours[seedItem]!].slice(0, size).filter((item) => this.routeOf[item]! >= 0);
    // Sometimes also take items from the longest route, which is what balance needs to move.
    if (this.random.next() < 0.5) {
      let longest = 0;
      for (let r = 1; r < this.crewCount; r += 1) if (this.duration[r]! > this.duration[longest]!) longest = r;
      const route = this.routes[longest]!;
      if (route.length > 0) {
        const start = this.random.below(route.length);
        for (let k = 0; k < Math.min(4, route.length); k += 1) {
          const item = this.model.variantUnit[route[(start + k) % route.length]!]!;
          if (!chosen.includes(item)) chosen.push(item);
        }
      }
    }
    const touched = new Set<number>();
    for (const item of chosen) {
      const r = this.routeOf[item]!;
      touched.add(r);
      this.routes[r] = this.routes[r]!.filter((v) => this.model.variantUnit[v] !== item);
      this.routeOf[item] = -1;
    }
    for (const r of touched) this.refresh(r);
    return shuffleInPlace(chosen, this.random);
  }

  reinsert(items: readonly number[]): void {
    for (const item of items) {
      const choice = this.bestInsertion(item, this.averageTarget());
      if (!choice) continue;
      this.routes[choice.r]!.splice(choice.position, 0, choice.variant);
      this.refresh(choice.r);
    }
  }

  localSearch(focus: readonly number[], budget: SearchBudget): void {
    const order = [...focus];
    let improved = true;
    let passes = 0;
    while (improved && passes < 50 && (passes === 0 || !budget.exhausted())) {
      improved = false;
      passes += 1;
      shuffleInPlace(order, this.random);
      for (const u of order) {
        if (this.routeOf[u]! < 0) continue;
        if (this.tryFlip(u)) improved = true;
        for (const v of this.neighbours[u]!) {
          if (this.routeOf[v]! < 0) continue;
          if (this.tryRelocate(u, v) || this.trySwap(u, v) || this.tryTailExchange(u, v) || this.tryReversal(u, v) || this.tryChainRelocate(u, v)) improved = true;
        }
        if (this.tryRelocateToIdleCrew(u)) improved = true;
      }
    }
  }

  /** Applies new sequences when the score with the given durations and metres beats the current one. */
  private acceptScored(r1: number, d1: number, m1: number, r2: number, d2: number, m2: number, build: () => [number[], number[] | null]): boolean {
    if (!better(this.scoreWith(r1, d1, m1, r2, d2, m2), this.score())) return false;
    const [first, second] = build();
    this.routes[r1] = first;
    this.refresh(r1);
    if (second) {
      this.routes[r2] = second;
      this.refresh(r2);
    }
    return true;
  }

  private otherVariants(variant: number): number[] {
    const item = this.model.variantUnit[variant]!;
    const list: number[] = [];
    for (let v = this.model.variantStart[item]!; v < this.model.variantStart[item + 1]!; v += 1) list.push(v);
    return list;
  }

  /** Terminal before position p of route r (the base at the start). */
  private before(r: number, p: number): number {
    return p === 0 ? this.model.crewBase[r]! : this.model.variantTail[this.routes[r]![p - 1]!]!;
  }

  /** Terminal after position p of route r (the base past the end). */
  private after(r: number, p: number): number {
    const route = this.routes[r]!;
    return p >= route.length - 1 ? this.model.crewBase[r]! : this.model.variantHead[route[p + 1]!]!;
  }

  /** Time and metres of visiting variant v between terminals a and b instead of driving a → b. */
  private insertionCost(a: number, b: number, v: number): [number, number] {
    const { variantHead, variantTail, variantSeconds, variantMeters } = this.model;
    return [
      this.t(a, variantHead[v]!) + variantSeconds[v]! + this.t(variantTail[v]!, b) - this.t(a, b),
      this.m(a, variantHead[v]!) + variantMeters[v]! + this.m(variantTail[v]!, b) - this.m(a, b),
    ];
  }

  private tryFlip(u: number): boolean {
    const r = this.routeOf[u]!;
    const p = this.positionOf[u]!;
    const current = this.routes[r]![p]!;
    const a = this.before(r, p);
    const b = this.after(r, p);
    const [oldTime, oldMeters] = this.insertionCost(a, b, current);
    for (const v of this.otherVariants(current)) {
      if (v === current) continue;
      const [time, meters] = this.insertionCost(a, b, v);
      const accepted = this.acceptScored(r, this.duration[r]! + time - oldTime, this.meters[r]! + meters - oldMeters, -1, 0, 0, () => {
        const sequence = [...this.routes[r]!];
        sequence[p] = v;
        return [sequence, null];
      });
      if (accepted) return true;
    }
    return false;
  }

  private tryRelocate(u: number, v: number): boolean {
    const ru = this.routeOf[u]!;
    const rv = this.routeOf[v]!;
    const pu = this.positionOf[u]!;
    const pv = this.positionOf[v]!;
    const current = this.routes[ru]![pu]!;
    const [removeTime, removeMeters] = this.insertionCost(this.before(ru, pu), this.after(ru, pu), current);
    for (const gap of [pv, pv - 1]) {
      // Insert between position gap and gap + 1 of v's route.
      if (ru === rv && (gap === pu || gap === pu - 1)) continue;
      const a = gap < 0 ? this.model.crewBase[rv]! : this.model.variantTail[this.routes[rv]![gap]!]!;
      const b = this.after(rv, gap);
      for (const variant of this.otherVariants(current)) {
        const [addTime, addMeters] = this.insertionCost(a, b, variant);
        const build = (): [number[], number[] | null] => {
          if (ru === rv) {
            const sequence = [...this.routes[ru]!];
            sequence.splice(gap + 1, 0, variant);
            sequence.splice(gap + 1 < pu ? pu + 1 : pu, 1);
            return [sequence, null];
          }
          const target = [...this.routes[rv]!];
          target.splice(gap + 1, 0, variant);
          return [this.routes[ru]!.filter((_, index) => index !== pu), target];
        };
        const accepted =
          ru === rv
            ? this.acceptScored(ru, this.duration[ru]! - removeTime + addTime, this.meters[ru]! - removeMeters + addMeters, -1, 0, 0, build)
            : this.acceptScored(ru, this.duration[ru]! - removeTime, this.meters[ru]! - removeMeters, rv, this.duration[rv]! + addTime, this.meters[rv]! + addMeters, build);
        if (accepted) return true;
      }
    }
    return false;
  }

  private trySwap(u: number, v: number): boolean {
    const ru = this.routeOf[u]!;
    const rv = this.routeOf[v]!;
    const pu = this.positionOf[u]!;
    const pv = this.positionOf[v]!;
    if (ru === rv && Math.abs(pu - pv) <= 1) return false;
    const su = this.routes[ru]![pu]!;
    const sv = this.routes[rv]![pv]!;
    const au = this.before(ru, pu);
    const bu = this.after(ru, pu);
    const av = this.before(rv, pv);
    const bv = this.after(rv, pv);
    const [outUTime, outUMeters] = this.insertionCost(au, bu, su);
    const [outVTime, outVMeters] = this.insertionCost(av, bv, sv);
    for (const ou of this.otherVariants(su)) {
      const [inVTime, inVMeters] = this.insertionCost(av, bv, ou);
      for (const ov of this.otherVariants(sv)) {
        const [inUTime, inUMeters] = this.insertionCost(au, bu, ov);
        const build = (): [number[], number[] | null] => {
          const first = [...this.routes[ru]!];
          if (ru === rv) {
            first[pu] = ov;
            first[pv] = ou;
            return [first, null];
          }
          first[pu] = ov;
          const second = [...this.routes[rv]!];
          second[pv] = ou;
          return [first, second];
        };
        const accepted =
          ru === rv
            ? this.acceptScored(ru, this.duration[ru]! - outUTime - outVTime + inUTime + inVTime, this.meters[ru]! - outUMeters - outVMeters + inUMeters + inVMeters, -1, 0, 0, build)
            : this.acceptScored(
                ru,
                this.duration[ru]! - outUTime + inUTime,
                this.meters[ru]! - outUMeters + inUMeters,
                rv,
                this.duration[rv]! - outVTime + inVTime,
                this.meters[rv]! - outVMeters + inVMeters,
                build,
              );
        if (accepted) return true;
      }
    }
    return false;
  }

  /** 2-opt* between crews: u's route continues with v and the rest of v's route, and the other way. */
  private tryTailExchange(u: number, v: number): boolean {
    const ru = this.routeOf[u]!;
    const rv = this.routeOf[v]!;
    if (ru === rv) return false;
    const pu = this.positionOf[u]!;
    const pv = this.positionOf[v]!;
    const [timeA, metersA] = this.joined(ru, pu, rv, pv, ru);
    const [timeB, metersB] = this.joined(rv, pv - 1, ru, pu + 1, rv);
    return this.acceptScored(ru, timeA, metersA, rv, timeB, metersB, () => {
      const a = this.routes[ru]!;
      const b = this.routes[rv]!;
      return [a.slice(0, pu + 1).concat(b.slice(pv)), b.slice(0, pv).concat(a.slice(pu + 1))];
    });
  }

  /**
   * Time and metres of route x's positions 0..px followed by route y's positions py.. to the end,
   * returning to the base of crew `home` — from the prefix sums, in constant time.
   */
  private joined(x: number, px: number, y: number, py: number, home: number): [number, number] {
    const base = this.model.crewBase[home]!;
    const { variantHead, variantTail } = this.model;
    const routeY = this.routes[y]!;
    const hasHead = px >= 0;
    const hasTail = py < routeY.length;
    if (!hasHead && !hasTail) return [0, 0];
    let time = 0;
    let meters = 0;
    let at = this.model.crewBase[x]!;
    if (hasHead) {
      time = this.cumTime[x]![px]!;
      meters = this.cumMeters[x]![px]!;
      at = variantTail[this.routes[x]![px]!]!;
    } else {
      at = base;
    }
    if (hasTail) {
      const entry = this.before(y, py);
      const head = variantHead[routeY[py]!]!;
      const last = routeY.length - 1;
      const restTime = this.cumTime[y]![last]! - (py > 0 ? this.cumTime[y]![py - 1]! : 0) - this.t(entry, head);
      const restMeters = this.cumMeters[y]![last]! - (py > 0 ? this.cumMeters[y]![py - 1]! : 0) - this.m(entry, head);
      time += this.t(at, head) + restTime;
      meters += this.m(at, head) + restMeters;
      at = variantTail[routeY[last]!]!;
    }
    return [time + this.t(at, base), meters + this.m(at, base)];
  }

  /** The same item served the other way round (a stop is its own reverse); -1 for a one-way arc. */
  private reverseOf(variant: number): number {
    const { variantUnit, variantStart, variantHead, variantTail } = this.model;
    if (variantHead[variant] === variantTail[variant]) return variant;
    const item = variantUnit[variant]!;
    const first = variantStart[item]!;
    if (variantStart[item + 1]! - first < 2) return -1;
    return variant === first ? first + 1 : first;
  }

  /** Full evaluation of rewritten routes (for moves whose effect is not local). */
  private acceptSequences(r1: number, first: number[], r2: number, second: number[] | null): boolean {
    const a = this.evaluate(r1, first);
    const b = second ? this.evaluate(r2, second) : { duration: 0, meters: 0 };
    return this.acceptScored(r1, a.duration, a.meters, second ? r2 : -1, b.duration, b.meters, () => [first, second]);
  }

  /** 2-opt inside a route: reverse the stretch between u and v (every item in it driven the other way). */
  private tryReversal(u: number, v: number): boolean {
    const r = this.routeOf[u]!;
    if (r !== this.routeOf[v]!) return false;
    const pu = this.positionOf[u]!;
    const pv = this.positionOf[v]!;
    const [from, to] = pu < pv ? [pu + 1, pv] : [pv, pu - 1];
    if (to - from < 1) return false;
    const route = this.routes[r]!;
    const middle: number[] = [];
    for (let p = to; p >= from; p -= 1) {
      const reversed = this.reverseOf(route[p]!);
      if (reversed < 0) return false;
      middle.push(reversed);
    }
    return this.acceptSequences(r, route.slice(0, from).concat(middle, route.slice(to + 1)), -1, null);
  }

  /** Or-opt: move u with the one or two items after it to just after v, as they are or reversed. */
  private tryChainRelocate(u: number, v: number): boolean {
    const ru = this.routeOf[u]!;
    const rv = this.routeOf[v]!;
    const pu = this.positionOf[u]!;
    const pv = this.positionOf[v]!;
    const source = this.routes[ru]!;
    for (let length = 2; length <= 3; length += 1) {
      if (pu + length > source.length) break;
      if (ru === rv && pv >= pu - 1 && pv < pu + length) continue;
      const chain = source.slice(pu, pu + length);
      const reversed = chain.map((variant) => this.reverseOf(variant)).reverse();
      for (const moved of reversed.includes(-1) ? [chain] : [chain, reversed]) {
        if (ru === rv) {
          const rest = source.slice(0, pu).concat(source.slice(pu + length));
          const at = rest.indexOf(source[pv]!) + 1;
          if (this.acceptSequences(ru, rest.slice(0, at).concat(moved, rest.slice(at)), -1, null)) return true;
        } else {
          const target = this.routes[rv]!;
          const rest = source.slice(0, pu).concat(source.slice(pu + length));
          if (this.acceptSequences(ru, rest, rv, target.slice(0, pv + 1).concat(moved, target.slice(pv + 1)))) return true;
        }
      }
    }
    return false;
  }

  /** An item may be better served by a crew that has nothing yet (no neighbour would be in its route). */
  private tryRelocateToIdleCrew(u: number): boolean {
    const ru = this.routeOf[u]!;
    const pu = this.positionOf[u]!;
    for (let r = 0; r < this.crewCount; r += 1) {
      if (r === ru || this.routes[r]!.length > 0) continue;
      for (const variant of this.otherVariants(this.routes[ru]![pu]!)) {
        const [removeTime, removeMeters] = this.insertionCost(this.before(ru, pu), this.after(ru, pu), this.routes[ru]![pu]!);
        const base = this.model.crewBase[r]!;
        const [addTime, addMeters] = this.insertionCost(base, base, variant);
        const accepted = this.acceptScored(ru, this.duration[ru]! - removeTime, this.meters[ru]! - removeMeters, r, addTime, addMeters, () => [
          this.routes[ru]!.filter((_, index) => index !== pu),
          [variant],
        ]);
        if (accepted) return true;
      }
    }
    return false;
  }
}
