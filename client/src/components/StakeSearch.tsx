import { useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { ApiError } from '../api/api_error';
import { locateStake } from '../api/endpoints';
import { errorText } from '../i18n/error_text';
import { hasMessage, useI18n, type Translate } from '../i18n/i18n';
import type { Language } from '../i18n/languages';
import { parseStakeQuery } from '../search/stake_query';
import { useExampleStake } from '../search/use_example_stake';
import { uiActions, uiStore } from '../state/store';

type SearchState = { status: 'idle' } | { status: 'searching' } | { status: 'error'; message: string };

/**
 * `G107 K3+200` (optionally `+`/`-`/上行/下行) → the point on the route: the map flies there,
 * drops a marker and the panel opens on the segment. Enter submits, Esc clears.
 */
export function StakeSearch() {
  const { language, t } = useI18n();
  const example = useExampleStake();
  const [text, setText] = useState('');
  const [state, setState] = useState<SearchState>({ status: 'idle' });
  const inputRef = useRef<HTMLInputElement>(null);
  const requestRef = useRef<AbortController | null>(null);
  const inputId = useId();
  const hintId = useId();
  const errorId = useId();

  const clear = (): void => {
    requestRef.current?.abort();
    setText('');
    setState({ status: 'idle' });
  };

  const submit = async (event?: FormEvent): Promise<void> => {
    event?.preventDefault();
    const query = parseStakeQuery(text, uiStore.getState().directionLabels);
    if (!query.ok) {
      setState({ status: 'error', message: t(`search.error.${query.code}`, { example, ...query.params }) });
      return;
    }
    requestRef.current?.abort();
    const controller = new AbortController();
    requestRef.current = controller;
    setState({ status: 'searching' });
    try {
      const result = await locateStake(query.route, query.stake, query.direction, controller.signal);
      if (controller.signal.aborted) return;
      setState({ status: 'idle' });
      uiActions.showStakeResult(result, query.direction);
    } catch (error) {
      if (controller.signal.aborted) return;
      setState({ status: 'error', message: searchErrorMessage(error, language, t, { route: query.route, stake: query.stake }) });
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === 'Escape') {
      event.preventDefault();
      clear();
    }
  };

  const error = state.status === 'error' ? state.message : null;
  return (
    <form className="stake-search" role="search" onSubmit={(event) => void submit(event)} noValidate>
      <label className="visually-hidden" htmlFor={inputId}>
        {t('search.label')}
      </label>
      <div className={`stake-search-field${error ? ' has-error' : ''}`}>
        <svg className="stake-search-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path d="M12 2C8.13 2 5 5.13 5 9c0 5.25 7 13 7 13s7-7.75 7-13c0-3.87-3.13-7-7-7zm0 9.5a2.5 2.5 0 1 1 0-5 2.5 2.5 0 0 1 0 5z" />
        </svg>
        <input
          ref={inputRef}
          id={inputId}
          className="stake-search-input"
          type="text"
          inputMode="text"
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          enterKeyHint="search"
          placeholder={t('search.placeholder', { example })}
          value={text}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${errorId} ${hintId}` : hintId}
          onChange={(event) => {
            setText(event.target.value);
            if (state.status === 'error') setState({ status: 'idle' });
          }}
          onKeyDown={onKeyDown}
        />
        {text && (
          <button
            type="button"
            className="stake-search-clear"
            aria-label={t('search.clear')}
            title={t('search.clear')}
            onClick={() => {
              clear();
              inputRef.current?.focus();
            }}
          >
            <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
              <path d="M6 6l12 12M18 6L6 18" />
            </svg>
          </button>
        )}
        <button type="submit" className="stake-search-submit" disabled={state.status === 'searching'}>
          {state.status === 'searching' ? t('search.searching') : t('search.submit')}
        </button>
      </div>
      <p id={hintId} className="visually-hidden">
        {t('search.hint')}
      </p>
      {error && (
        <p id={errorId} className="stake-search-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

/**
 * Known server codes get a message in the UI language. English shows the server's own
 * message, which is already English and names what was wrong.
 */
function searchErrorMessage(error: unknown, language: Language, t: Translate, params: Record<string, string>): string {
  if (!(error instanceof ApiError)) return t('search.error.other');
  const key = `search.error.${error.code}`;
  if (hasMessage(key)) return t(key, params);
  return errorText(error, language);
}
