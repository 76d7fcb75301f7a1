import { describe, expect, it } from 'vitest';
import { recentArchivePeriod } from './endpoints';

describe('recentArchivePeriod', () => {
  it('counts Asia/Shanghai days, today included', () => {
    // 2026-03-01 23:30 in Shanghai is 15:30 UTC.
    expect(recentArchivePeriod(1, new Date('2026-03-01T15:30:00Z'))).toEqual({ from: '2026-03-01', to: '2026-03-01' });
    // 00:30 on 2 March in Shanghai, still 1 March in UTC.
    expect(recentArchivePeriod(2, new Date('2026-03-01T16:30:00Z'))).toEqual({ from: '2026-03-01', to: '2026-03-02' });
    expect(recentArchivePeriod(365, new Date('2026-03-01T04:00:00Z'))).toEqual({ from: '2025-03-02', to: '2026-03-01' });
  });
});
