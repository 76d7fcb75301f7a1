import { describe, expect, it } from 'vitest';
import { isPrivateHost, tileTemplateProblem } from '../../../server/detections/tile_template.ts';

const ALLOWED = ['https://tiles.example.cn'];

describe('review imagery tile templates', () => {
  it('accepts an https XYZ template on an allowed host', () => {
    expect(tileTemplateProblem('https://tiles.example.cn/gf2/2026-03/{z}/{x}/{y}.png', ALLOWED)).toBeNull();
  });

  it.each([
    ['http://tiles.example.cn/{z}/{x}/{y}.png', /https/],
    ['https://other.example.com/{z}/{x}/{y}.png', /allowed imagery host/],
    ['https://tiles.example.cn/{z}/{x}.png', /\{y\}/],
    ['https://192.168.1.20/{z}/{x}/{y}.png', /private/],
    ['https://127.0.0.1/{z}/{x}/{y}.png', /private/],
    ['https://[::1]/{z}/{x}/{y}.png', /private/],
    ['https://tiles.localhost/{z}/{x}/{y}.png', /private/],
    ['https://user:secret@tiles.example.cn/{z}/{x}/{y}.png', /password/],
  ])('refuses %s', (template, problem) => {
    expect(tileTemplateProblem(template, ALLOWED)).toMatch(problem);
  });

  it('refuses every template when no imagery host is configured, saying which variable allows one', () => {
    expect(tileTemplateProblem('https://tiles.example.cn/{z}/{x}/{y}.png', [])).toMatch(/LUYU_IMAGERY_ORIGINS/);
  });

  it.each([
    ['10.1.2.3', true],
    ['172.20.0.1', true],
    ['172.32.0.1', false],
    ['100.64.0.1', true],
    ['169.254.169.254', true],
    ['fd00::1', true],
    ['fe80::1', true],
    ['::ffff:192.168.0.1', true],
    ['8.8.8.8', false],
    ['tiles.example.cn', false],
  ])('%s is private: %s', (host, expected) => {
    expect(isPrivateHost(host)).toBe(expected);
  });
});
