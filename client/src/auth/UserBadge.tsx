import { ROLE_LABELS } from '@domain/roles.ts';
import { authStrings, type AuthLocale } from './auth_strings.ts';
import { LOGIN_PATH } from './fetch_json.ts';
import { logOut, useSession } from './session_store.ts';

/** Header piece: who is logged in, in which jurisdiction, and a sign-out button. */
export function UserBadge({ locale = 'zh-CN', onLoggedOut }: { locale?: AuthLocale; onLoggedOut?: () => void }) {
  const session = useSession();
  const text = authStrings(locale);
  if (session.status !== 'authenticated') return null;
  const { user } = session;
  const roleLabel = locale === 'en' ? ROLE_LABELS[user.role].en : ROLE_LABELS[user.role].zh;
  return (
    <div className="user-badge" style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
      <span title={user.username}>{user.displayName ?? user.username}</span>
      <span style={{ color: '#667085' }}>
        {roleLabel} · {user.jurisdiction.name}
      </span>
      <button
        type="button"
        onClick={async () => {
          await logOut();
          if (onLoggedOut) onLoggedOut();
          else window.location.assign(LOGIN_PATH);
        }}
      >
        {text.logout}
      </button>
    </div>
  );
}
