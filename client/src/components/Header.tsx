import { UserBadge } from '../auth/UserBadge';
import { useI18n } from '../i18n/i18n';
import { LanguageSwitch } from './LanguageSwitch';
import { StakeSearch } from './StakeSearch';

export function Header({ onLoggedOut }: { onLoggedOut: () => void }) {
  const { t } = useI18n();
  return (
    <header className="app-header">
      <div className="brand">
        <svg className="brand-mark" viewBox="0 0 64 64" aria-hidden="true" focusable="false">
          <rect width="64" height="64" rx="14" fill="#1d5c47" />
          <path d="M22 56 L29 8 M42 56 L35 8" stroke="#f1f3f0" strokeWidth="5" strokeLinecap="round" />
          <path d="M32 14v8M32 30v8M32 46v6" stroke="#f5b83d" strokeWidth="3.5" strokeLinecap="round" />
        </svg>
        <div className="brand-text">
          <span className="brand-name" lang="zh-CN">
            {t('app.name')}
          </span>
          <span className="brand-latin" lang="en">
            {t('app.nameLatin')}
          </span>
        </div>
        <span className="brand-section">{t('app.section')}</span>
      </div>
      <StakeSearch />
      <div className="header-end">
        <LanguageSwitch />
        <UserBadge onLoggedOut={onLoggedOut} />
      </div>
    </header>
  );
}
