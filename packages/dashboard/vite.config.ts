import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

/**
 * The dashboard is built into dist/ and served by the Sightline server at `/`. `npm run dev -w
 * @sightline/dashboard` serves it with hot reload and sends /api to a server on :8080.
 */
export default defineConfig({
  plugins: [vue()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1_200,
    rollupOptions: {
      output: {
        // ECharts changes least: its own long-cached file.
        manualChunks: (id) =>
          id.includes('node_modules/echarts') || id.includes('node_modules/zrender')
            ? 'charts'
            : undefined,
      },
    },
  },
  server: {
    proxy: {
      '/api': 'http://localhost:8080',
      '/socket.io': { target: 'ws://localhost:8080', ws: true },
    },
  },
});
