// The vitest example on its own: this folder's test files, in Node.
import { defineConfig } from 'vitest/config';

export default defineConfig({ test: { include: ['**/*.test.mjs'], environment: 'node' } });
