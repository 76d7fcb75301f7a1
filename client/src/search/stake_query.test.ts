import { describe, expect, it } from 'vitest';
import { parseStakeQuery } from './stake_query';

describe('parseStakeQuery', () => {
  it('reads route and stake with the + direction by default', () => {
    expect(parseStakeQuery('G107 K3+200')).toEqual({ ok: true, route: 'G107', stake: 'K3+200', chainageMeters: 3200, direction: 1 });
  });

  it.each([
    ['G107 K3+200 -', -1],
    ['G107 K3+200 −', -1],
    ['G107 K3+200 下行', -1],
    ['G107 K3+200 上行', 1],
    ['G107 K3+200 +', 1],
    ['g107 k3+200 down', -1],
  ])('reads the direction in %s', (text, direction) => {
    const query = parseStakeQuery(text);
    expect(query.ok && query.direction).toBe(direction);
  });

  it('accepts no space, lower case and full-width characters typed with a Chinese IME', () => {
    expect(parseStakeQuery('g107k3+200')).toMatchObject({ ok: true, route: 'G107', stake: 'K3+200' });
    expect(parseStakeQuery('Ｇ１０７　Ｋ３＋２００')).toMatchObject({ ok: true, route: 'G107', stake: 'K3+200' });
  });

  it('keeps decimal metres', () => {
    expect(parseStakeQuery('S1 K0+012.5')).toMatchObject({ ok: true, stake: 'K0+012.5', chainageMeters: 12.5 });
  });

  it('uses the deployment’s own direction words', () => {
    expect(parseStakeQuery('G107 K3+200 上行', { plus: '下行', minus: '上行' })).toMatchObject({ ok: true, direction: -1 });
  });

  it.each([
    ['', 'EMPTY'],
    ['K3+200', 'ROUTE_MISSING'],
    ['107 K3+200', 'ROUTE_INVALID'],
    ['G107', 'STAKE_MISSING'],
    ['G107 K3+2000', 'STAKE_INVALID'],
    ['G107 3+200', 'STAKE_INVALID'],
    ['G107 K3+200 left', 'EXTRA_TEXT'],
  ])('rejects %j with %s', (text, code) => {
    expect(parseStakeQuery(text)).toMatchObject({ ok: false, code });
  });

  it('passes the domain parser’s message along for a bad stake', () => {
    const query = parseStakeQuery('G107 K3+2000');
    expect(!query.ok && query.detail).toContain('K3+2000');
  });
});
