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

const PLURAL_BLOCK = /\{(\w+), plural, ((?:[a-z=0-9]+ \{[^{}]*\}\s*)+)\}/g;
const PLURAL_BRANCH = /([a-z=0-9]+) \{([^{}]*)\}/g;

/**
 * `{days, plural, one {# day left} other {# days left}}` (the ICU subset the catalogues use): the
 * branch Intl.PluralRules picks for the language, `=N` exact matches first, `#` the number.
 */
export function formatPlurals(language: Language, template: string, params: TranslateParams): string {
  return template.replace(PLURAL_BLOCK, (match, name: string, branchesText: string) => {
    if (!(name in params)) return match;
    const value = Number(params[name]);
    const branches = new Map([...branchesText.matchAll(PLURAL_BRANCH)].map((branch) => [branch[1]!, branch[2]!]));
    const chosen = branches.get(`=${value}`) ?? branches.get(new Intl.PluralRules(language).select(value)) ?? branches.get('other') ?? '';
    return chosen.replace(/#/g, String(params[name]));
  });
}

/** Looks a message up, resolves plural blocks and fills `{name}` placeholders. */
export function translate(language: Language, key: MessageKey, params?: TranslateParams): string {
  const template = CATALOGUES[language][key] ?? messagesZhCn[key] ?? key;
  if (!params) return template;
  return formatPlurals(language, template, params).replace(/\{(\w+)\}/g, (match, name: string) => (name in params ? String(params[name]) : match));
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
