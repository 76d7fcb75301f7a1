/** Gathers a case's document context (who, what, where, which law) and renders a document. */
import type { Queryable } from '../db/database.ts';
import { attributesSummary } from '../domain/attribute_display.ts';
import { displayedSide } from '../domain/side_display.ts';
import { VIOLATION_CATEGORY_RULES, isViolationCategory } from '../domain/violation_categories.ts';
import { selectOfficers } from '../duties/queries.ts';
import { AppError } from '../http/errors.ts';
import { requireViolation, toFeature } from '../violations/service.ts';
import { DOCUMENT_TEMPLATES, type DocumentKind } from './document_templates.ts';
import { selectDocumentEvents } from './queries.ts';
import type { DocumentContext, DocumentOfficer } from './render_document.ts';

const ID_TYPE_LABELS: Readonly<Record<string, string>> = { resident_id: '居民身份证', business_license: '营业执照', other: '证件' };
const NOT_FILED: readonly string[] = ['reported', 'rejected'];

/** The place as documents print it: 京港澳高速（G4）K12+300 右侧 距中心线 25 米; no side at 0 m. */
export function placeText(p: { route: string | null; routeName: string | null; stake: string | null; side: 'left' | 'right' | null; offsetMeters: number | null }): string {
  if (!p.route) return '（不在公路网范围内）';
  const shownSide = displayedSide(p.side, p.offsetMeters);
  const onCentreline = p.offsetMeters !== null && Math.round(p.offsetMeters) === 0;
  const side = shownSide === 'left' ? ' 左侧' : shownSide === 'right' ? ' 右侧' : '';
  const offset = p.offsetMeters === null ? '' : onCentreline ? ' 中心线上' : ` 距中心线 ${Math.round(p.offsetMeters)} 米`;
  return `${p.routeName ?? ''}（${p.route}）${p.stake ?? ''}${side}${offset}`;
}

export interface DocumentSettings {
  issuingUnitSuffix: string;
}

/**
 * The context of `kind` for case `id`; 409 NOTICE_NOT_ISSUED before the notice for documents that
 * follow it, 409 CASE_NOT_FILED before verification for the others.
 */
export async function documentContext(db: Queryable, id: number, kind: DocumentKind, settings: DocumentSettings, nonce: string | null): Promise<DocumentContext> {
  const feature = toFeature(await requireViolation(db, id));
  const p = feature.properties;
  const events = await selectDocumentEvents(db, id, p.segmentId);
  const template = DOCUMENT_TEMPLATES[kind];
  if (template.availableFrom === 'notice' && events.notice_issued_at === null) {
    throw new AppError(409, 'NOTICE_NOT_ISSUED', 'No rectification notice has been issued for this case yet (event issue_notice)', { id, status: p.status, kind });
  }
  if (NOT_FILED.includes(p.status) || p.caseNumber === null) {
    throw new AppError(409, 'CASE_NOT_FILED', `A ${template.englishTitle.toLowerCase()} needs a filed case (verify it first)`, { id, status: p.status, kind });
  }
  let officers: DocumentOfficer[] = Array.isArray(events.notice_details?.officers)
    ? (events.notice_details.officers as { name: string; certificateNumber: string | null }[]).map((officer) => ({ name: officer.name, certificateNumber: officer.certificateNumber }))
    : [];
  if (officers.length === 0 && events.verifier_user_id !== null) {
    // Before a notice names two officers, the one who verified on site is known; the second is written in by hand.
    officers = (await selectOfficers(db, [events.verifier_user_id])).map((officer) => ({ name: officer.display_name ?? officer.username, certificateNumber: officer.enforcement_certificate_number }));
  }
  const rule = isViolationCategory(p.category) ? VIOLATION_CATEGORY_RULES[p.category] : null;
  const attributes = Object.keys(p.attributes).length > 0 ? `（${attributesSummary(p.attributes, 'zh-CN')}）` : '';
  const jurisdictionName = p.jurisdiction?.name ?? '';
  return {
    caseNumber: p.caseNumber,
    authority: `${jurisdictionName}${settings.issuingUnitSuffix}`,
    authorityShortName: jurisdictionName,
    party: p.party
      ? {
          name: p.party.name,
          idTypeLabel: p.party.idType ? (ID_TYPE_LABELS[p.party.idType] ?? null) : null,
          idNumber: p.party.idNumber ?? null,
          address: p.party.address ?? null,
          contact: p.party.contact ?? null,
        }
      : null,
    observedAt: events.verified_at ?? new Date(p.reportedAt),
    placeText: placeText(p),
    findingText: `${rule?.label.zh ?? p.category}${attributes}`,
    reasonText: p.verdict.reason.zh,
    legalBasis: p.verdict.article ?? rule?.legalBasis ?? '',
    penaltyArticle: p.verdict.penaltyArticle ?? rule?.penaltyArticle ?? '',
    deadline: p.deadline ? new Date(p.deadline) : null,
    officers,
    issuedAt: events.notice_issued_at ?? events.verified_at ?? new Date(),
    geometry: feature.geometry,
    centreline: events.centreline,
    photoCount: p.photoCount,
    nonce,
  };
}
