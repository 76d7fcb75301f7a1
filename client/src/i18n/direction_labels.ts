import type { Direction } from '../api/types';
import type { Language } from './languages';

export interface DirectionLabels {
  plus: string;
  minus: string;
}

/**
 * Chinese words for the two directions. Provinces differ on which one is 上行, so the server's
 * config (`directionLabels`) overrides these; + (chainage increasing) is 上行 by the most
 * common convention. English names the sign, which is right under every convention.
 */
export const DEFAULT_DIRECTION_LABELS: DirectionLabels = { plus: '上行', minus: '下行' };
const ENGLISH_DIRECTION_LABELS: DirectionLabels = { plus: '+ (increasing)', minus: '− (decreasing)' };

export function directionLabel(direction: Direction, language: Language, configured: DirectionLabels | null = null): string {
  const labels = language === 'en' ? ENGLISH_DIRECTION_LABELS : (configured ?? DEFAULT_DIRECTION_LABELS);
  return direction === 1 ? labels.plus : labels.minus;
}

/** Direction words users may type after a stake: the sign, or the default Chinese words. */
export const DIRECTION_WORDS: Record<string, Direction> = {
  '+': 1,
  '-': -1,
  '−': -1,
  '上行': 1,
  '下行': -1,
  up: 1,
  down: -1,
};
