/**
 * Jest runs the TypeScript sources through swc; tsc type-checks them separately (npm run typecheck).
 * Two tiers (docs/testing.md): `unit` is every `*.unit.test.ts`, which needs no server and runs in
 * seconds (`npm run test:unit`); `integration` is every other `*.test.ts`, against the real
 * Postgres and Redis that `npm test` brings up (its globalSetup fails early when they are not there).
 */
const shared = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
    // `marked` ships only ES modules; the app's markdown tests load it through swc like our own code.
    '/node_modules/marked/.+\\.js$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!marked/)'],
};

module.exports = {
  testTimeout: 30000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/**/*.unit.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/dist/'],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/dist/', '\\.unit\\.test\\.ts$'],
      globalSetup: '<rootDir>/test/global-setup.js',
    },
  ],
};
