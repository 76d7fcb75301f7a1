import { formatHash, parseHash } from './url_hash';
import { uiActions, uiStore, type UiState } from './store';
import { violationActions, violationsStore } from './violations_store';

/**
 * Two-way binding between the store and `location.hash`: reads the hash once at start (and on
 * hashchange, for edited or pasted links), and rewrites it with replaceState when the view,
 * the selected segment or the language changes — no history entry per pan.
 */
export function startHashSync(): () => void {
  applyHash(window.location.hash, true);

  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastWritten = window.location.hash;
  const write = (): void => {
    timer = undefined;
    const state = uiStore.getState();
    // The map's view lives on the map page only; other pages keep just the language.
    const onMap = window.location.pathname === '/';
    const hash = formatHash({
      viewport: onMap ? state.viewport : null,
      segmentId: onMap ? state.selectedSegmentId : null,
      language: state.language,
      violationId: onMap ? violationsStore.getState().selectedId : null,
    });
    if (hash === lastWritten || (hash === '' && window.location.hash === '')) return;
    lastWritten = hash;
    const url = `${window.location.pathname}${window.location.search}${hash}`;
    window.history.replaceState(window.history.state, '', url);
  };

  const unsubscribe = uiStore.subscribe((state: UiState, previous: UiState) => {
    if (
      state.viewport === previous.viewport &&
      state.selectedSegmentId === previous.selectedSegmentId &&
      state.language === previous.language
    ) {
      return;
    }
    // Language and selection are written at once; panning settles first.
    const immediate = state.viewport === previous.viewport;
    if (timer) clearTimeout(timer);
    if (immediate) write();
    else timer = setTimeout(write, 250);
  });

  const unsubscribeViolations = violationsStore.subscribe((state, previous) => {
    if (state.selectedId === previous.selectedId) return;
    if (timer) clearTimeout(timer);
    write();
  });

  const onHashChange = (): void => {
    if (window.location.hash === lastWritten) return;
    lastWritten = window.location.hash;
    applyHash(window.location.hash, false);
  };
  window.addEventListener('hashchange', onHashChange);

  return () => {
    unsubscribe();
    unsubscribeViolations();
    if (timer) clearTimeout(timer);
    window.removeEventListener('hashchange', onHashChange);
  };
}

function applyHash(hash: string, initial: boolean): void {
  const parsed = parseHash(hash);
  if (parsed.language) uiActions.setLanguage(parsed.language);
  if (parsed.viewport) {
    uiStore.setState({ viewport: parsed.viewport });
    if (!initial) uiActions.flyTo([parsed.viewport.lon, parsed.viewport.lat], parsed.viewport.zoom);
  }
  if (parsed.violationId !== null && parsed.violationId !== undefined && parsed.violationId !== violationsStore.getState().selectedId) {
    violationActions.select(parsed.violationId);
  }
  if (parsed.segmentId !== null && parsed.segmentId !== uiStore.getState().selectedSegmentId) {
    uiActions.openSegment(parsed.segmentId, !parsed.viewport);
  }
}
