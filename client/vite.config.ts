import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { serviceWorkerPlugin } from './service_worker_plugin.ts';

const clientDir = fileURLToPath(new URL('.', import.meta.url));
const domainDir = fileURLToPath(new URL('../server/domain', import.meta.url));

/**
 * Build: `vite build --config client/vite.config.ts` → client/dist (served by the Express app).
 * Dev: `vite --config client/vite.config.ts` proxies /api to the API server on :8080.
 */
export default defineConfig({
  root: clientDir,
  base: '/',
  // The service worker precaches the built assets plus these files from public/.
  plugins: [react(), serviceWorkerPlugin(['favicon.svg', 'crew_icon.svg', 'manifest.webmanifest'])],
  resolve: {
    alias: {
      // Isomorphic rules (stake format, admin classes) have one definition, on the server side.
      '@domain': domainDir,
    },
  },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    // Maps are written for operators (no sourceMappingURL in the bundles) and never served (server/http/static_client.ts).
    sourcemap: 'hidden',
    // maplibre-gl alone is ~800 kB minified; one vendor chunk is expected.
    chunkSizeWarningLimit: 1500,
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: 'http://localhost:8080', changeOrigin: false },
    },
  },
});
