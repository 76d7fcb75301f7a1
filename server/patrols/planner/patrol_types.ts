/**
 * Mode B input and output: the product's patrol planning on a mixed road graph. Nodes are
 * numbered 0..nodeCount-1 by the caller (who keeps its own mapping to segment ends); arcs are
 * referred to by their index in `arcs`.
 */
import type { SearchControl } from './search_budget.ts';

export interface PatrolArc {
  from: number;
  to: number;
  lengthMeters: number;
  /** Driving time at the road's normal speed (used for deadheading). */
  travelSeconds: number;
  /** true: a one-way carriageway (from → to only); false: an undivided road driven both ways. */
  oneway: boolean;
}

export interface PatrolNetwork {
  nodeCount: number;
  arcs: PatrolArc[];
}

/** A road to patrol: drive `arc` once (in its direction if one-way, either direction if not). */
export interface RequiredArc {
  kind: 'arc';
  id: string;
  arc: number;
  /** Time to patrol it (driving it at patrol speed); defaults to the arc's travelSeconds. */
  serviceSeconds?: number;
}

/** A point task (lead to verify, re-inspection): a stop of `serviceSeconds` at `node`. */
export interface RequiredStop {
  kind: 'stop';
  id: string;
  node: number;
  serviceSeconds: number;
}

export type RequiredItem = RequiredArc | RequiredStop;

export interface Crew {
  id: string;
  baseNode: number;
  shiftMinutes: number;
}

export interface PatrolProblem {
  network: PatrolNetwork;
  required: RequiredItem[];
  crews: Crew[];
}

export interface PatrolPlanOptions extends SearchControl {
  seed?: number;
  /**
   * Stops after this many improvement rounds. With it (and a generous `seconds`) the plan is the
   * same on every run for a seed; a plan cut short by the clock depends on the machine's speed.
   */
  maxRounds?: number;
}

/** One step of a crew's walk: drive an arc (serving it or not) or stop at a node for a task. */
export type RouteStep =
  | { kind: 'drive'; arc: number; from: number; to: number; serve: boolean; itemId?: string }
  | { kind: 'stop'; node: number; itemId: string; serviceSeconds: number };

export interface CrewRoute {
  crewId: string;
  steps: RouteStep[];
  /** Every metre driven: deadheading plus patrolled road. */
  drivingMeters: number;
  /** The patrolled (served) metres among them. */
  serviceMeters: number;
  durationSeconds: number;
  /** Required item ids in the order served. */
  itemIds: string[];
}

export type UnassignedReason = 'unreachable_from_base' | 'longer_than_any_shift' | 'no_room_in_any_shift';

export interface UnassignedItem {
  itemId: string;
  reason: UnassignedReason;
}

export interface PatrolPlan {
  routes: CrewRoute[];
  unassigned: UnassignedItem[];
  drivingMeters: number;
  lowerBoundMeters: number;
  /** drivingMeters ÷ lowerBoundMeters (1 when both are 0). */
  ratioToLowerBound: number;
  longestSeconds: number;
  seconds: number;
  /** Improvement rounds the search ran: with the seed, `maxRounds: rounds` reproduces the plan. */
  rounds: number;
}
