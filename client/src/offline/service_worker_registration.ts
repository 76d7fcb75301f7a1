/**
 * Registers the hand-written service worker (/sw.js, generated at build time with the list of
 * built assets; client/service_worker_plugin.ts). Only in a production build: Vite's dev server
 * serves modules one by one and must not be cached.
 */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => undefined);
  });
}
