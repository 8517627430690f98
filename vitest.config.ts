import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", "test-artifacts/**"],
    // Servers in tests bind to 127.0.0.1 on a free port; the pool stays small on 2-core machines.
    maxWorkers: 2,
  },
});
