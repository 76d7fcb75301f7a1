/**
 * An error as the user reads it, in the UI language: the catalogued message of its code
 * (error_messages.ts), never the server's English developer message inside the Chinese UI.
 * English may show the server's message for an uncatalogued code (it is English and specific).
 */
import { ApiError } from '../api/api_error';
import { hasMessage, translate } from './i18n';
import type { Language } from './languages';

export function errorText(error: unknown, language: Language): string {
  if (error instanceof ApiError) {
    const key = `v.error.${error.code}`;
    if (hasMessage(key)) return translate(language, key);
    if (/^HTTP_\d+$/.test(error.code)) return translate(language, 'v.error.HTTP_ERROR');
    return language === 'en' ? error.message : translate(language, 'v.error.generic', { message: error.code });
  }
  if (language === 'en' && error instanceof Error) return error.message;
  return translate(language, 'v.error.generic', { message: error instanceof Error ? error.name : String(error) });
}
