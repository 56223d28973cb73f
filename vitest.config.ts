import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = {
  "@": path.resolve(import.meta.dirname),
  // `server-only` throws outside Next's server bundle; tests import server modules directly.
  "server-only": path.resolve(import.meta.dirname, "tests/server-only-stub.ts"),
};

// Stored judge API keys are encrypted with a key derived from AUTH_SECRET (lib/judges/secrets.ts).
const TEST_ENV = { AUTH_SECRET: "test-only-auth-secret-of-32-characters-or-more" };

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "scripts/**/*.test.ts", "components/**/*.test.ts"],
          exclude: ["**/*.int.test.ts", "node_modules/**"],
          environment: "node",
          env: TEST_ENV,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["lib/**/*.int.test.ts", "tests/**/*.int.test.ts"],
          environment: "node",
          env: TEST_ENV,
          globalSetup: ["tests/global-setup.ts"],
          // One database for the run: files run one after another, tests truncate what they use.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
