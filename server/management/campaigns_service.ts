/** Campaigns (专项行动): a saved filter, a deadline and a target; progress from the aggregates. */
import type { SessionUser } from '../auth/session_user.ts';
import type { Queryable } from '../db/database.ts';
import { computeCampaignProgress, type CampaignProgress } from '../domain/campaign_forecast.ts';
import { AppError } from '../http/errors.ts';
import { offsetPage } from '../paging/keyset.ts';
import { refreshIfStale, type AggregateReads } from './aggregates.ts';
import { shanghaiToday } from './periods.ts';
import { countCampaigns, insertCampaign, selectCampaign, selectCampaignCleared, selectCampaignFound, selectCampaigns, type CampaignRow } from './queries.ts';

export interface CampaignScope {
  jurisdictions?: string[];
  routes?: string[];
  adminClasses?: string[];
  categories?: string[];
  zones?: string[];
}

export interface CreateCampaignInput {
  name: string;
  scope: CampaignScope;
  startDate: string;
  deadline: string;
  target?: number | null;
}

export function toCampaign(row: CampaignRow) {
  return {
    id: row.id,
    name: row.name,
    scope: row.scope as CampaignScope,
    startDate: row.start_date,
    deadline: row.deadline,
    target: row.target,
    jurisdiction: { code: row.jurisdiction_code, name: row.jurisdiction_name },
    createdBy: row.created_by_username,
    createdAt: row.created_at.toISOString(),
    isDemo: row.is_demo,
  };
}

export async function createCampaign(db: Queryable, user: SessionUser, input: CreateCampaignInput) {
  if (input.deadline < input.startDate) {
    throw new AppError(400, 'VALIDATION_FAILED', `deadline (${input.deadline}) must not be before startDate (${input.startDate})`, [{ path: 'deadline', message: 'deadline must not be before startDate' }]);
  }
  const outside = (input.scope.jurisdictions ?? []).filter((code) => !user.scopeCodes.includes(code));
  if (outside.length > 0) {
    throw new AppError(403, 'OUTSIDE_JURISDICTION', `A campaign may cover only ${user.jurisdiction.name} (${user.jurisdiction.code}) and units below it; not ${outside.join(', ')}`, { jurisdictions: outside });
  }
  const id = await insertCampaign(db, {
    name: input.name,
    scope: input.scope,
    startDate: input.startDate,
    deadline: input.deadline,
    target: input.target ?? null,
    jurisdictionCode: user.jurisdiction.code,
    createdBy: user.id,
  });
  return toCampaign((await selectCampaign(db, id))!);
}

export async function listCampaigns(db: Queryable, limit: number, offset: number) {
  const page = await offsetPage(await selectCampaigns(db, limit, offset), limit, offset, () => countCampaigns(db));
  const items = page.rows.map(toCampaign);
  return { items, numberMatched: page.numberMatched, numberMatchedIsEstimate: page.numberMatchedIsEstimate, numberReturned: items.length, limit, offset };
}

export async function requireCampaign(db: Queryable, id: number): Promise<CampaignRow> {
  const row = await selectCampaign(db, id);
  if (!row) throw new AppError(404, 'CAMPAIGN_NOT_FOUND', `No campaign ${id} in your jurisdiction`, { id });
  return row;
}

export async function getCampaignProgress(
  db: Queryable,
  row: CampaignRow,
  reads: AggregateReads,
  asOfRequested?: string,
  now: Date = new Date(),
): Promise<CampaignProgress & { campaign: ReturnType<typeof toCampaign> }> {
  await refreshIfStale(db, reads);
  const today = shanghaiToday(now);
  const asOf = asOfRequested ?? today;
  const scope = row.scope as CampaignScope;
  const values = {
    jurisdictions: scope.jurisdictions?.length ? scope.jurisdictions : [row.jurisdiction_code],
    routes: scope.routes?.length ? scope.routes : null,
    adminClasses: scope.adminClasses?.length ? scope.adminClasses : null,
    categories: scope.categories?.length ? scope.categories : null,
    zones: scope.zones?.length ? scope.zones : null,
  };
  const found = await selectCampaignFound(db, values, row.start_date, asOf);
  const cleared = await selectCampaignCleared(db, values, row.start_date, asOf);
  const units = found.map((unit) => ({
    code: unit.code,
    name: unit.name,
    found: unit.found,
    clearedByDay: Object.fromEntries(cleared.filter((item) => item.code === unit.code).map((item) => [item.day, item.cleared])),
  }));
  const progress = computeCampaignProgress({ startDate: row.start_date, deadline: row.deadline, asOf, target: row.target, units });
  return { campaign: toCampaign(row), ...progress };
}
