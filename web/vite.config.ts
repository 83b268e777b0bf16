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
    // No chunk may pass this: the large vendors below have chunks of their own, and what only some pages need is
    // imported lazily by them (the chart library, the QR library), so the warning means a real regression.
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      output: {
        // Large vendors get chunks of their own, which change less often than the application and stay cached: React,
        // and the chart library, which only the board's instrument chart and the lab's results load (lazily). The
        // QR library is imported dynamically by the account page and is split on its own.
        codeSplitting: {
          groups: [
            { name: "react", test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            { name: "charts", test: /node_modules[\\/](lightweight-charts|fancy-canvas)[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      "/api": { target: api, changeOrigin: false, ws: true },
    },
  },
});
