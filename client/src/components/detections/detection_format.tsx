import { formatStake } from '@domain/stake';
import { VIOLATION_CATEGORY_RULES, type ViolationCategory } from '@domain/violation_categories';
import type { DetectionProperties } from '../../api/detections';
import { label, zoneName } from '../../i18n/domain_labels';
import { hasMessage, type Translate } from '../../i18n/i18n';
import type { Language } from '../../i18n/languages';

export function categoryLabel(category: ViolationCategory | string | null, language: Language, t: Translate): string {
  if (!category) return t('det.noCategory');
  const rule = VIOLATION_CATEGORY_RULES[category as ViolationCategory];
  return rule ? label(rule.label, language) : category;
}

export function changeTypeLabel(changeType: string | null, t: Translate): string {
  if (!changeType) return '—';
  const key = `det.change.${changeType}`;
  return hasMessage(key) ? t(key) : changeType;
}

export function statusLabel(status: string, t: Translate): string {
  const key = `det.status.${status}`;
  return hasMessage(key) ? t(key) : status;
}

export function stakeRange(p: Pick<DetectionProperties, 'stakeFrom' | 'stakeTo'>): string | null {
  if (p.stakeFrom === null || p.stakeFrom === undefined) return null;
  const from = formatStake(p.stakeFrom);
  if (p.stakeTo === null || p.stakeTo === undefined || Math.round(p.stakeTo) === Math.round(p.stakeFrom)) return from;
  return `${from} – ${formatStake(p.stakeTo)}`;
}

export function zoneLabel(kind: string | null, language: Language, t: Translate): string {
  return kind ? zoneName(kind as Parameters<typeof zoneName>[0], language) : t('det.outOfZones');
}

export function squareMeters(value: number | null | undefined, language: Language): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return `${new Intl.NumberFormat(language, { maximumFractionDigits: value < 10 ? 1 : 0 }).format(value)} m²`;
}

export function percent(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return `${Math.round(value * 100)}%`;
}
