/**
 * The enforcement documents as data (交通运输行政执法文书 practice, DOMAIN.md): each template is its
 * title, number abbreviation, when it may be produced, and the ordered elements it prints. The
 * renderer (render_document.ts) knows how to print each element once; a template only chooses.
 * The template test checks every element listed here is present with its content.
 */

export const DOCUMENT_KINDS = ['rectification_notice', 'stop_order', 'inspection_record', 'service_record'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export const DOCUMENT_ELEMENTS = [
  'document_number',
  'party',
  'inspection',
  'facts',
  'map',
  'legal_basis',
  'penalty',
  'order',
  'consequence',
  'remedy',
  'served_document',
  'officers',
  'seal',
  'issue_date',
  'acknowledgement',
  'service',
] as const;
export type DocumentElement = (typeof DOCUMENT_ELEMENTS)[number];

export interface DocumentTemplate {
  readonly title: string;
  readonly englishTitle: string;
  /** In the document number: 管城回族区限改〔2026〕000123号. */
  readonly abbreviation: string;
  /** `notice`: only once a rectification notice was issued; `filed`: once the case is verified. */
  readonly availableFrom: 'notice' | 'filed';
  /** The order the document gives (for `order`); `{deadline}` is replaced by the date. */
  readonly orderText?: string;
  readonly elements: readonly DocumentElement[];
}

export const DOCUMENT_TEMPLATES: Readonly<Record<DocumentKind, DocumentTemplate>> = {
  rectification_notice: {
    title: '限期整改通知书',
    englishTitle: 'Rectification notice',
    abbreviation: '限改',
    availableFrom: 'notice',
    orderText: '责令你（单位）于{deadline}前自行改正违法行为（拆除、清除违法设施，恢复原状）。',
    elements: ['document_number', 'party', 'facts', 'map', 'legal_basis', 'penalty', 'order', 'consequence', 'remedy', 'officers', 'seal', 'issue_date', 'acknowledgement'],
  },
  stop_order: {
    title: '责令停止违法行为通知书',
    englishTitle: 'Order to stop the illegal act',
    abbreviation: '责停',
    availableFrom: 'filed',
    orderText: '责令你（单位）立即停止上述违法行为，并于{deadline}前接受调查处理。',
    elements: ['document_number', 'party', 'facts', 'map', 'legal_basis', 'penalty', 'order', 'consequence', 'remedy', 'officers', 'seal', 'issue_date', 'acknowledgement'],
  },
  inspection_record: {
    title: '现场检查笔录',
    englishTitle: 'On-site inspection record',
    abbreviation: '检查',
    availableFrom: 'filed',
    elements: ['document_number', 'inspection', 'officers', 'party', 'facts', 'map', 'legal_basis', 'seal', 'issue_date', 'acknowledgement'],
  },
  service_record: {
    title: '送达回证',
    englishTitle: 'Proof of service',
    abbreviation: '送达',
    availableFrom: 'notice',
    elements: ['document_number', 'served_document', 'party', 'service', 'officers', 'seal', 'issue_date'],
  },
};

export function isDocumentKind(value: string): value is DocumentKind {
  return (DOCUMENT_KINDS as readonly string[]).includes(value);
}

/** 410104-2026-000123 → 管城回族区限改〔2026〕000123号 (the case's year and sequence). */
export function documentNumber(kind: DocumentKind, caseNumber: string, authorityShortName: string): string {
  const match = /^\d{6}-(\d{4})-(\d+)$/.exec(caseNumber);
  const { abbreviation } = DOCUMENT_TEMPLATES[kind];
  if (!match) return `${authorityShortName}${abbreviation}〔${caseNumber}〕号`;
  return `${authorityShortName}${abbreviation}〔${match[1]}〕${match[2]}号`;
}
