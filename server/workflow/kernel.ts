/**
 * The workflow kernel: applies a workflow's transition table (server/domain/workflow.ts) to one
 * record or to many, with the same guarantees for every stateful record (cases now; patrol
 * assignments and supervision next):
 * - the table decides (from, event) and the role; hooks add the record's own checks and columns;
 * - optimistic concurrency: `expectedVersion` and `UPDATE … WHERE id AND status AND version`,
 *   zero rows → 409 `<ENTITY>_CHANGED`;
 * - the event row in the same transaction as the status change;
 * - bulk: all rows locked FOR UPDATE in id order first (no deadlock between two bulks), every row
 *   planned before any is written (all or nothing);
 * - a serialization failure or deadlock is retried once from a savepoint, then answered 409
 *   `CONCURRENT_UPDATE`; never a 500.
 * `db` must be a transaction (the request's scoped one): the kernel uses savepoints.
 */
import type { Queryable } from '../db/database.ts';
import type { Workflow, WorkflowTransition } from '../domain/workflow.ts';
import { AppError } from '../http/errors.ts';
import {
  assertTableNames,
  insertStandardEvents,
  lockRowsInIdOrder,
  releaseSavepoint,
  rollbackToSavepoint,
  savepoint,
  updateStatusIfUnchanged,
  type StandardEventRow,
  type WorkflowTableNames,
} from './queries.ts';

export { WORKFLOW_NOW, type StandardEventRow, type WorkflowTableNames } from './queries.ts';

export interface WorkflowActor {
  id: number;
  username: string;
  role: string;
}

/** What the kernel needs of every record; hooks may read more (selectStates returns it). */
export interface WorkflowState {
  id: number;
  status: string;
  version: number;
}

export interface WorkflowRequest<Event extends string = string> {
  event: Event;
  /** The version the client saw; a different current version → 409 `<ENTITY>_CHANGED`. */
  expectedVersion?: number;
  note?: string | null;
}

type AnyTransition = WorkflowTransition<string, string, string, string>;
type AnyWorkflow = Workflow<any, any, any, any>;

export interface WorkflowPlan<State extends WorkflowState, Request extends WorkflowRequest, Checked> {
  state: State;
  transition: AnyTransition;
  request: Request;
  /** What the `check` hook returned (e.g. the deadline and photos it validated). */
  checked: Checked;
}

export interface WorkflowHooks<State extends WorkflowState, Request extends WorkflowRequest, Checked> {
  /**
   * The record's own checks once the table allowed the transition (evidence, requirements): throw
   * an AppError to refuse; return what `columns`, `afterUpdate` and `event` need. Writes nothing.
   */
  check?(input: { db: Queryable; state: State; transition: AnyTransition; request: Request; actor: WorkflowActor }): Promise<Checked> | Checked;
  /** Columns written together with the status (names from `updatableColumns`; WORKFLOW_NOW = now()). */
  columns?(plan: WorkflowPlan<State, Request, Checked>): Record<string, unknown>;
  /** Writes after the status update and before the event row (e.g. a case number); returns event details to merge. */
  afterUpdate?(db: Queryable, plan: WorkflowPlan<State, Request, Checked>, actor: WorkflowActor): Promise<Record<string, unknown> | void>;
  /** The event row's note and details (default: the request's trimmed note, no details). */
  event?(plan: WorkflowPlan<State, Request, Checked>, afterUpdateDetails: Record<string, unknown>): { note: string | null; details: Record<string, unknown> };
  /** Writes the event rows itself (an event table with extra columns); default: the standard columns. */
  insertEvents?(db: Queryable, rows: readonly StandardEventRow[], plans: readonly WorkflowPlan<State, Request, Checked>[]): Promise<void>;
}

export interface WorkflowBinding<State extends WorkflowState, Request extends WorkflowRequest, Checked> {
  workflow: AnyWorkflow;
  /** SCREAMING_SNAKE prefix of error codes: `CASE` → `CASE_CHANGED`. */
  entityCode: string;
  /** Plural noun for bulk messages ("3 of 5 cases cannot take …"). */
  entityPlural: string;
  names: WorkflowTableNames;
  /** The records among `ids` the request may see, with whatever the hooks read. */
  selectStates(db: Queryable, ids: readonly number[]): Promise<State[]>;
  /** 404 for an id the request cannot see. */
  notFound(id: number): AppError;
  hooks: WorkflowHooks<State, Request, Checked>;
}

/** Declares how a workflow maps onto its table; checks the identifiers once. */
export function bindWorkflow<State extends WorkflowState, Request extends WorkflowRequest, Checked = undefined>(
  binding: WorkflowBinding<State, Request, Checked>,
): WorkflowBinding<State, Request, Checked> {
  assertTableNames(binding.names);
  if (!/^[A-Z][A-Z0-9_]*$/.test(binding.entityCode)) throw new Error(`workflow ${binding.workflow.name}: entityCode must be SCREAMING_SNAKE`);
  return binding;
}

/**
 * Checks one transition against the table, the version and the hooks; throws the AppError that
 * refuses it (404, 409, 403, 422, 400) and writes nothing. `known` skips the read (bulk).
 */
export async function planWorkflowTransition<State extends WorkflowState, Request extends WorkflowRequest, Checked>(
  db: Queryable,
  binding: WorkflowBinding<State, Request, Checked>,
  id: number,
  request: Request,
  actor: WorkflowActor,
  known?: State,
): Promise<WorkflowPlan<State, Request, Checked>> {
  const state = known ?? (await binding.selectStates(db, [id]))[0];
  if (!state) throw binding.notFound(id);
  const workflow = binding.workflow;
  if (!workflow.isStatus(state.status)) {
    throw new AppError(409, 'TRANSITION_NOT_ALLOWED', `The ${workflow.name} is in an unknown status "${state.status}"`, { id, status: state.status });
  }
  if (request.expectedVersion !== undefined && request.expectedVersion !== state.version) {
    throw new AppError(
      409,
      `${binding.entityCode}_CHANGED`,
      `The ${workflow.name} changed meanwhile (version ${state.version}, you saw ${request.expectedVersion}); reload it`,
      { id, currentVersion: state.version, status: state.status },
    );
  }
  const step = workflow.nextTransition(state.status, request.event, actor.role);
  if (!step.ok) {
    throw new AppError(step.code === 'ROLE_NOT_ALLOWED' ? 403 : 409, step.code, step.message, {
      id,
      status: state.status,
      event: request.event,
      allowedEvents: workflow.allowedEvents(state.status, actor.role),
    });
  }
  const transition: AnyTransition = { from: step.from, event: step.event, to: step.to, roles: step.roles, requires: step.requires };
  const checked = (binding.hooks.check ? await binding.hooks.check({ db, state, transition, request, actor }) : undefined) as Checked;
  return { state, transition, request, checked };
}

/**
 * Writes planned transitions: each status update names the status and version its plan saw (a
 * concurrent change → 409 `<ENTITY>_CHANGED`), then the hook's extra writes, then the event rows.
 */
export async function applyWorkflowTransitions<State extends WorkflowState, Request extends WorkflowRequest, Checked>(
  db: Queryable,
  binding: WorkflowBinding<State, Request, Checked>,
  plans: readonly WorkflowPlan<State, Request, Checked>[],
  actor: WorkflowActor,
): Promise<{ id: number; version: number }[]> {
  const events: StandardEventRow[] = [];
  const versions: { id: number; version: number }[] = [];
  for (const plan of plans) {
    const updated = await updateStatusIfUnchanged(db, binding.names, {
      id: plan.state.id,
      fromStatus: plan.state.status,
      expectedVersion: plan.state.version,
      toStatus: plan.transition.to,
      columns: binding.hooks.columns?.(plan) ?? {},
    });
    if (!updated) {
      throw new AppError(409, `${binding.entityCode}_CHANGED`, `Someone changed the ${binding.workflow.name} meanwhile; reload it and try again`, { id: plan.state.id });
    }
    versions.push({ id: plan.state.id, version: updated.version });
    const extraDetails = (await binding.hooks.afterUpdate?.(db, plan, actor)) ?? {};
    const described = binding.hooks.event?.(plan, extraDetails) ?? { note: plan.request.note?.trim() || null, details: extraDetails };
    events.push({
      entityId: plan.state.id,
      event: plan.request.event,
      fromStatus: plan.state.status,
      toStatus: plan.transition.to,
      actorUserId: actor.id,
      actorUsername: actor.username,
      actorRole: actor.role,
      note: described.note,
      details: described.details,
    });
  }
  if (binding.hooks.insertEvents) await binding.hooks.insertEvents(db, events, plans);
  else await insertStandardEvents(db, binding.names, events);
  return versions;
}

const RETRYABLE_SQLSTATES = new Set(['40001', '40P01']);
const SAVEPOINT_NAME = 'luyu_workflow';

function isRetryable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && RETRYABLE_SQLSTATES.has(String((error as { code?: unknown }).code));
}

/**
 * Runs `work` from a savepoint; a serialization failure or deadlock rolls back to it and runs
 * `work` once more; a second one is a 409 the client may retry. Any other error also rolls back
 * to the savepoint (nothing half written) and is rethrown unchanged.
 */
export async function withConcurrencyRetry<T>(db: Queryable, work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    await savepoint(db, SAVEPOINT_NAME);
    try {
      const result = await work();
      await releaseSavepoint(db, SAVEPOINT_NAME);
      return result;
    } catch (error) {
      await rollbackToSavepoint(db, SAVEPOINT_NAME);
      await releaseSavepoint(db, SAVEPOINT_NAME);
      if (!isRetryable(error)) throw error;
      if (attempt >= 2) {
        throw new AppError(409, 'CONCURRENT_UPDATE', 'Another request changed the same records at the same moment; try again', {
          sqlState: (error as { code?: string }).code,
        });
      }
    }
  }
}

/** Plan + apply one transition (optimistic: no lock is taken before the conditional update). */
export async function transitionOne<State extends WorkflowState, Request extends WorkflowRequest, Checked>(
  db: Queryable,
  binding: WorkflowBinding<State, Request, Checked>,
  id: number,
  request: Request,
  actor: WorkflowActor,
): Promise<{ id: number; version: number }> {
  return withConcurrencyRetry(db, async () => {
    const plan = await planWorkflowTransition(db, binding, id, request, actor);
    const [applied] = await applyWorkflowTransitions(db, binding, [plan], actor);
    return applied!;
  });
}

export interface BulkFailure {
  id: number;
  code: string;
  message: string;
}

/**
 * All or nothing over many records: locks them in id order, plans every one, and writes only when
 * none is refused; otherwise throws 409 `BULK_TRANSITION_FAILED` (422 `REQUIREMENTS_MISSING` when
 * every refusal is a missing requirement) with the failures, having written nothing. `expectedVersion`
 * does not apply to a bulk request. Returns the distinct ids in request order.
 */
export async function transitionMany<State extends WorkflowState, Request extends WorkflowRequest, Checked>(
  db: Queryable,
  binding: WorkflowBinding<State, Request, Checked>,
  ids: readonly number[],
  request: Request,
  actor: WorkflowActor,
): Promise<number[]> {
  const unique = [...new Set(ids)];
  return withConcurrencyRetry(db, async () => {
    await lockRowsInIdOrder(db, binding.names, unique);
    const states = new Map((await binding.selectStates(db, unique)).map((state) => [Number(state.id), state]));
    const plans: WorkflowPlan<State, Request, Checked>[] = [];
    const failures: BulkFailure[] = [];
    for (const id of unique) {
      try {
        const state = states.get(id);
        if (!state) throw binding.notFound(id);
        plans.push(await planWorkflowTransition(db, binding, id, request, actor, state));
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        failures.push({ id, code: error.code, message: error.message });
      }
    }
    if (failures.length > 0) {
      const onlyRequirements = failures.every((failure) => failure.code === 'REQUIREMENTS_MISSING');
      throw new AppError(
        onlyRequirements ? 422 : 409,
        onlyRequirements ? 'REQUIREMENTS_MISSING' : 'BULK_TRANSITION_FAILED',
        `${failures.length} of ${unique.length} ${binding.entityPlural} cannot take "${request.event}"; nothing was changed`,
        { failures },
      );
    }
    await applyWorkflowTransitions(db, binding, plans, actor);
    return unique;
  });
}
