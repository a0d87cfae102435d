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
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.name='require'][arguments.0.value=/^nx\\/src\\//]",
          message: "Nx's internals are used through src/nx/ only.",
        },
      ],
    },
  },
  {
    files: ['src/nx/**'],
    rules: { '@typescript-eslint/no-restricted-imports': 'off', 'no-restricted-syntax': 'off' },
  },
  ...roleRules,
);
