import { useState, type FormEvent } from 'react';
import { ROLE_LABELS } from '@domain/roles.ts';
import { authStrings, type AuthLocale } from './auth_strings.ts';
import { ApiError, safeNextPath } from './fetch_json.ts';
import { logIn } from './session_store.ts';

export interface LoginPageProps {
  locale?: AuthLocale;
  /** Where to go after login; default: `?next=` of the URL (same-site paths only), else /. */
  onLoggedIn?: (nextPath: string) => void;
  /** Show the demo accounts hint (demo deployments). */
  showDemoHint?: boolean;
}

/** The login form; after success returns to the view that sent the user here (?next=). */
export function LoginPage({ locale = 'zh-CN', onLoggedIn, showDemoHint = false }: LoginPageProps) {
  const text = authStrings(locale);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [message, setMessage] = useState<string | null>(() =>
    new URLSearchParams(window.location.search).has('next') ? text.sessionExpired : null,
  );

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSubmitting(true);
    setMessage(null);
    try {
      await logIn(username.trim(), password);
      const nextPath = safeNextPath(new URLSearchParams(window.location.search).get('next'));
      if (onLoggedIn) onLoggedIn(nextPath);
      else window.location.assign(nextPath);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'ACCOUNT_LOCKED') {
        const seconds = Number((error.details as { retryAfterSeconds?: number } | null)?.retryAfterSeconds ?? 60);
        setMessage(text.locked(seconds));
      } else if (error instanceof ApiError && error.status < 500) {
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
    <main className="login-page" style={{ maxWidth: 360, margin: '10vh auto', padding: 24, fontFamily: 'inherit' }}>
      <h1 style={{ fontSize: 22 }}>{text.title}</h1>
      <form onSubmit={submit} style={{ display: 'grid', gap: 12 }}>
        <label style={{ display: 'grid', gap: 4 }}>
          {text.username}
          <input name="username" autoComplete="username" required value={username} onChange={(event) => setUsername(event.target.value)} />
        </label>
        <label style={{ display: 'grid', gap: 4 }}>
          {text.password}
          <input name="password" type="password" autoComplete="current-password" required value={password} onChange={(event) => setPassword(event.target.value)} />
        </label>
        {message && (
          <p role="alert" style={{ color: '#b42318', margin: 0 }}>
            {message}
          </p>
        )}
        <button type="submit" disabled={submitting}>
          {submitting ? text.submitting : text.submit}
        </button>
      </form>
      {showDemoHint && (
        <p style={{ color: '#667085', fontSize: 13 }}>
          {text.demoHint} ({Object.values(ROLE_LABELS).map((label) => (locale === 'en' ? label.en : label.zh)).join(' · ')})
        </p>
      )}
    </main>
  );
}
