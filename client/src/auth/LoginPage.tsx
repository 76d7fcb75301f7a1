import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/api_error';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { useI18n } from '../i18n/i18n';
import { authStrings } from './auth_strings.ts';
import { safeNextPath } from './login_redirect.ts';
import { logIn } from './session_store.ts';

export interface LoginPageProps {
  /** Called with the same-site path to return to (`?next=`, else /). */
  onLoggedIn: (nextPath: string) => void;
  /** Show the demo accounts hint (demo deployments). */
  showDemoHint?: boolean;
}

/** The login form; after success returns to the view that sent the user here (?next=). */
export function LoginPage({ onLoggedIn, showDemoHint = false }: LoginPageProps) {
  const { language } = useI18n();
  const text = authStrings(language);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [message, setMessage] = useState<string | null>(() =>
    new URLSearchParams(window.location.search).has('expired') ? text.sessionExpired : null,
  );

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSubmitting(true);
    setMessage(null);
    try {
      await logIn(username.trim(), password);
      onLoggedIn(safeNextPath(new URLSearchParams(window.location.search).get('next')));
    } catch (error) {
      if (error instanceof ApiError && error.code === 'ACCOUNT_LOCKED') {
        const seconds = Number((error.details as { retryAfterSeconds?: number } | null)?.retryAfterSeconds ?? 60);
        setMessage(text.locked(seconds));
      } else if (error instanceof ApiError && error.status > 0 && error.status < 500) {
        setMessage(text.invalidCredentials);
      } else {
        setMessage(text.networkError);
      }
      setPassword('');
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <main className="login-page">
      <div className="login-language">
        <LanguageSwitch />
      </div>
      <form className="login-card" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">{text.title}</h1>
        <label>
          <span>{text.username}</span>
          <input name="username" autoComplete="username" autoFocus required value={username} onChange={(event) => setUsername(event.target.value)} />
        </label>
        <label>
          <span>{text.password}</span>
          <input name="password" type="password" autoComplete="current-password" required value={password} onChange={(event) => setPassword(event.target.value)} />
        </label>
        {message && (
          <p className="login-message" role="alert">
            {message}
          </p>
        )}
        <button type="submit" className="login-submit" disabled={submitting}>
          {submitting ? text.submitting : text.submit}
        </button>
        {showDemoHint && <p className="login-hint">{text.demoHint}</p>}
      </form>
    </main>
  );
}
