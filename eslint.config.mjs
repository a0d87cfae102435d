// @ts-check
import tseslint from 'typescript-eslint';

const NX_INTERNALS = { group: ['nx/src/*'], message: "Nx's internals are used through src/nx/ only." };

/** The distributed backend's roles, each with the folders it must not import. */
const DISTRIBUTED_ROLES = {
  coordinator: ['agent'],
  agent: ['coordinator'],
  protocol: ['coordinator', 'agent'],
  artifacts: ['coordinator', 'agent', 'protocol'],
};
const roleRules = Object.entries(DISTRIBUTED_ROLES).map(([role, forbidden]) => ({
  files: [`src/distributed/${role}/**`],
  rules: {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      {
        patterns: [
          NX_INTERNALS,
          ...forbidden.map((other) => ({
            group: [`**/distributed/${other}/*`, `../${other}/*`],
            message: `src/distributed/${role}/ does not import ${other}/ (coordinator and agent share protocol/ and artifacts/ only).`,
          })),
        ],
      },
    ],
  },
}));

const NX_REQUIRE = {
  selector: "CallExpression[callee.name='require'][arguments.0.value=/^nx\\/src\\//]",
  message: "Nx's internals are used through src/nx/ only.",
};

/**
 * The layers below the executor never write to the terminal: they emit notices (src/report/notices.ts)
 * that the run's one terminal prints above its live area. Only the terminal itself, and the
 * executor's entry for a fatal error, write there; Nx's `output` lends its colours only.
 */
/** The methods of Nx's `output` (its CLIOutput) that write; the rest only format. */
const NX_OUTPUT_WRITERS = [
  'error',
  'warn',
  'note',
  'success',
  'log',
  'logSingleLine',
  'logRawLine',
  'logCommand',
  'logCommandOutput',
  'logCommandSummary',
  'logBatchGroup',
  'addNewline',
  'addVerticalSeparator',
  'addVerticalSeparatorWithoutNewLines',
  'writeToStream',
  'writeTaskOutputChunk',
  'writeOutputTitle',
  'writeOptionalOutputBody',
  'overwriteLine',
  'copyFileToStream',
];
const QUIET_FOLDERS = ['report', 'executor', 'scheduler', 'graph', 'cache', 'state', 'distributed/coordinator'];
const TERMINAL_WRITERS = ['src/report/terminal.ts', 'src/executor/parallel.ts'];
const QUIET = "emit a notice (src/report/notices.ts) instead, for the run's one terminal to print.";
const quietRules = {
  files: QUIET_FOLDERS.map((folder) => `src/${folder}/**`),
  ignores: [...TERMINAL_WRITERS, '**/*.test.ts'],
  rules: {
    'no-restricted-properties': [
      'error',
      { object: 'process', property: 'stdout', message: `process.stdout: ${QUIET}` },
      { object: 'process', property: 'stderr', message: `process.stderr: ${QUIET}` },
    ],
    'no-restricted-globals': ['error', { name: 'console', message: `console: ${QUIET}` }],
    'no-restricted-syntax': [
      'error',
      NX_REQUIRE,
      {
        selector: `MemberExpression[object.name='output'][property.name=/^(${NX_OUTPUT_WRITERS.join('|')})$/]`,
        message: `Nx's output writes to the terminal: ${QUIET}`,
      },
      {
        selector: "ImportDeclaration[source.value='@nx/devkit'] ImportSpecifier[imported.name='logger']",
        message: `Nx's logger writes to the terminal: ${QUIET}`,
      },
    ],
  },
};

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'examples/**',
      'e2e/real/workspace/**',
      'e2e/real/overlays/**',
      'src/executor/options.generated.ts',
      '**/*.mjs',
      '**/*.js',
    ],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: './tsconfig.check.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      // Nx's internals are reached through src/nx/ only, which hides the differences between majors.
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [NX_INTERNALS] }],
      'no-restricted-syntax': ['error', NX_REQUIRE],
    },
  },
  {
    files: ['src/nx/**'],
    rules: { '@typescript-eslint/no-restricted-imports': 'off', 'no-restricted-syntax': 'off' },
  },
  ...roleRules,
  quietRules,
);
