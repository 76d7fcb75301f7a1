import { describe, expect, it } from 'vitest';
import { formatPlurals, translate } from '../../../client/src/i18n/i18n.ts';
import { messagesEn } from '../../../client/src/i18n/messages_en.ts';

describe('plural-aware messages (Intl.PluralRules)', () => {
  it('says "1 day left", not "1 days left"', () => {
    expect(translate('en', 'v.deadline.remaining', { days: 1 })).toBe('1 day left');
    expect(translate('en', 'v.deadline.remaining', { days: 2 })).toBe('2 days left');
    expect(translate('en', 'v.deadline.overdue', { days: 1 })).toBe('1 day overdue');
  });

  it('keeps Chinese unchanged (no plural forms)', () => {
    expect(translate('zh-CN', 'v.deadline.remaining', { days: 1 })).toBe(translate('zh-CN', 'v.deadline.remaining', { days: 2 }).replace('2', '1'));
  });

  it('prefers an exact =N branch', () => {
    expect(translate('en', 'patrol.lastPatrol', { days: 0 })).toBe('patrolled today');
    expect(translate('en', 'patrol.lastPatrol', { days: 1 })).toBe('patrolled 1 day ago');
  });

  it('no English message keeps "{n} …s" after a count of 1', () => {
    // Every English message rendered with every numeric placeholder = 1 must not read "1 days".
    const wrong = Object.entries(messagesEn)
      .map(([key, template]) => {
        const names = [...template.matchAll(/\{(\w+)/g)].map((match) => match[1]!);
        const params = Object.fromEntries(names.map((name) => [name, 1]));
        return [key, formatPlurals('en', template, params).replace(/\{(\w+)\}/g, '1')] as const;
      })
      .filter(([, text]) => /\b1 (days|rows|detections|segments|corners|cases|photos|members)\b/.test(text));
    expect(wrong).toEqual([]);
  });
});
