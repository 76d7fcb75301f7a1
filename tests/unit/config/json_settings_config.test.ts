import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../server/config.ts';

describe('JSON settings (LUYU_ZONE_WIDTHS, LUYU_PATROL_SPEEDS_KMH)', () => {
  it('are parsed, then checked by their own schema', () => {
    const config = readConfig({ LUYU_ZONE_WIDTHS: '{"building_control":{"national":25}}', LUYU_PATROL_SPEEDS_KMH: '{"county":35}' });
    expect(config.LUYU_ZONE_WIDTHS).toEqual({ building_control: { national: 25 } });
    expect(config.LUYU_PATROL_SPEEDS_KMH.county).toBe(35);
    expect(readConfig({}).LUYU_ZONE_WIDTHS).toEqual({});
    expect(() => readConfig({ LUYU_ZONE_WIDTHS: '{"no_such_zone":25}' })).toThrow(/LUYU_ZONE_WIDTHS/);
  });

  it('refuse text that is not JSON, naming the setting and an example of its own', () => {
    expect(() => readConfig({ LUYU_ZONE_WIDTHS: '{building_control: 25}' })).toThrow('LUYU_ZONE_WIDTHS: must be JSON, e.g. {"building_control":{"national":25}}');
    expect(() => readConfig({ LUYU_PATROL_SPEEDS_KMH: 'county=35' })).toThrow('LUYU_PATROL_SPEEDS_KMH: must be JSON, e.g. {"county":35,"connector":25}');
  });
});
