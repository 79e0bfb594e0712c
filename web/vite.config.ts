// Vite build of the browser interface: web/dist, served by `coso serve --web web/dist`.
// `npm run dev` proxies /api to COSO_API (default: a `coso serve` on port 8080).
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  build: {
    target: 'es2020',
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    reportCompressedSize: true,
    chunkSizeWarningLimit: 300,
  },
  server: {
    proxy: { '/api': process.env.COSO_API ?? 'http://127.0.0.1:8080' },
  },
});
