/**
 * Template test (issue 14): every enforcement document rendered with a full fixture case carries
 * every element DOMAIN.md lists, with the fixture's content — expectations written out by hand.
 */
import { describe, expect, it } from 'vitest';
import { DOCUMENT_KINDS, DOCUMENT_TEMPLATES, type DocumentElement, type DocumentKind } from '../../../server/documents/document_templates.ts';
import { renderDocument, type DocumentContext } from '../../../server/documents/render_document.ts';

const FIXTURE: DocumentContext = {
  caseNumber: '410104-2026-000123',
  authority: '管城回族区交通运输综合执法大队',
  authorityShortName: '管城回族区',
  party: { name: '郑州某某广告有限公司', idTypeLabel: '营业执照', idNumber: '91410100MA44XXXX1K', address: '郑州市管城回族区航海东路 88 号', contact: '0371-66660000' },
  observedAt: new Date('2026-11-20T02:30:00Z'), // 10:30 in Shanghai
  placeText: '连霍高速（G310）K3+200 右侧 距中心线 25 米',
  findingText: '非公路标志、广告设施（版面面积：60 m²；带照明：否）',
  reasonText: '公路用地内未经批准设置非公路标志，违反《中华人民共和国公路法》第五十四条',
  legalBasis: '公路法 54',
  penaltyArticle: '公路法 79',
  deadline: new Date('2026-11-27T15:59:59Z'), // 2026-11-27 23:59:59 Shanghai
  officers: [
    { name: '张执法', certificateNumber: '41010420002' },
    { name: '李执法', certificateNumber: '41010420001' },
  ],
  issuedAt: new Date('2026-11-20T03:00:00Z'),
  geometry: { type: 'Point', coordinates: [113.7, 34.74] },
  centreline: { type: 'LineString', coordinates: [[113.698, 34.7395], [113.702, 34.7405]] },
  photoCount: 2,
  nonce: 'test-nonce',
};

/** What each element must show for the fixture above (computed by hand from the law and the fixture). */
const EXPECTED: Record<DocumentElement, (kind: DocumentKind) => readonly string[]> = {
  document_number: (kind) => [`管城回族区${DOCUMENT_TEMPLATES[kind].abbreviation}〔2026〕000123号`],
  party: () => ['郑州某某广告有限公司', '统一社会信用代码', '91410100MA44XXXX1K', '郑州市管城回族区航海东路 88 号'],
  inspection: () => ['2026年11月20日 10时30分', 'K3+200', '右侧', '25 米', '2 张'],
  facts: () => ['2026年11月20日 10时30分', '连霍高速（G310）K3+200 右侧 距中心线 25 米', '带照明：否'],
  map: () => ['<svg', '<polyline', '<circle'],
  legal_basis: () => ['《中华人民共和国公路法》第五十四条'],
  penalty: () => ['《中华人民共和国公路法》第七十九条', '二万元以下'],
  order: () => ['2026年11月27日'],
  consequence: () => ['逾期不改正', '《中华人民共和国行政强制法》第三十五条', '费用由你（单位）承担'],
  remedy: () => ['六十日内', '《中华人民共和国行政复议法》第二十条', '六个月内', '《中华人民共和国行政诉讼法》第四十六条'],
  served_document: () => ['限期整改通知书', '管城回族区限改〔2026〕000123号'],
  officers: () => ['张执法', '41010420002', '李执法', '41010420001'],
  seal: () => ['印章', '管城回族区交通运输综合执法大队'],
  issue_date: () => ['2026年11月20日'],
  acknowledgement: () => ['签收', '拒绝签收', '见证人'],
  service: () => ['受送达人', '郑州某某广告有限公司', '送达时间', '送达方式', '送达地点', '拒收', '见证人', '张执法', '41010420002'],
};

function sectionOf(html: string, element: DocumentElement): string | null {
  const match = new RegExp(`<section data-element="${element}">([\\s\\S]*?)</section>`).exec(html);
  return match ? match[1]! : null;
}

describe.each(DOCUMENT_KINDS)('%s', (kind) => {
  const html = renderDocument(kind, FIXTURE);
  const template = DOCUMENT_TEMPLATES[kind];

  it('has its title', () => {
    expect(html).toContain(`<h1>${template.title}</h1>`);
  });

  it.each(template.elements)('prints %s with its content', (element) => {
    const section = sectionOf(html, element);
    expect(section, `section ${element}`).not.toBeNull();
    for (const expected of EXPECTED[element](kind)) expect(section).toContain(expected);
  });

  it('never prints the short citation form or "≤ ¥"', () => {
    expect(html).not.toMatch(/《公路法|公路法 \d|≤|¥/);
  });
});

describe('required elements per DOMAIN.md', () => {
  it('every decision names party, facts, legal basis, penalty, order, remedy, two officers, seal, date and a receipt', () => {
    for (const kind of ['rectification_notice', 'stop_order'] as const) {
      expect(DOCUMENT_TEMPLATES[kind].elements).toEqual(
        expect.arrayContaining(['document_number', 'party', 'facts', 'map', 'legal_basis', 'penalty', 'order', 'consequence', 'remedy', 'officers', 'seal', 'issue_date', 'acknowledgement']),
      );
    }
    expect(DOCUMENT_TEMPLATES.service_record.elements).toEqual(expect.arrayContaining(['served_document', 'service', 'officers', 'seal']));
    expect(DOCUMENT_TEMPLATES.inspection_record.elements).toEqual(expect.arrayContaining(['inspection', 'officers', 'facts', 'map']));
  });

  it('prints blank lines for a second officer when only one is known, never a missing line', () => {
    const html = renderDocument('rectification_notice', { ...FIXTURE, officers: [FIXTURE.officers[0]!] });
    expect(sectionOf(html, 'officers')!.match(/执法人员：/g)).toHaveLength(2);
  });

  it('escapes what the party typed', () => {
    const html = renderDocument('rectification_notice', { ...FIXTURE, party: { ...FIXTURE.party!, name: '<script>x</script>' } });
    expect(html).not.toContain('<script>x</script>');
    expect(html).toContain('&lt;script&gt;');
  });

  it('the PDF variant has no script (no nonce)', () => {
    expect(renderDocument('rectification_notice', { ...FIXTURE, nonce: null })).not.toContain('<script');
  });
});
