import { describe, expect, it } from 'vitest';
import { isSubmitShortcut } from './submit_shortcut';

describe('isSubmitShortcut', () => {
  const key = (overrides: Partial<{ key: string; ctrlKey: boolean; metaKey: boolean; isComposing: boolean }>) => ({ key: 'Enter', ctrlKey: false, metaKey: false, ...overrides });
  it('Enter alone does not submit (a new line)', () => expect(isSubmitShortcut(key({}))).toBe(false));
  it('Ctrl+Enter submits', () => expect(isSubmitShortcut(key({ ctrlKey: true }))).toBe(true));
  it('⌘+Enter submits', () => expect(isSubmitShortcut(key({ metaKey: true }))).toBe(true));
  it('not while an IME composes', () => expect(isSubmitShortcut(key({ ctrlKey: true, isComposing: true }))).toBe(false));
  it('other keys do not', () => expect(isSubmitShortcut(key({ key: 'a', ctrlKey: true }))).toBe(false));
});
