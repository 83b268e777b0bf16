import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Tests are deterministic: seeded randomness, fixed clocks; a slow machine may need the longer timeout.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Every response of a test server is checked against its published schema (src/gateway/contract.ts).
    // ... and `sauda` processes the tests start run the TypeScript sources, never a build in dist/ (bin/sauda.js).
    env: { SAUDA_VALIDATE_RESPONSES: "1", SAUDA_FROM_SOURCE: "1" },
  },
});
