import { defineConfig } from 'vitest/config';

// CI asks for a JSON summary too (DIEMCAU_TEST_JSON=<file>) so .ci/run can print the counts.
const json = process.env.DIEMCAU_TEST_JSON;

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: json ? ['default', 'json'] : ['default'],
    ...(json ? { outputFile: { json } } : {}),
  },
});
