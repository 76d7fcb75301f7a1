import { useEffect } from 'react';
import { fetchConfig } from './api/endpoints';
import { useQuery } from './api/query_cache';
import { useI18n } from './i18n/i18n';
import { ReviewMap } from './pages/ReviewMap';
import { uiActions } from './state/store';

export function App() {
  const { language, t } = useI18n();
  const config = useQuery('config', () => fetchConfig());

  useEffect(() => {
    document.documentElement.lang = language;
    document.title = `${t('app.name')} ${t('app.nameLatin')} · ${t('app.section')}`;
  }, [language, t]);

  useEffect(() => {
    if (config.status === 'success') uiActions.setDirectionLabels(config.data.directionLabels);
  }, [config.status, config.data]);

  return <ReviewMap />;
}
