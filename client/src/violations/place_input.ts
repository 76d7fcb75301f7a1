/**
 * Typed places for a new finding: "113.75, 34.69" (lon, lat) or "G107 K3+200 右侧 25 m"
 * (route, stake, side, offset; resolved by GET /lrs/offset-point). Stakes go through parseStake.
 */
import { formatStake, parseStake } from '@domain/stake';
import type { Side } from '../api/types';

export interface StakePlace {
  route: string;
  stake: string;
  side: Side;
  offsetMeters: number;
}

const SIDE_WORDS: Record<string, Side> = { 左: 'left', 左侧: 'left', left: 'left', l: 'left', 右: 'right', 右侧: 'right', right: 'right', r: 'right' };

/** "G107 K3+200 右侧 25 m" → place. The side is required: a guessed side is a wrong place. */
export function parseStakePlace(text: string): StakePlace | null {
  const match = /^\s*([GSXYCZ]\d{1,4})\s*(K\d{1,4}\+\d{3}(?:\.\d{1,3})?)\s*(左侧|右侧|左|右|left|right|l|r)\s*(\d+(?:\.\d+)?)\s*(?:m|米)?\s*$/i.exec(text);
  if (!match) return null;
  const stake = parseStake(match[2]!);
  if (!stake.ok) return null;
  const side = SIDE_WORDS[match[3]!.toLowerCase()];
  if (!side) return null;
  const offsetMeters = Number(match[4]);
  if (!Number.isFinite(offsetMeters) || offsetMeters > 5000) return null;
  return { route: match[1]!.toUpperCase(), stake: formatStake(stake.chainageMeters, match[2]!.includes('.') ? 1 : 0), side, offsetMeters };
}

/** "113.75, 34.69" or "113.75 34.69" → [lon, lat] inside China's rough extent; null otherwise. */
export function parseLonLat(text: string): [number, number] | null {
  const match = /^\s*(-?\d+(?:\.\d+)?)\s*[,，\s]\s*(-?\d+(?:\.\d+)?)\s*$/.exec(text);
  if (!match) return null;
  const lon = Number(match[1]);
  const lat = Number(match[2]);
  if (!(lon >= 73 && lon <= 136 && lat >= 3 && lat <= 54)) return null;
  return [lon, lat];
}
