// One Temporal dev server and one workflow bundle per run (test/support/global-setup.ts);
// unit tests need neither but share the run so `npm test` is the whole suite.
const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2023' },
    // Keep dynamic import() so ESM-only packages (@kubernetes/client-node) load under --experimental-vm-modules.
    module: { type: 'commonjs', ignoreDynamic: true },
  },
];

const common = {
  transform: { '^.+\\.ts$': swc },
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  // The CLI loads its commands with import('./x.js') (the compiled file's name); in tests that is the .ts source.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/**/*.test.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/**/*.itest.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      setupFiles: ['<rootDir>/test/support/quiet-runtime.ts'],
      slowTestThreshold: 60,
    },
  ],
  testTimeout: 120000,
};
