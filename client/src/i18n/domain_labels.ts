import { ADMIN_CLASS_LABELS, type AdminClass } from '@domain/admin_class';
import { ZONE_LABELS, type ZoneKind } from '@domain/zones';
import type { Language } from './languages';

/** Zone and class names come from server/domain so the law's terms have one spelling. */
export function zoneName(kind: ZoneKind, language: Language): string {
  const label = ZONE_LABELS[kind];
  return label ? label[language === 'en' ? 'en' : 'zh'] : kind;
}

export function adminClassName(adminClass: AdminClass, language: Language): string {
  const label = ADMIN_CLASS_LABELS[adminClass];
  return label ? label[language === 'en' ? 'en' : 'zh'] : adminClass;
}

/** A `{zh, en}` label from server/domain in the UI language. */
export function label(value: { zh: string; en: string } | undefined, language: Language, fallback = ''): string {
  return value ? value[language === 'en' ? 'en' : 'zh'] : fallback;
}
