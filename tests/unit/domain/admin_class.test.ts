import { describe, expect, it } from 'vitest';
import { ADMIN_CLASSES, ADMIN_CLASS_LABELS, isAdminClass, ROUTE_CODE_PATTERN } from '../../../server/domain/admin_class.ts';
import { expectBilingualLabels } from './label_tables.ts';

describe('administrative classes', () => {
  it('names each class as the Highway Law and rural-road practice do', () => {
    expectBilingualLabels(ADMIN_CLASSES, ADMIN_CLASS_LABELS);
    // 公路法 第六条: 国道、省道、县道、乡道; 高速公路 and 村道 from practice (DOMAIN.md)
    expect(Object.fromEntries(ADMIN_CLASSES.map((adminClass) => [adminClass, ADMIN_CLASS_LABELS[adminClass].zh]))).toEqual({
      expressway: '高速公路',
      national: '国道',
      provincial: '省道',
      county: '县道',
      township: '乡道',
      village: '村道',
    });
  });
  it('recognises the six classes only', () => {
    for (const adminClass of ['expressway', 'national', 'provincial', 'county', 'township', 'village']) expect(isAdminClass(adminClass)).toBe(true);
    for (const other of ['city', 'Expressway', '', 'connector']) expect(isAdminClass(other)).toBe(false);
  });
  it('route codes: one GB/T 917 letter and 1–4 digits', () => {
    for (const code of ['G4', 'G0511', 'S1', 'X901', 'Y001', 'C12', 'Z9999']) expect(code).toMatch(ROUTE_CODE_PATTERN);
    for (const code of ['G', 'G12345', 'g4', 'A1', 'K4', ' G4', 'G4 ', 'xG4', 'G4x', 'GG4']) expect(code).not.toMatch(ROUTE_CODE_PATTERN);
  });
});
