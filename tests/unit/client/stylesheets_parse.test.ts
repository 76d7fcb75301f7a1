import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import postcss from 'postcss';
import { describe, expect, it } from 'vitest';

/**
 * Every client stylesheet is well formed. Browsers close an unclosed block at the end of the file
 * without a word: a merge that dropped one `}` of a phone-only `@media` block moved every later
 * rule — MapLibre's own, bundled after ours — inside it, and the map pins lost their absolute
 * position on desktops (issue 14). PostCSS refuses what the browser silently swallows.
 */
const STYLES_DIR = path.resolve('client', 'src', 'styles');
const stylesheets = readdirSync(STYLES_DIR).filter((name) => name.endsWith('.css'));

describe('client stylesheets', () => {
  it('finds the stylesheets', () => {
    expect(stylesheets).toContain('app.css');
  });

  it.each(stylesheets)('%s has every block closed', (name) => {
    const file = path.join(STYLES_DIR, name);
    expect(() => postcss.parse(readFileSync(file, 'utf8'), { from: file })).not.toThrow();
  });

  it('rejects an unclosed block (the check itself can fail)', () => {
    expect(() => postcss.parse('@media (max-width: 719px) {\n  .a { color: red; }\n\n.b { color: blue; }\n')).toThrow(/Unclosed block/);
  });
});
