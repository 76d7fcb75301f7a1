import { useI18n } from '../i18n/i18n';
import { LANGUAGES, type Language } from '../i18n/languages';
import { uiActions } from '../state/store';

const LABEL_KEYS = { 'zh-CN': 'language.zh', en: 'language.en' } as const satisfies Record<Language, string>;
const SHORT_LABELS: Record<Language, string> = { 'zh-CN': '中', en: 'EN' };

export function LanguageSwitch() {
  const { language, t } = useI18n();
  return (
    <div className="language-switch" role="group" aria-label={t('language.label')}>
      {LANGUAGES.map((option) => (
        <button
          key={option}
          type="button"
          lang={option}
          className="language-option"
          aria-pressed={language === option}
          title={t(LABEL_KEYS[option])}
          onClick={() => uiActions.setLanguage(option)}
        >
          {SHORT_LABELS[option]}
        </button>
      ))}
    </div>
  );
}
