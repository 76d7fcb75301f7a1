/** Strings of the auth pieces, Simplified Chinese first (the lead may merge them into client/src/i18n). */
export type AuthLocale = 'zh-CN' | 'en';

export const AUTH_STRINGS = {
  'zh-CN': {
    title: '路域巡查平台 登录',
    username: '用户名',
    password: '密码',
    submit: '登录',
    submitting: '正在登录…',
    invalidCredentials: '用户名或密码错误',
    locked: (seconds: number) => `登录失败次数过多，请 ${Math.ceil(seconds / 60)} 分钟后再试`,
    sessionExpired: '登录已过期，请重新登录',
    networkError: '无法连接服务器，请稍后再试',
    logout: '退出登录',
    changePassword: '修改密码',
    currentPassword: '当前密码',
    newPassword: '新密码（至少 10 位，不能与用户名相同）',
    passwordChanged: '密码已修改，其他设备上的登录已失效',
    demoHint: '演示账号：admin / manager / officer / dispatcher / patrol / viewer，密码 luyu-demo',
  },
  en: {
    title: 'Luyu — sign in',
    username: 'Username',
    password: 'Password',
    submit: 'Sign in',
    submitting: 'Signing in…',
    invalidCredentials: 'Username or password is wrong',
    locked: (seconds: number) => `Too many failed attempts; try again in ${Math.ceil(seconds / 60)} min`,
    sessionExpired: 'Your session expired; please sign in again',
    networkError: 'Cannot reach the server; try again later',
    logout: 'Sign out',
    changePassword: 'Change password',
    currentPassword: 'Current password',
    newPassword: 'New password (at least 10 characters, not the username)',
    passwordChanged: 'Password changed; sessions on other devices were ended',
    demoHint: 'Demo accounts: admin / manager / officer / dispatcher / patrol / viewer, password luyu-demo',
  },
} as const;

export type AuthStrings = (typeof AUTH_STRINGS)[AuthLocale];

export function authStrings(locale: AuthLocale = 'zh-CN'): AuthStrings {
  return AUTH_STRINGS[locale];
}
