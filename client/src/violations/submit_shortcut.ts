/**
 * Multi-line notes: Enter makes a new line (it submitted irreversible steps like 不予立案 and 结案
 * by accident); Ctrl+Enter (⌘+Enter on a Mac) submits. Never while an IME is composing.
 */
export function isSubmitShortcut(event: { key: string; ctrlKey: boolean; metaKey: boolean; isComposing?: boolean }): boolean {
  return event.key === 'Enter' && (event.ctrlKey || event.metaKey) && event.isComposing !== true;
}
