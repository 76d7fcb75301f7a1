import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';
import { passwordProblem } from '../domain/roles.ts';

/**
 * zxcvbn's score (0–4) a new password must reach: 3 is "safely unguessable" (about 10^8 guesses
 * and more). Ten spaces, `aaaaaaaaaa`, `1234567890` and `password123` score 0.
 */
export const MIN_PASSWORD_SCORE = 3;

let factory: ZxcvbnFactory | undefined;

/**
 * The domain's length and username rules, then zxcvbn-ts with its common-password and keyboard
 * dictionaries (server-side only: the dictionaries stay out of the client bundle). The username
 * is a user input too, so a password built on it is weak.
 */
export function passwordWeakness(password: string, username: string): string | null {
  const basic = passwordProblem(password, username);
  if (basic) return basic;
  factory ??= new ZxcvbnFactory({ dictionary: { ...dictionary }, graphs: adjacencyGraphs });
  const result = factory.check(password, [username]);
  if (result.score >= MIN_PASSWORD_SCORE) return null;
  const hint = result.feedback.warning ? ` (${result.feedback.warning})` : '';
  return `password is too easy to guess${hint}: use a longer passphrase of unrelated words, or mix words, digits and symbols`;
}
