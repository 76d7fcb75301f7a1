import { useCallback } from 'react';
import type { Direction } from '../api/types';
import { useUiState } from '../state/store';
import { directionLabel } from './direction_labels';
import type { Language } from './languages';
import { messagesEn } from './messages_en';
import { messagesZhCn, type MessageKey, type Messages } from './messages_zh_cn';

const CATALOGUES: Record<Language, Messages> = { 'zh-CN': messagesZhCn, en: messagesEn };

export type TranslateParams = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: TranslateParams) => string;

/** Looks a message up and fills `{name}` placeholders. */
export function translate(language: Language, key: MessageKey, params?: TranslateParams): string {
  const template = CATALOGUES[language][key] ?? messagesZhCn[key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (match, name: string) => (name in params ? String(params[name]) : match));
}

export function hasMessage(key: string): key is MessageKey {
  return key in messagesZhCn;
}

/** Number formatting in the UI language (grouping, fixed decimals). */
export function formatNumber(language: Language, value: number, fractionDigits = 0): string {
  return new Intl.NumberFormat(language, {
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits,
  }).format(value);
}

export function useI18n(): { language: Language; t: Translate; direction: (direction: Direction) => string } {
  const language = useUiState((state) => state.language);
  const configured = useUiState((state) => state.directionLabels);
  const t = useCallback<Translate>((key, params) => translate(language, key, params), [language]);
  const direction = useCallback((value: Direction) => directionLabel(value, language, configured), [language, configured]);
  return { language, t, direction };
}

export type { MessageKey };
