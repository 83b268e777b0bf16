/**
 * Builds the browser application into web/dist, which the exchange server serves at /. Run from the repository root
 * as `npm run build:web` (also run by `npm ci` through `prepare`). `npm run dev:web` serves it with hot reload and
 * forwards /api to a running exchange server (SAUDA_API, default http://127.0.0.1:8080).
 */

import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const api = process.env.SAUDA_API ?? "http://127.0.0.1:8080";

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // The chart library is the largest part; one warning threshold above it keeps the build output quiet and honest.
    chunkSizeWarningLimit: 700,
  },
  server: {
    proxy: {
      "/api": { target: api, changeOrigin: false, ws: true },
    },
  },
});
