/** Times and dates as officers read them: always Asia/Shanghai, whatever the device's zone. */
export const CHINA_TIME_ZONE = 'Asia/Shanghai';

export function formatDateTime(iso: string | null | undefined, language: string): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: CHINA_TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(date);
}

/** `YYYY-MM-DD` of an instant in Asia/Shanghai (for date inputs and the ledger). */
export function chinaDate(date: Date | string | null | undefined): string {
  if (!date) return '';
  const value = typeof date === 'string' ? new Date(date) : date;
  if (Number.isNaN(value.getTime())) return '';
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: CHINA_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(value);
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** A date picked in a form (China calendar day) → the end of that day in Asia/Shanghai, ISO with offset. */
export function endOfChinaDay(day: string): string {
  return `${day}T23:59:59+08:00`;
}
