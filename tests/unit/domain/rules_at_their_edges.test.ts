import { describe, expect, it } from 'vitest';
import { formatCaseNumber, parseCaseNumber } from '../../../server/domain/case_number.ts';
import { hasPermission, isPermission, isRole, passwordProblem, permissionsOf, ROLE_LABELS } from '../../../server/domain/roles.ts';
import { formatStake, parseStake } from '../../../server/domain/stake.ts';
import { assessVerdict } from '../../../server/domain/violation_verdict.ts';

/**
 * Edges the mutation run (npm run test:mutation, docs/testing.md) found untested: every limit of
 * the case number, the role labels and password rule, the stake's decimals and the verdicts' reasons.
 * Expected values are typed here (README's role table, DOMAIN.md's campaign name), not read from code.
 */

describe('case numbers at their limits', () => {
  const format = (jurisdictionCode: string, year: number, sequence: number) => () => formatCaseNumber({ jurisdictionCode, year, sequence });

  it.each([
    ['410104', 2000, 1, '410104-2000-000001'],
    ['810000', 2999, 999_999, '810000-2999-999999'],
    ['110101', 2026, 123, '110101-2026-000123'],
  ])('formats %s %d %d', (code, year, sequence, text) => {
    expect(format(code, year, sequence)()).toBe(text);
    expect(parseCaseNumber(text)).toEqual({ ok: true, jurisdictionCode: code, year, sequence });
  });

  it.each([
    ['410104', 1999, 1],
    ['410104', 3000, 1],
    ['410104', 2026.5, 1],
    ['410104', 2026, 0],
    ['410104', 2026, 1_000_000],
    ['410104', 2026, 1.5],
    ['0410104', 2026, 1],
    ['4101045', 2026, 1],
    ['x410104', 2026, 1],
    ['41010x', 2026, 1],
    ['910104', 2026, 1],
  ])('refuses to format %s %d %d', (code, year, sequence) => {
    expect(format(code, year, sequence)).toThrow(RangeError);
  });

  it('names the year limits in the message', () => {
    expect(format('410104', 1999, 1)).toThrow(/year must be a whole year from 2000 to 2999, got 1999/);
  });

  it.each(['410104-1999-000001', '410104-3000-000001', 'x410104-2026-000001', '410104-2026-000001x', '0410104-2026-000001'])('refuses to parse %s', (text) => {
    const result = parseCaseNumber(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(text);
  });

  it('parses the first and last valid years', () => {
    expect(parseCaseNumber('410104-2000-000001').ok).toBe(true);
    expect(parseCaseNumber('410104-2999-000001').ok).toBe(true);
    const early = parseCaseNumber('410104-1999-000001');
    expect(early.ok === false && early.message).toMatch(/year must be from 2000 to 2999/);
  });
});

describe('roles: labels, permissions and the password rule', () => {
  it('labels every role in Chinese first and English (README demo table)', () => {
    expect(ROLE_LABELS).toEqual({
      admin: { zh: '系统管理员', en: 'Administrator' },
      manager: { zh: '领导/管理', en: 'Manager' },
      officer: { zh: '执法人员', en: 'Enforcement officer' },
      dispatcher: { zh: '调度', en: 'Dispatcher' },
      patrol: { zh: '巡查人员', en: 'Patrol' },
      viewer: { zh: '只读', en: 'Viewer' },
    });
  });

  it('knows its roles and permissions and nothing else', () => {
    expect(isRole('officer')).toBe(true);
    expect(isRole('superuser')).toBe(false);
    expect(isPermission('audit.read')).toBe(true);
    expect(isPermission('toString')).toBe(false);
    expect(hasPermission('viewer', 'findings.record')).toBe(false);
    expect(hasPermission('patrol', 'findings.record')).toBe(true);
  });

  it('a viewer reads and does nothing else (typed from the roles intent)', () => {
    expect(permissionsOf('viewer').sort()).toEqual(['account.self', 'detections.read', 'network.read', 'reports.read', 'supervisions.read', 'violations.read'].sort());
    expect(permissionsOf('admin')).toContain('users.manage');
    expect(permissionsOf('admin')).not.toContain('cases.transition');
  });

  it('passwords: at least 10 characters, never the username (trimmed, any case)', () => {
    expect(passwordProblem('123456789', 'li.wei')).toBe('password must be at least 10 characters');
    expect(passwordProblem('1234567890', 'li.wei')).toBeNull();
    expect(passwordProblem(' Li.Wei.Zhang ', 'li.wei.zhang')).toBe('password must not be the username');
    expect(passwordProblem('li.wei.zhang', ' LI.WEI.ZHANG ')).toBe('password must not be the username');
    expect(passwordProblem('li.wei.zhang!', 'li.wei.zhang')).toBeNull();
  });
});

describe('stakes: metres with up to three decimals', () => {
  it('parses one to three decimals and refuses four', () => {
    expect(parseStake('K3+200.123')).toEqual({ ok: true, chainageMeters: 3200.123 });
    expect(parseStake('K3+200.1')).toEqual({ ok: true, chainageMeters: 3200.1 });
    expect(parseStake('K3+200.1234').ok).toBe(false);
  });

  it('formats decimals and names a bad value', () => {
    expect(formatStake(3200.5, 1)).toBe('K3+200.5');
    expect(() => formatStake(-2)).toThrow('chainage must be a finite number of metres ≥ 0, got -2');
  });
});

describe('verdict reasons say why, in both languages', () => {
  const board = (extra: Record<string, unknown> = {}) => ({ faceAreaSquareMeters: 20, heightMeters: 6, structureType: 'wall' as const, illuminated: false, ...extra });
  const verdict = (zones: ('road_land' | 'building_control')[], distance: number | null, extra: Record<string, unknown> = {}, adminClass: 'expressway' | 'national' | null = 'expressway') =>
    assessVerdict({ category: 'billboard', attributes: board(extra), zones, adminClass, distanceBeyondRoadLandMeters: distance, buildingControlMeters: null });

  it('a tower in the control zone stays a violation with a permit (ground structure, 条例 13 and 56)', () => {
    const tower = verdict(['building_control'], 10, { structureType: 'tower', permitNumber: 'P-1' });
    expect([tower.isViolation, tower.article, tower.penaltyArticle]).toEqual([true, '公路安全保护条例 13', '公路安全保护条例 56']);
  });

  it('cites the Henan campaign by its full name (DOMAIN.md)', () => {
    expect(verdict([], 60).article).toBe('河南省清理高速公路沿线广告设施专项行动方案 (2021)');
  });

  it.each([
    ['road land, no permit', () => verdict(['road_land'], null), /公路用地内未经批准设置非公路标志/, /Billboard in road land without approval/],
    ['control zone, no permit', () => verdict(['building_control'], 10), /建筑控制区内未经审批/, /Unapproved billboard in the expressway building control zone/],
    // Issue 14 / DOMAIN.md: a tower in the control zone is a ground structure (条例第十三条); a permit does not change that.
    ['control zone, tower with permit', () => verdict(['building_control'], 10, { structureType: 'tower', permitNumber: 'P-1' }), /建筑控制区内的立柱式广告设施属地面构筑物，违反《公路安全保护条例》第十三条/, /Tower billboard in the building control zone is a ground structure/],
    ['band, no permit', () => verdict([], 60), /控制区外100米范围内/, /within 100 m beyond/],
    ['road land, approved', () => verdict(['road_land'], null, { permitNumber: '豫路许 2025-17' }), /已经批准（豫路许 2025-17）/, /approved \(permit 豫路许 2025-17\)/],
    ['outside', () => verdict([], 200), /超出公路法管辖范围：保留记录，不立案/, /outside the jurisdiction of road law/],
    ['no road', () => verdict([], null, {}, null), /附近无公路/, /No road nearby/],
  ])('%s', (_name, make, zh, en) => {
    const { reason } = make();
    expect(reason.zh).toMatch(zh);
    expect(reason.en).toMatch(en);
  });
});
