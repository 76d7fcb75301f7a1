import type { Point } from 'geojson';
import type { ViolationGeometry } from '../api/violations';
import { createStore, useStore } from './create_store';

/** How a new finding's place is being picked on the map. */
export type DrawMode = 'none' | 'point' | 'polygon';

export interface ViolationsState {
  /** The case shown in the detail drawer. */
  selectedId: number | null;
  /** Map layer toggle. */
  layerVisible: boolean;
  /** Bumped after every write so map and ledger refetch. */
  dataVersion: number;
  /** "上报违法" flow: choosing a place, then the form. */
  creating: boolean;
  drawMode: DrawMode;
  /** The place picked for the new finding. */
  draft: ViolationGeometry | null;
  /** Places of timeline steps of the selected case, drawn on the map. */
  timelinePlaces: { point: Point; label: string }[];
}

const LAYER_STORAGE_KEY = 'luyu.violationsLayer';

function readLayerVisible(): boolean {
  try {
    return window.localStorage.getItem(LAYER_STORAGE_KEY) !== 'off';
  } catch {
    return true;
  }
}

export const violationsStore = createStore<ViolationsState>({
  selectedId: null,
  layerVisible: typeof window === 'undefined' ? true : readLayerVisible(),
  dataVersion: 0,
  creating: false,
  drawMode: 'none',
  draft: null,
  timelinePlaces: [],
});

export function useViolationsState<T>(selector: (state: ViolationsState) => T): T {
  return useStore(violationsStore, selector);
}

export const violationActions = {
  select(selectedId: number | null): void {
    violationsStore.setState({ selectedId, timelinePlaces: selectedId === null ? [] : violationsStore.getState().timelinePlaces });
  },
  setLayerVisible(layerVisible: boolean): void {
    violationsStore.setState({ layerVisible });
    try {
      window.localStorage.setItem(LAYER_STORAGE_KEY, layerVisible ? 'on' : 'off');
    } catch {
      // storage unavailable: the toggle still works for this visit
    }
  },
  changed(): void {
    violationsStore.setState((state) => ({ dataVersion: state.dataVersion + 1 }));
  },
  startCreate(): void {
    violationsStore.setState({ creating: true, drawMode: 'point', draft: null, selectedId: null, timelinePlaces: [] });
  },
  setDrawMode(drawMode: DrawMode): void {
    violationsStore.setState({ drawMode });
  },
  setDraft(draft: ViolationGeometry | null): void {
    violationsStore.setState({ draft, drawMode: draft ? 'none' : violationsStore.getState().drawMode });
  },
  cancelCreate(): void {
    violationsStore.setState({ creating: false, drawMode: 'none', draft: null });
  },
  setTimelinePlaces(timelinePlaces: { point: Point; label: string }[]): void {
    violationsStore.setState({ timelinePlaces });
  },
};
