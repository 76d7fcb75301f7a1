/**
 * Monthly unit scores (月督查): the formula is DATA — a list of rules with weights — and this
 * module turns a unit's monthly measures into points lost per rule. Pure: the client shows the
 * same rule labels. A unit starts at 100 and loses points per rule; the rank orders by score.
 *
 * Rules (every measure is counted by the management aggregates, per unit and month):
 * - closure_rate   maxPoints × (cases reported in the month still not cleared ÷ cases reported)
 * - on_time_rate   maxPoints × (cases cleared in the month after their deadline ÷ cases cleared)
 * - overdue_cases  pointsEach per case whose deadline fell in the month and that is overdue now,
 *                  at most maxPoints
 * - recurrence     pointsEach per case reopened after closure in the month, at most maxPoints
 * - leads_review   pointsEach per satellite lead of the month not reviewed within withinDays,
 *                  at most maxPoints
 * - supervision_on_time maxPoints × (supervision items due in the month not handled on time ÷ items
 *                  due in the month and judged: done, or past their deadline). Late = reported
 *                  done after the deadline day, or not done and the deadline passed.
 * - patrol_coverage: declared so a formula can weigh it already; it loses nothing (neutral) until
 *                  patrols (issue 7) record what it measures. Adding it is a new evaluator here.
 */

export const SCORING_RULES = ['closure_rate', 'on_time_rate', 'overdue_cases', 'recurrence', 'leads_review', 'patrol_coverage', 'supervision_on_time'] as const;
export type ScoringRuleKind = (typeof SCORING_RULES)[number];

/** Rules whose measure does not exist yet: always 0 points lost. */
export const NEUTRAL_RULES: readonly ScoringRuleKind[] = ['patrol_coverage'];

export interface ScoringRule {
  rule: ScoringRuleKind;
  /** The most the rule can take off the score. */
  maxPoints: number;
  /** Count rules: points per record. */
  pointsEach?: number;
  /** leads_review: a lead must be reviewed within this many days of arrival. */
  withinDays?: number;
}

export const SCORING_RULE_LABELS: Readonly<Record<ScoringRuleKind, { zh: string; en: string }>> = {
  closure_rate: { zh: '案件办结率', en: 'Closure rate' },
  on_time_rate: { zh: '按期整改率', en: 'On-time clearance rate' },
  overdue_cases: { zh: '逾期案件', en: 'Overdue cases' },
  recurrence: { zh: '结案后反弹', en: 'Recurrence after closure' },
  leads_review: { zh: '卫星线索核查时效', en: 'Satellite leads reviewed in time' },
  patrol_coverage: { zh: '巡查覆盖率', en: 'Patrol coverage' },
  supervision_on_time: { zh: '督办按期办结', en: 'Supervision handled on time' },
};

/** What the aggregates count for one unit and one month. */
export interface UnitMonthMeasures {
  /** Cases reported in the month (not rejected). */
  reported: number;
  /** Of those, not cleared yet. */
  openReported: number;
  /** Cases cleared in the month. */
  cleared: number;
  /** Of those, cleared after their deadline. */
  clearedLate: number;
  /** Cases whose deadline fell in the month and that are overdue now. */
  overdue: number;
  /** Cases reopened after closure in the month. */
  reopened: number;
  /** Satellite leads of the month not reviewed within each rule's days, by days. */
  leadsLateByDays: Readonly<Record<number, number>>;
  /** Supervision items whose deadline fell in the month, judged (done, or deadline passed). */
  supervisionsJudged: number;
  /** Of those, not handled by the deadline day. */
  supervisionsLate: number;
}

export interface LostPoints {
  rule: ScoringRuleKind;
  points: number;
  /** Records behind the lost points (the list the href opens). */
  count: number;
}

/** Two decimals, half away from zero (as a bulletin prints them). */
export function roundPoints(value: number): number {
  return Math.sign(value) * Math.round(Math.abs(value) * 100 + 1e-9) / 100;
}

function capped(rule: ScoringRule, count: number): number {
  return Math.min(rule.maxPoints, (rule.pointsEach ?? 0) * count);
}

/** Points lost per rule (formula order) and the score 100 − Σ lost. */
export function scoreUnitMonth(rules: readonly ScoringRule[], measures: UnitMonthMeasures): { score: number; lost: LostPoints[] } {
  const lost = rules.map((rule): LostPoints => {
    switch (rule.rule) {
      case 'closure_rate':
        return { rule: rule.rule, count: measures.openReported, points: measures.reported === 0 ? 0 : roundPoints((rule.maxPoints * measures.openReported) / measures.reported) };
      case 'on_time_rate':
        return { rule: rule.rule, count: measures.clearedLate, points: measures.cleared === 0 ? 0 : roundPoints((rule.maxPoints * measures.clearedLate) / measures.cleared) };
      case 'overdue_cases':
        return { rule: rule.rule, count: measures.overdue, points: roundPoints(capped(rule, measures.overdue)) };
      case 'recurrence':
        return { rule: rule.rule, count: measures.reopened, points: roundPoints(capped(rule, measures.reopened)) };
      case 'leads_review': {
        const count = measures.leadsLateByDays[rule.withinDays ?? 0] ?? 0;
        return { rule: rule.rule, count, points: roundPoints(capped(rule, count)) };
      }
      case 'supervision_on_time':
        return {
          rule: rule.rule,
          count: measures.supervisionsLate,
          points: measures.supervisionsJudged === 0 ? 0 : roundPoints((rule.maxPoints * measures.supervisionsLate) / measures.supervisionsJudged),
        };
      case 'patrol_coverage':
        return { rule: rule.rule, count: 0, points: 0 };
    }
  });
  return { score: roundPoints(100 - lost.reduce((sum, item) => sum + item.points, 0)), lost };
}

/**
 * Standard competition ranking (1, 2, 2, 4) by score descending; ties keep the input order
 * (callers sort ties by unit code).
 */
export function rankByScore<T extends { score: number }>(units: readonly T[]): (T & { rank: number })[] {
  const sorted = [...units].sort((a, b) => b.score - a.score);
  return sorted.map((unit, index) => ({ ...unit, rank: sorted.findIndex((other) => other.score === unit.score) + 1 || index + 1 }));
}

/** A problem with a formula's rules, or null when they are valid. */
export function formulaProblem(rules: readonly ScoringRule[]): string | null {
  if (rules.length === 0) return 'a formula needs at least one rule';
  const seen = new Set<string>();
  for (const rule of rules) {
    if (seen.has(rule.rule)) return `rule ${rule.rule} appears twice`;
    seen.add(rule.rule);
    if (['overdue_cases', 'recurrence', 'leads_review'].includes(rule.rule) && !(rule.pointsEach !== undefined && rule.pointsEach > 0)) return `rule ${rule.rule} needs pointsEach > 0`;
    if (rule.rule === 'leads_review' && !(rule.withinDays !== undefined && Number.isInteger(rule.withinDays) && rule.withinDays >= 0)) return 'rule leads_review needs withinDays (whole days ≥ 0)';
  }
  const total = rules.reduce((sum, rule) => sum + rule.maxPoints, 0);
  if (total > 100) return `the rules can take off ${total} points; at most 100`;
  return null;
}
