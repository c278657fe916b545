/** The consumer tests (`npm run test:consumer`, run by .ci/run after `npm test`): the packed kit in a scratch project. */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/consumer/**/*.consumer.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
