// Vite build of the web app: web/ is the page, src/web/ the pure code it shares with Node tests and benches,
// web/generated/ the build-time assets (src/web-build/assets.ts) served as static files.
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  publicDir: fileURLToPath(new URL('./generated', import.meta.url)),
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
    // One chunk for the page (Plot, d3-geo, the map) and one for the worker (the model): ~180 and ~70 KB gzipped.
    chunkSizeWarningLimit: 1200,
    // The plugin-timing notice is about build speed on a loaded machine, not about the app.
    rolldownOptions: { checks: { pluginTimings: false } },
  },
  worker: { format: 'es' },
  logLevel: 'warn',
});
