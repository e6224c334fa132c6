/** Builds the app into client-spa/dist, served at /app/ by the static-assets slot (infra/http/static-assets-service.ts). */
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/app/',
  // Preact's JSX runtime, without a plugin: the transform only needs to know where `jsx()` comes from.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The CSP forbids inline script: Vite must never inline a module preload polyfill.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    reportCompressedSize: true,
  },
  // `npm run dev:app`: the API on :3000 behind the dev server, same origin for the cookie rules.
  server: {
    proxy: { '/session': 'http://localhost:3000', '/admin': 'http://localhost:3000', '/flows': 'http://localhost:3000', '/user': 'http://localhost:3000', '/stream': { target: 'ws://localhost:3000', ws: true } },
  },
});
