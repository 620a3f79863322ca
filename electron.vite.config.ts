import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';

export default defineConfig({
  main: {
    // The cache writer runs in a worker thread of its own, so it is an entry of its own (cache-writer.ts).
    build: {
      rollupOptions: {
        input: { main: resolve('electron/main.ts'), 'cache-writer-thread': resolve('electron/services/sync/cache-writer-thread.ts') },
      },
    },
  },
  preload: {
    // A sandboxed preload cannot require node_modules: bundle everything it uses.
    build: { externalizeDeps: false, rollupOptions: { input: { preload: resolve('electron/preload.ts') } } },
  },
  renderer: {
    root: 'renderer',
    plugins: [react()],
    build: { minify: true, rollupOptions: { input: resolve('renderer/index.html') } },
  },
});
