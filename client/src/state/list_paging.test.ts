import { describe, expect, it } from 'vitest';
import { cursorOfLink, OFFSET_PAGES, pageStart, rememberNextCursor, type PageCursors } from './list_paging';

const link = (cursor: string) => `/api/v1/violations?status=closed&limit=50&cursor=${cursor}`;

describe('list paging: offset for early pages, links.next beyond', () => {
  it('reads the cursor out of a relative links.next', () => {
    expect(cursorOfLink(link('eyJ2IjoxfQ'))).toBe('eyJ2IjoxfQ');
    expect(cursorOfLink(undefined)).toBeUndefined();
    expect(cursorOfLink('/api/v1/violations?limit=50')).toBeUndefined();
  });

  it('fetches the offset pages by offset even when a cursor was given for them', () => {
    const cursors: PageCursors = new Map();
    for (let page = 1; page < OFFSET_PAGES; page += 1) rememberNextCursor(cursors, 'q', page, { next: link(`c${page}`) });
    for (let page = 1; page <= OFFSET_PAGES; page += 1) expect(pageStart(cursors, 'q', page, 50)).toEqual({ offset: (page - 1) * 50 });
  });

  it('follows links.next of the previous page past the offset pages, page after page', () => {
    const cursors: PageCursors = new Map();
    rememberNextCursor(cursors, 'q', OFFSET_PAGES, { next: link('after5') });
    expect(pageStart(cursors, 'q', OFFSET_PAGES + 1, 50)).toEqual({ cursor: 'after5' });
    rememberNextCursor(cursors, 'q', OFFSET_PAGES + 1, { next: link('after6') });
    expect(pageStart(cursors, 'q', OFFSET_PAGES + 2, 50)).toEqual({ cursor: 'after6' });
    // Back one page: its cursor is still known.
    expect(pageStart(cursors, 'q', OFFSET_PAGES + 1, 50)).toEqual({ cursor: 'after5' });
  });

  it('falls back to the offset without a cursor for that page of that query', () => {
    const cursors: PageCursors = new Map();
    rememberNextCursor(cursors, 'q', OFFSET_PAGES, { next: link('after5') });
    expect(pageStart(cursors, 'other filters', OFFSET_PAGES + 1, 50)).toEqual({ offset: OFFSET_PAGES * 50 });
    expect(pageStart(cursors, 'q', OFFSET_PAGES + 3, 20)).toEqual({ offset: (OFFSET_PAGES + 2) * 20 });
    rememberNextCursor(cursors, 'q', OFFSET_PAGES + 1, {});
    expect(pageStart(cursors, 'q', OFFSET_PAGES + 2, 50)).toEqual({ offset: (OFFSET_PAGES + 1) * 50 });
  });
});
