import tseslint from 'typescript-eslint';

const ioModules = [
  'fs',
  'child_process',
  'net',
  'http',
  'https',
  'os',
  'path',
  'crypto',
  'dockerode',
  'pino',
  '@kubernetes/client-node',
];
const banIo = {
  'no-restricted-imports': [
    'error',
    {
      paths: ioModules
        .flatMap((name) => [name, `node:${name}`])
        .map((name) => ({ name, message: 'Deterministic code: no IO or Node built-ins here.' })),
    },
  ],
};

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: [
      'src/workflows/**/*.ts',
      'src/contract/**/*.ts',
      'src/plan/**/*.ts',
      'src/supervision/**/*.ts',
      'src/schedules/maintenance-window.ts',
      'src/placement/**/*.ts',
    ],
    rules: banIo,
  },
);
