/** Where a signed-in user changes their password (PasswordPage); its own module so links need not load the page. */
export const PASSWORD_PATH = '/account/password';
