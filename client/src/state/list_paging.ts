/**
 * Where a page of a big list starts: early pages by offset (so the pager can jump back to them),
 * later pages by the cursor the server gave in the previous page's `links.next`, which costs what
 * page 1 costs at any depth (docs/list_paging.md). Cursors are remembered per list query (filters,
 * sort, page size) and page number; a later page reached without one (a reload, a pasted link)
 * falls back to its offset.
 */
import { useRef } from 'react';

/** Pages 1…OFFSET_PAGES are always fetched by offset; beyond, by cursor when one is known. */
export const OFFSET_PAGES = 5;

export interface PageStart {
  offset?: number;
  cursor?: string;
}

/** The `cursor` parameter of a `links.next` URL (relative, as the server writes it). */
export function cursorOfLink(next: string | undefined): string | undefined {
  if (!next) return undefined;
  return new URL(next, 'http://relative.invalid').searchParams.get('cursor') ?? undefined;
}

/** Cursors known so far, keyed by list query and page number. */
export type PageCursors = Map<string, string>;

const cursorKey = (listKey: string, page: number) => `${page}\u0000${listKey}`;

/** Remembers where the page after `page` starts, when it lies past the offset pages. */
export function rememberNextCursor(cursors: PageCursors, listKey: string, page: number, links: { next?: string } | undefined): void {
  const cursor = cursorOfLink(links?.next);
  if (cursor && page + 1 > OFFSET_PAGES) cursors.set(cursorKey(listKey, page + 1), cursor);
}

/** Offset for the first pages or an unknown cursor; the remembered cursor otherwise. */
export function pageStart(cursors: PageCursors, listKey: string, page: number, size: number): PageStart {
  const cursor = page > OFFSET_PAGES ? cursors.get(cursorKey(listKey, page)) : undefined;
  return cursor ? { cursor } : { offset: (page - 1) * size };
}

/** The cursors of one list page component, kept across renders. */
export function usePageCursors(): PageCursors {
  return useRef<PageCursors>(new Map()).current;
}
