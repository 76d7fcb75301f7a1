/**
 * Chainage (桩号) at the edges: the system stores metres, people read and type `K12+345`.
 * Pure: shared with the client through the `@domain` alias.
 */

export type StakeParseResult = { ok: true; chainageMeters: number } | { ok: false; message: string };

export const STAKE_FORMAT_HINT = 'K<kilometres>+<three-digit metres 000–999>, e.g. K3+200 or K3+200.5';

const STAKE_PATTERN = /^K(\d{1,4})\+(\d{3})(\.\d{1,3})?$/i;

/** Formats chainage metres as `K3+200` (whole metres) or with `fractionDigits` decimals. */
export function formatStake(chainageMeters: number, fractionDigits = 0): string {
  if (!Number.isFinite(chainageMeters) || chainageMeters < 0) {
    throw new RangeError(`chainage must be a finite number of metres ≥ 0, got ${chainageMeters}`);
  }
  const scale = 10 ** fractionDigits;
  const rounded = Math.round(chainageMeters * scale) / scale;
  const kilometres = Math.floor(rounded / 1000);
  const metres = rounded - kilometres * 1000;
  const [whole = '0', fraction] = metres.toFixed(fractionDigits).split('.');
  return `K${kilometres}+${whole.padStart(3, '0')}${fraction ? `.${fraction}` : ''}`;
}

/**
 * Parses `K3+200` strictly: "K3+1200", "K-1+000" and "3+200x" are errors, because a mistyped stake
 * that silently becomes another place sends a crew to the wrong spot.
 */
export function parseStake(text: string): StakeParseResult {
  const trimmed = text.trim();
  const match = STAKE_PATTERN.exec(trimmed);
  if (!match) {
    return { ok: false, message: `"${text}" is not a stake; write ${STAKE_FORMAT_HINT}` };
  }
  const kilometres = Number(match[1]);
  const metres = Number(`${match[2]}${match[3] ?? ''}`);
  return { ok: true, chainageMeters: kilometres * 1000 + metres };
}
