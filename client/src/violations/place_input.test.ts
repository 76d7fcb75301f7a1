import { describe, expect, it } from 'vitest';
import { parseLonLat, parseStakePlace } from './place_input';

describe('typed places for a new finding', () => {
  it('reads route, stake, side and offset', () => {
    expect(parseStakePlace('G107 K3+200 右侧 25 m')).toEqual({ route: 'G107', stake: 'K3+200', side: 'right', offsetMeters: 25 });
    expect(parseStakePlace('s1k12+050左12米')).toEqual({ route: 'S1', stake: 'K12+050', side: 'left', offsetMeters: 12 });
    expect(parseStakePlace('G310 K1+000 left 3.5')).toEqual({ route: 'G310', stake: 'K1+000', side: 'left', offsetMeters: 3.5 });
  });
  it('refuses a malformed stake or a missing side', () => {
    expect(parseStakePlace('G107 K3+1200 右侧 25 m')).toBeNull();
    expect(parseStakePlace('G107 K3+200 25 m')).toBeNull();
    expect(parseStakePlace('K3+200 右侧 25')).toBeNull();
  });
  it('reads lon, lat in China only', () => {
    expect(parseLonLat('113.75, 34.69')).toEqual([113.75, 34.69]);
    expect(parseLonLat('113.75，34.69')).toEqual([113.75, 34.69]);
    expect(parseLonLat('34.69, 113.75')).toBeNull();
    expect(parseLonLat('abc')).toBeNull();
  });
});
