import { ROUTE_CODE_PATTERN } from '@domain/admin_class';
import { formatStake, parseStake } from '@domain/stake';
import type { Direction } from '../api/types';
import { DIRECTION_WORDS, type DirectionLabels } from '../i18n/direction_labels';

export type StakeQueryErrorCode = 'EMPTY' | 'ROUTE_MISSING' | 'ROUTE_INVALID' | 'STAKE_MISSING' | 'STAKE_INVALID' | 'EXTRA_TEXT';

export type StakeQuery =
  | { ok: true; route: string; stake: string; chainageMeters: number; direction: Direction }
  | {
      ok: false;
      code: StakeQueryErrorCode;
      /** Values for the message placeholders ({route}, {stake}, {text}). */
      params: Record<string, string>;
      /** The domain parser's own message, when the stake part was the problem. */
      detail?: string;
    };

const STAKE_START = /^K\d/i;
const ROUTE_START = /^[A-Z]\d/i;

/**
 * Reads what an officer types in the stake box: `G107 K3+200`, optionally followed by a
 * direction (`+`, `-`, `−`, `上行`, `下行`, `up`, `down`). Spaces between route and stake are
 * optional (`G107K3+200`), case is ignored, full-width characters are folded. A province's own
 * direction words (from the server config) take precedence over the default 上行/下行.
 */
export function parseStakeQuery(input: string, configuredLabels: DirectionLabels | null = null): StakeQuery {
  const text = normalize(input);
  if (!text) return { ok: false, code: 'EMPTY', params: {} };

  // Route letters (G S X Y C Z) never include K, so a leading K…+ is a stake with no route.
  if (/^K\d+\+/i.test(text)) return { ok: false, code: 'ROUTE_MISSING', params: {} };

  const match = /^([A-Z]\d{1,4})?\s*(K\d{1,4}\+\d{3}(?:\.\d{1,3})?(?![\d.])|K\S*)?\s*(.*)$/i.exec(text);
  const routeText = match?.[1];
  const stakeText = match?.[2];
  const rest = (match?.[3] ?? '').trim();

  if (!routeText) {
    if (STAKE_START.test(text)) return { ok: false, code: 'ROUTE_MISSING', params: {} };
    const firstWord = text.split(/\s+/)[0] ?? text;
    return { ok: false, code: 'ROUTE_INVALID', params: { route: firstWord } };
  }
  const route = routeText.toUpperCase();
  if (!ROUTE_CODE_PATTERN.test(route)) return { ok: false, code: 'ROUTE_INVALID', params: { route: routeText } };

  if (!stakeText) {
    if (rest && !ROUTE_START.test(rest) && /\d/.test(rest)) {
      const word = rest.split(/\s+/)[0] ?? rest;
      return { ok: false, code: 'STAKE_INVALID', params: { stake: word, route } };
    }
    return { ok: false, code: 'STAKE_MISSING', params: { route } };
  }
  const parsed = parseStake(stakeText.toUpperCase());
  if (!parsed.ok) return { ok: false, code: 'STAKE_INVALID', params: { stake: stakeText, route }, detail: parsed.message };

  let direction: Direction = 1;
  if (rest) {
    const words: Record<string, Direction> = { ...DIRECTION_WORDS };
    if (configuredLabels) {
      words[configuredLabels.plus.toLowerCase()] = 1;
      words[configuredLabels.minus.toLowerCase()] = -1;
    }
    const word = words[rest.toLowerCase()];
    if (word === undefined) return { ok: false, code: 'EXTRA_TEXT', params: { text: rest } };
    direction = word;
  }
  const fractionDigits = stakeText.split('.')[1]?.length ?? 0;
  return { ok: true, route, stake: formatStake(parsed.chainageMeters, fractionDigits), chainageMeters: parsed.chainageMeters, direction };
}

/** Folds full-width ASCII (Ｇ１０７　Ｋ３＋２００, typed with a Chinese IME) and collapses spaces. */
function normalize(input: string): string {
  return input
    .replace(/[\uFF01-\uFF5E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
