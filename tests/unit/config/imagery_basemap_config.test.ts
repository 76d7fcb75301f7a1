import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../server/config.ts';

const ORIGINS = 'https://t0.tianditu.gov.cn';
const TEMPLATE = 'https://t0.tianditu.gov.cn/img_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=img&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=KEY';

describe('LUYU_IMAGERY_TEMPLATE (the lead map imagery basemap)', () => {
  it('is taken when it is an https XYZ template on an allowed imagery host', () => {
    const config = readConfig({ LUYU_IMAGERY_ORIGINS: ORIGINS, LUYU_IMAGERY_TEMPLATE: TEMPLATE, LUYU_IMAGERY_ATTRIBUTION: '天地图' });
    expect(config.LUYU_IMAGERY_TEMPLATE).toBe(TEMPLATE);
    expect(config.LUYU_IMAGERY_ATTRIBUTION).toBe('天地图');
    expect(readConfig({}).LUYU_IMAGERY_TEMPLATE).toBeUndefined();
  });

  it('takes a WMTS template as the XYZ one it stands for: {TileMatrix} → {z}, {TileRow} → {y}, {TileCol} → {x}', () => {
    // Tianditu's KVP form as its documentation prints it (written out here, not built from TEMPLATE).
    const kvp = 'https://t0.tianditu.gov.cn/img_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=img&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={TileMatrix}&TILEROW={TileRow}&TILECOL={TileCol}&tk=KEY';
    expect(readConfig({ LUYU_IMAGERY_ORIGINS: ORIGINS, LUYU_IMAGERY_TEMPLATE: kvp }).LUYU_IMAGERY_TEMPLATE).toBe(TEMPLATE);
    // A RESTful WMTS template; placeholders in any letter case.
    const rest = 'https://t0.tianditu.gov.cn/img_w/wmts/1.0.0/img/default/w/{tilematrix}/{TILEROW}/{TileCol}.jpg';
    expect(readConfig({ LUYU_IMAGERY_ORIGINS: ORIGINS, LUYU_IMAGERY_TEMPLATE: rest }).LUYU_IMAGERY_TEMPLATE).toBe('https://t0.tianditu.gov.cn/img_w/wmts/1.0.0/img/default/w/{z}/{y}/{x}.jpg');
    // A WMTS template missing its column is refused like an XYZ one missing {x}.
    expect(() => readConfig({ LUYU_IMAGERY_ORIGINS: ORIGINS, LUYU_IMAGERY_TEMPLATE: kvp.replace('&TILECOL={TileCol}', '') })).toThrow(/\{z\}, \{x\} and \{y\}/);
  });

  it('refuses a host the Content-Security-Policy would block, a missing {x}, plain http and {s} subdomains', () => {
    expect(() => readConfig({ LUYU_IMAGERY_TEMPLATE: TEMPLATE })).toThrow(/LUYU_IMAGERY_TEMPLATE: .*LUYU_IMAGERY_ORIGINS/);
    expect(() => readConfig({ LUYU_IMAGERY_ORIGINS: 'https://other.example.cn', LUYU_IMAGERY_TEMPLATE: TEMPLATE })).toThrow(/allowed imagery host/);
    expect(() => readConfig({ LUYU_IMAGERY_ORIGINS: ORIGINS, LUYU_IMAGERY_TEMPLATE: 'https://t0.tianditu.gov.cn/{z}/{y}.png' })).toThrow(/\{z\}, \{x\} and \{y\}/);
    expect(() => readConfig({ LUYU_IMAGERY_ORIGINS: 'https://t0.tianditu.gov.cn', LUYU_IMAGERY_TEMPLATE: 'http://t0.tianditu.gov.cn/{z}/{x}/{y}.png' })).toThrow(/https/);
    expect(() => readConfig({ LUYU_IMAGERY_ORIGINS: ORIGINS, LUYU_IMAGERY_TEMPLATE: 'https://t0.tianditu.gov.cn/{s}/{z}/{x}/{y}.png' })).toThrow(/\{s\}/);
  });
});
