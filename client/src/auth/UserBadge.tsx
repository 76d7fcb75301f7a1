import { ROLE_LABELS } from '@domain/roles.ts';
import { useI18n } from '../i18n/i18n';
import { authStrings } from './auth_strings.ts';
import { PASSWORD_PATH } from './password_path';
import { logOut, useSession } from './session_store.ts';

/** Header piece: who is logged in, in which jurisdiction, and a sign-out button. */
export function UserBadge({ onLoggedOut }: { onLoggedOut: () => void }) {
  const session = useSession();
  const { language } = useI18n();
  const text = authStrings(language);
  if (session.status !== 'authenticated') return null;
  const { user } = session;
  const roleLabel = language === 'en' ? ROLE_LABELS[user.role].en : ROLE_LABELS[user.role].zh;
  return (
    <div className="user-badge" data-testid="user-badge">
      <div className="user-badge-text">
        <span className="user-badge-name" title={user.username}>
          {user.displayName ?? user.username}
        </span>
        <span className="user-badge-scope">
          {roleLabel} · {user.jurisdiction.name}
        </span>
      </div>
      <a className="user-badge-password" href={PASSWORD_PATH}>
        {text.changePassword}
      </a>
      <button
        type="button"
        className="user-badge-logout"
        onClick={async () => {
          await logOut();
          onLoggedOut();
        }}
      >
        {text.logout}
      </button>
    </div>
  );
}
