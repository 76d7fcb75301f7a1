/**
 * Every error code the server can answer with has a message in BOTH client catalogues (issue 14:
 * English developer messages showed inside the Chinese UI). Codes are collected from the source:
 * the literal codes of every `new AppError(…)`, `badRequest/notFound/conflict(…)` and `errorBody(…)`
 * call (ternaries included), every `code: '…'` the domain's refusals carry, and `<ENTITY>_CHANGED`
 * for every workflow binding (the kernel builds that one from `entityCode`).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { messagesEn } from '../../../client/src/i18n/messages_en.ts';
import { messagesZhCn } from '../../../client/src/i18n/messages_zh_cn.ts';
import { DUTY_REFUSAL_CODES } from '../../../server/domain/duty_rules.ts';

function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function serverErrorCodes(): Set<string> {
  const codes = new Set<string>(DUTY_REFUSAL_CODES);
  for (const file of sourceFiles('server')) {
    const source = readFileSync(file, 'utf8');
    for (const call of source.matchAll(/(?:new AppError|badRequest|notFound|conflict|errorBody)\(/g)) {
      // The code is the first or second argument; 220 characters reach it even across line breaks.
      const window = source.slice(call.index, call.index + 220);
      for (const literal of window.matchAll(/'([A-Z][A-Z0-9_]{3,})'/g)) codes.add(literal[1]!);
    }
    for (const literal of source.matchAll(/\bcode: '([A-Z][A-Z0-9_]{3,})'/g)) codes.add(literal[1]!);
    for (const binding of source.matchAll(/entityCode: '([A-Z][A-Z0-9_]*)'/g)) codes.add(`${binding[1]}_CHANGED`);
  }
  return codes;
}

describe('error catalogue', () => {
  const codes = [...serverErrorCodes()].sort();

  it('finds the codes (the scan itself works)', () => {
    // A few codes known to be thrown in different ways: literal, multi-line, helper, kernel-built.
    expect(codes).toEqual(expect.arrayContaining(['VIOLATION_NOT_FOUND', 'REQUIREMENTS_MISSING', 'BULK_TRANSITION_FAILED', 'STAKE_OUT_OF_RANGE', 'CASE_CHANGED', 'UNAUTHENTICATED', 'INTERNAL', 'DUTY_SECOND_OFFICER_REQUIRED']));
    expect(codes.length).toBeGreaterThan(60);
  });

  it('has a zh-CN message for every server error code', () => {
    expect(codes.filter((code) => !(`v.error.${code}` in messagesZhCn))).toEqual([]);
  });

  it('has an English message for every server error code', () => {
    expect(codes.filter((code) => !(`v.error.${code}` in messagesEn))).toEqual([]);
  });

  it('has the client’s own codes', () => {
    for (const code of ['NETWORK_ERROR', 'BAD_RESPONSE']) {
      expect(messagesZhCn).toHaveProperty(`v.error.${code}`);
      expect(messagesEn).toHaveProperty(`v.error.${code}`);
    }
  });

  it('the Chinese messages are Chinese (no English developer text)', () => {
    const english = codes.filter((code) => /[A-Za-z]{4,}/.test((messagesZhCn as Record<string, string>)[`v.error.${code}`] ?? '') && !/PDF|GeoJSON|Shapefile|FlatGeobuf/.test((messagesZhCn as Record<string, string>)[`v.error.${code}`]!));
    expect(english).toEqual([]);
  });
});
