import type { KeyboardEvent as ReactKeyboardEvent } from 'react';

/** Enter anywhere in a review dialog but a textarea (or a button, which acts itself) submits its form. */
export function submitOnEnter(event: ReactKeyboardEvent<HTMLFormElement>): void {
  if (event.key !== 'Enter' || event.shiftKey || (event.target as HTMLElement).tagName === 'TEXTAREA' || (event.target as HTMLElement).tagName === 'BUTTON') return;
  event.preventDefault();
  event.currentTarget.requestSubmit();
}
