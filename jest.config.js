/**
 * NestJS 12 ships ES modules. Node 20 loads them from our CommonJS build through require(esm), but
 * Jest's own module loader only does so from Node 24.9, so Jest turns those packages into CommonJS
 * with Babel (import.meta and import() included).
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
    '^.+\\.js$': ['babel-jest', {
      babelrc: false,
      configFile: false,
      plugins: [require.resolve('./test/support/babel-import-meta.js'), '@babel/plugin-transform-modules-commonjs'],
    }],
  },
  // PostgreSQL for the suites: TEST_PG_URL, else 127.0.0.1:5432, else a throwaway server started once per run.
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|file-type|strtok3|token-types|uint8array-extras|@tokenizer|@borewit|load-esm|intl-messageformat|@formatjs)/)'],
  testTimeout: 60000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  testSequencer: '<rootDir>/test/support/sequencer.js',
};
