import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", "test-artifacts/**"],
    // Servers in tests bind to 127.0.0.1 on a free port; the pool stays small on 2-core machines.
    maxWorkers: 2,
    // Many tests start a server, a child process or Chromium. 5 s (vitest's default) is a speed assertion in
    // disguise on a shared 2-core machine; speed is the benchmarks' job, so a test has 30 s to finish.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Tests that spawn bin/heartlock.js run the sources as they are now, not the last build in dist/.
    env: { HEARTLOCK_FROM_SOURCE: "1" },
  },
});
