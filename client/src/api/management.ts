/** Typed fetches of the management API (server/management/routes.ts). */
import type { CampaignProgress } from '@domain/campaign_forecast';
import type { ScoringRuleKind } from '@domain/scoring_formula';
import { apiUrl, getJson, requestJson } from './http';

export interface Figure {
  value: number;
  href: string;
}

export interface Dashboard {
  jurisdiction: { code: string; name: string; level: string };
  units: { code: string; name: string }[];
  from: string;
  to: string;
  refreshedAt: string | null;
  figures: {
    open: Figure;
    overdue: Figure;
    cleared: Figure;
    clearedLate: Figure;
    reported: Figure;
    reportedCleared: Figure;
    clearanceRate: { value: number | null; numerator: Figure; denominator: Figure };
  };
  categories: { category: string; cleared: Figure; medianDaysToClear: number | null }[];
  trend: { month: string; reported: Figure; cleared: Figure }[];
  density: { cellDegrees: number; cells: { center: [number, number]; bbox: [number, number, number, number]; open: number }[] };
  supervision: {
    open: Figure;
    overdue: Figure;
    escalated: Figure;
    escalatedItems: {
      id: number;
      supervisionNumber: string;
      deadline: string;
      status: string;
      unit: { code: string; name: string };
      escalatedTo: { code: string; name: string } | null;
      responsible: { username: string; name: string | null } | null;
    }[];
  };
  overdueList: {
    href: string;
    items: {
      id: number;
      caseNumber: string | null;
      category: string;
      status: string;
      route: string | null;
      stake: string | null;
      unit: { code: string; name: string };
      responsible: { username: string; name: string | null } | null;
      deadline: string;
      daysOverdue: number;
    }[];
  };
}

export interface CampaignScope {
  jurisdictions?: string[];
  routes?: string[];
  adminClasses?: string[];
  categories?: string[];
  zones?: string[];
}

export interface Campaign {
  id: number;
  name: string;
  scope: CampaignScope;
  startDate: string;
  deadline: string;
  target: number | null;
  jurisdiction: { code: string; name: string };
}

export interface RankedUnit {
  code: string;
  name: string;
  score: number;
  rank: number;
  lost: { rule: ScoringRuleKind; label: { zh: string; en: string }; points: number; count: number; href: string | null; neutral: boolean }[];
}

export interface Rankings {
  period: string;
  from: string;
  to: string;
  jurisdiction: { code: string; name: string };
  formulaVersion: number;
  units: RankedUnit[];
}

export function fetchDashboard(query: { jurisdiction?: string; from?: string; to?: string }, signal?: AbortSignal): Promise<Dashboard> {
  return getJson(apiUrl('dashboard', query), signal);
}

export function fetchCampaigns(signal?: AbortSignal): Promise<{ items: Campaign[]; numberMatched: number }> {
  return getJson(apiUrl('campaigns', { limit: 100 }), signal);
}

export function createCampaign(body: { name: string; scope: CampaignScope; startDate: string; deadline: string; target: number | null }): Promise<Campaign> {
  return requestJson(apiUrl('campaigns'), { method: 'POST', json: body });
}

export function fetchCampaignProgress(id: number, signal?: AbortSignal): Promise<CampaignProgress & { campaign: Campaign }> {
  return getJson(apiUrl(`campaigns/${id}/progress`), signal);
}

export function campaignReportUrl(id: number, format: 'html' | 'xlsx'): string {
  return apiUrl(`campaigns/${id}/report`, { format });
}

export function fetchRankings(period: string, jurisdiction?: string, signal?: AbortSignal): Promise<Rankings> {
  return getJson(apiUrl('rankings', { period, jurisdiction }), signal);
}

export function bulletinUrl(period: string, format: 'html' | 'xlsx', jurisdiction?: string): string {
  return apiUrl('rankings/bulletin', { period, format, jurisdiction });
}

/** A supervision figure's API list as the supervision page's URL (the page reads the same filters). */
export function supervisionUrlOf(href: string): string {
  return `/supervision?${href.split('?')[1] ?? ''}`;
}

/** A figure's API list as the app's ledger URL (the ledger reads the same filters from its query). */
export function ledgerUrlOf(href: string): string {
  const [path, query = ''] = href.replace(/^\/api\/v1/, '').split('?');
  return path === '/detections' ? `/detections?${query}` : `/violations?${query}`;
}
