import type { IControl, Map as MapLibreMap } from 'maplibre-gl';

/**
 * MapLibre's +/− buttons (same look and strings), except that they zoom around the place the user
 * is working on — a searched stake's pin, a picked point — while it is on screen, instead of the
 * screen centre, which would push that place off the map after a zoom or two.
 */
export class FocusZoomControl implements IControl {
  private map: MapLibreMap | null = null;
  private readonly container: HTMLDivElement;
  private readonly zoomInButton: HTMLButtonElement;
  private readonly zoomOutButton: HTMLButtonElement;

  /** `zoomBy(delta)` does the zoom: the adapter knows where the focus is. */
  constructor(private readonly zoomBy: (delta: number) => void) {
    this.container = document.createElement('div');
    this.container.className = 'maplibregl-ctrl maplibregl-ctrl-group';
    this.container.addEventListener('contextmenu', (event) => event.preventDefault());
    this.zoomInButton = this.button('maplibregl-ctrl-zoom-in', () => this.zoomBy(1));
    this.zoomOutButton = this.button('maplibregl-ctrl-zoom-out', () => this.zoomBy(-1));
  }

  onAdd(map: MapLibreMap): HTMLElement {
    this.map = map;
    this.setTitle(this.zoomInButton, 'NavigationControl.ZoomIn', 'Zoom in');
    this.setTitle(this.zoomOutButton, 'NavigationControl.ZoomOut', 'Zoom out');
    map.on('move', this.updateButtons);
    this.updateButtons();
    return this.container;
  }

  onRemove(): void {
    this.map?.off('move', this.updateButtons);
    this.container.remove();
    this.map = null;
  }

  private button(className: string, onClick: () => void): HTMLButtonElement {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = className;
    const icon = document.createElement('span');
    icon.className = 'maplibregl-ctrl-icon';
    icon.setAttribute('aria-hidden', 'true');
    button.append(icon);
    button.addEventListener('click', onClick);
    this.container.append(button);
    return button;
  }

  /** MapLibre's own UI strings (they follow the map's `locale`), so nothing changes for the user. */
  private setTitle(button: HTMLButtonElement, key: string, fallback: string): void {
    const lookup = (this.map as unknown as { _getUIString?: (key: string) => string } | null)?._getUIString;
    const title = (lookup && lookup.call(this.map, key)) || fallback;
    button.title = title;
    button.setAttribute('aria-label', title);
  }

  private readonly updateButtons = (): void => {
    if (!this.map) return;
    const zoom = this.map.getZoom();
    const atMax = zoom >= this.map.getMaxZoom();
    const atMin = zoom <= this.map.getMinZoom();
    this.zoomInButton.disabled = atMax;
    this.zoomOutButton.disabled = atMin;
    this.zoomInButton.setAttribute('aria-disabled', String(atMax));
    this.zoomOutButton.setAttribute('aria-disabled', String(atMin));
  };
}
