/**
 * From the database's view (routing graph, due segments, point tasks, crews) to the solver's
 * PatrolProblem, and from its PatrolPlan back to assignments to store. Pure: no database.
 */
import type { Crew as StoredCrew, CrewShift } from '../crews/service.ts';
import type { PatrolPlan, PatrolProblem, RequiredItem } from '../patrols/planner/patrol_types.ts';
import type { DueSegmentProperties, PointTaskProperties } from '../patrols/service.ts';
import { nearestNode } from '../routing/graph_analysis.ts';
import type { RoutingGraph } from '../routing/graph_types.ts';
import { indexRoutingGraph, type IndexedNetwork } from '../routing/indexed_network.ts';
import type { AssignmentWrite } from './queries.ts';

/** Time on site for one point task (verify a lead, re-inspect, check a rectification). */
export const TASK_SERVICE_MINUTES = 15;

/** The task kinds of the due rules (patrol_rules.ts) as the assignment tables name them (PATROL_CONTRACT.md). */
export const TASK_KIND_STORED: Readonly<Record<string, string>> = {
  field_verification: 'lead_verification',
  reinspection: 'reinspection',
  notice_deadline: 'deadline_check',
};

export type PlanCrew = Pick<StoredCrew, 'id' | 'name' | 'base' | 'baseNode'> & { shift: CrewShift };

export interface UnassignedEntry {
  kind: 'segment' | 'task';
  reason: string;
  segmentId?: number;
  route?: string | null;
  stakeFrom?: string;
  stakeTo?: string;
  taskId?: string;
  taskKind?: string;
  stake?: string | null;
  /** The segment is in an assignment, but some of its pieces could not be served. */
  partial?: boolean;
}

export interface PlanInputs {
  graph: RoutingGraph;
  dueSegments: DueSegmentProperties[];
  tasks: (PointTaskProperties & { lon: number; lat: number })[];
  crews: PlanCrew[];
}

export interface BuiltProblem {
  problem: PatrolProblem;
  indexed: IndexedNetwork;
  inputs: PlanInputs;
}

const segmentItemId = (segmentId: number, arcIndex: number) => `s:${segmentId}:${arcIndex}`;
const taskItemId = (taskId: string) => `t:${taskId}`;

export function buildPatrolProblem(inputs: PlanInputs): BuiltProblem {
  const indexed = indexRoutingGraph(inputs.graph);
  const required: RequiredItem[] = [];
  for (const segment of inputs.dueSegments) {
    for (const arc of indexed.arcIndexesBySegment.get(segment.id) ?? []) required.push({ kind: 'arc', id: segmentItemId(segment.id, arc), arc });
  }
  for (const task of inputs.tasks) {
    const near = nearestNode(inputs.graph, task.lon, task.lat);
    if (!near) continue;
    required.push({ kind: 'stop', id: taskItemId(task.id), node: indexed.nodeIndexById.get(near.node.id)!, serviceSeconds: TASK_SERVICE_MINUTES * 60 });
  }
  const crews = inputs.crews.flatMap((crew) => {
    let nodeId = crew.baseNode && indexed.nodeIndexById.has(crew.baseNode.id) ? crew.baseNode.id : null;
    if (nodeId === null) nodeId = nearestNode(inputs.graph, crew.base.coordinates[0]!, crew.base.coordinates[1]!)?.node.id ?? null;
    if (nodeId === null) return [];
    return [{ id: String(crew.id), baseNode: indexed.nodeIndexById.get(nodeId)!, shiftMinutes: crew.shift.shiftEndMinutes - crew.shift.shiftStartMinutes }];
  });
  return { problem: { network: indexed.network, required, crews }, indexed, inputs };
}

/** The plan's routes as rows to store, and what is left over named by route and stakes. */
export function planToAssignments(
  built: BuiltProblem,
  plan: PatrolPlan,
  context: { planId: number; date: string; jurisdictionCode: string },
): { assignments: AssignmentWrite[]; unassigned: UnassignedEntry[] } {
  const { indexed, inputs } = built;
  const segmentById = new Map(inputs.dueSegments.map((segment) => [segment.id, segment]));
  const taskById = new Map(inputs.tasks.map((task) => [task.id, task]));
  const crewById = new Map(inputs.crews.map((crew) => [String(crew.id), crew]));
  const arcs = built.problem.network.arcs;

  // A segment cut in pieces by a junction could be served by two crews; it belongs to the crew
  // serving most of its length (the other drives its piece on the way).
  const servedLength = new Map<number, Map<string, number>>();
  for (const route of plan.routes) {
    for (const step of route.steps) {
      if (step.kind !== 'drive' || !step.serve || !step.itemId?.startsWith('s:')) continue;
      const segmentId = Number(step.itemId.split(':')[1]);
      const byCrew = servedLength.get(segmentId) ?? new Map<string, number>();
      byCrew.set(route.crewId, (byCrew.get(route.crewId) ?? 0) + arcs[step.arc]!.lengthMeters);
      servedLength.set(segmentId, byCrew);
    }
  }
  const ownerOf = (segmentId: number) => [...servedLength.get(segmentId)!.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];

  const assignments = plan.routes.map((route) => {
    const crew = crewById.get(route.crewId)!;
    const segments: AssignmentWrite['segments'] = [];
    const tasks: AssignmentWrite['tasks'] = [];
    const seen = new Set<number>();
    for (const step of route.steps) {
      if (step.kind === 'stop') {
        const task = taskById.get(step.itemId.slice(2))!;
        tasks.push({
          taskKind: TASK_KIND_STORED[task.kind]!,
          detectionId: task.sourceType === 'detection' ? task.sourceId : null,
          violationId: task.sourceType === 'violation' ? task.sourceId : null,
          sequence: tasks.length + 1,
          lon: task.lon,
          lat: task.lat,
        });
        continue;
      }
      if (!step.serve || !step.itemId?.startsWith('s:')) continue;
      const segmentId = Number(step.itemId.split(':')[1]);
      if (seen.has(segmentId) || ownerOf(segmentId) !== route.crewId) continue;
      seen.add(segmentId);
      const arc = arcs[step.arc]!;
      // One-way carriageways are driven as digitised; an undivided road either way.
      const directionServed = arc.oneway || step.from === arc.from ? 'forward' : 'backward';
      segments.push({ segmentId, sequence: segments.length + 1, directionServed });
    }
    const walk = route.steps.flatMap((step) => (step.kind === 'drive' ? [step] : []));
    return {
      planId: context.planId,
      crewId: crew.id,
      date: context.date,
      jurisdictionCode: context.jurisdictionCode,
      locked: false,
      distanceMeters: Math.round(route.drivingMeters),
      serviceMeters: Math.round(route.serviceMeters),
      durationMinutes: Math.round((route.durationSeconds / 60) * 10) / 10,
      shiftMinutes: crew.shift.shiftEndMinutes - crew.shift.shiftStartMinutes,
      walkArcIds: walk.map((step) => indexed.arcIds[step.arc]!),
      walkReversed: walk.map((step) => step.from !== arcs[step.arc]!.from),
      segments,
      tasks,
    } satisfies AssignmentWrite;
  });

  const unassigned: UnassignedEntry[] = [];
  const listedSegments = new Set<number>();
  for (const item of plan.unassigned) {
    if (item.itemId.startsWith('s:')) {
      const segmentId = Number(item.itemId.split(':')[1]);
      if (listedSegments.has(segmentId)) continue;
      listedSegments.add(segmentId);
      const segment = segmentById.get(segmentId)!;
      // Some pieces served, others not (a junction in the segment's middle, the rest behind a dead end).
      const partial = servedLength.has(segmentId);
      unassigned.push({ kind: 'segment', reason: item.reason, segmentId, route: segment.route, stakeFrom: segment.stakeFrom, stakeTo: segment.stakeTo, ...(partial ? { partial } : {}) });
    } else {
      const task = taskById.get(item.itemId.slice(2))!;
      unassigned.push({ kind: 'task', reason: item.reason, taskId: task.id, taskKind: task.kind, route: task.route, stake: task.stake });
    }
  }
  // A due segment the graph does not hold (no arc) cannot be driven at all.
  for (const segment of inputs.dueSegments) {
    if (!indexed.arcIndexesBySegment.has(segment.id)) {
      unassigned.push({ kind: 'segment', reason: 'not_in_routing_graph', segmentId: segment.id, route: segment.route, stakeFrom: segment.stakeFrom, stakeTo: segment.stakeTo });
    }
  }
  // Conservation: every due segment and task is in exactly one assignment or listed here. Whatever
  // the solver left out without a reason (it should not) is named rather than lost.
  const assignedSegments = new Set(assignments.flatMap((assignment) => assignment.segments.map((segment) => segment.segmentId)));
  const listed = new Set(unassigned.flatMap((entry) => (entry.segmentId !== undefined ? [entry.segmentId] : [])));
  for (const segment of inputs.dueSegments) {
    if (!assignedSegments.has(segment.id) && !listed.has(segment.id)) {
      unassigned.push({ kind: 'segment', reason: 'not_placed', segmentId: segment.id, route: segment.route, stakeFrom: segment.stakeFrom, stakeTo: segment.stakeTo });
    }
  }
  const assignedTasks = new Set(plan.routes.flatMap((route) => route.itemIds.filter((itemId) => itemId.startsWith('t:')).map((itemId) => itemId.slice(2))));
  const listedTasks = new Set(unassigned.flatMap((entry) => (entry.taskId !== undefined ? [entry.taskId] : [])));
  for (const task of inputs.tasks) {
    if (!assignedTasks.has(task.id) && !listedTasks.has(task.id)) {
      unassigned.push({ kind: 'task', reason: 'not_placed', taskId: task.id, taskKind: task.kind, route: task.route, stake: task.stake });
    }
  }
  return { assignments, unassigned };
}
