import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));

// The browser app: built into dist/web and served by the API at / (the API stays under /api).
export default defineConfig({
  root: here,
  base: '/',
  build: { outDir: resolve(here, '../../dist/web'), emptyOutDir: true, sourcemap: true },
  resolve: { alias: { '@plenary/realtime/client': resolve(here, '../../libs/realtime/src/client/index.ts') } },
  oxc: { jsx: { runtime: 'automatic' } },
  server: { proxy: { '/api': 'http://localhost:3000', '/socket.io': { target: 'http://localhost:3000', ws: true } } },
});
