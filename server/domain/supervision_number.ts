/**
 * Supervision numbers (督办统一编号) `DB-410100-2026-000012`: "DB" (督办), the issuing unit's
 * division code, the year (Asia/Shanghai) and a gap-free sequence per unit and year — the same
 * parts as a case number (case_number.ts), with a prefix so the two are never confused.
 */
import { formatCaseNumber, type CaseNumberParts } from './case_number.ts';

export const SUPERVISION_NUMBER_PATTERN = /^DB-[1-8]\d{5}-\d{4}-\d{6}$/;

export function formatSupervisionNumber(parts: CaseNumberParts): string {
  return `DB-${formatCaseNumber(parts)}`;
}
