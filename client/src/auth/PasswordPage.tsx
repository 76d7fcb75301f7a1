import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/api_error';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { errorText } from '../i18n/error_text';
import { useI18n } from '../i18n/i18n';
import { MAP_PATH } from '../state/navigation';
import { changePassword } from './session_store.ts';

export { PASSWORD_PATH } from './password_path';

/**
 * Change one's own password (POST /api/v1/auth/password). The server checks strength and ends the
 * user's other sessions; its refusal is shown from the error catalogue in the UI language.
 */
export function PasswordPage() {
  const { language, t } = useI18n();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [state, setState] = useState<{ kind: 'idle' | 'saving' | 'done' } | { kind: 'error'; message: string; detail?: string }>({ kind: 'idle' });

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (next !== repeat) {
      setState({ kind: 'error', message: t('account.password.mismatch') });
      return;
    }
    setState({ kind: 'saving' });
    try {
      await changePassword(current, next);
      setCurrent('');
      setNext('');
      setRepeat('');
      setState({ kind: 'done' });
    } catch (error) {
      // The strength rule's own sentence is specific (length, username): shown in English only.
      const detail = error instanceof ApiError && error.code === 'PASSWORD_TOO_WEAK' && language === 'en' ? error.message : undefined;
      setState({ kind: 'error', message: errorText(error, language), detail });
    }
  }

  return (
    <main className="login-page">
      <div className="login-language">
        <LanguageSwitch />
      </div>
      <form className="login-card" onSubmit={submit} aria-labelledby="password-title" data-testid="password-form">
        <h1 id="password-title">{t('account.password.title')}</h1>
        <label>
          <span>{t('account.password.current')}</span>
          <input type="password" name="currentPassword" autoComplete="current-password" required value={current} onChange={(event) => setCurrent(event.target.value)} />
        </label>
        <label>
          <span>{t('account.password.new')}</span>
          <input type="password" name="newPassword" autoComplete="new-password" required value={next} onChange={(event) => setNext(event.target.value)} aria-describedby="password-hint" />
        </label>
        <label>
          <span>{t('account.password.repeat')}</span>
          <input type="password" name="repeatPassword" autoComplete="new-password" required value={repeat} onChange={(event) => setRepeat(event.target.value)} />
        </label>
        <p className="login-hint" id="password-hint">{t('account.password.hint')}</p>
        {state.kind === 'error' && (
          <p className="login-message" role="alert">
            {state.message}
            {state.detail ? `: ${state.detail}` : ''}
          </p>
        )}
        {state.kind === 'done' && (
          <p className="login-message is-success" role="status">
            {t('account.password.done')}
          </p>
        )}
        <button type="submit" disabled={state.kind === 'saving'}>
          {t('account.password.submit')}
        </button>
        <a href={MAP_PATH}>{t('account.password.back')}</a>
      </form>
    </main>
  );
}
