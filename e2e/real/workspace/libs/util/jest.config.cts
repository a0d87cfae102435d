module.exports = {
  displayName: 'util',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }]
  },
  moduleFileExtensions: ['ts', 'js', 'html'],
  collectCoverage: true,
  // Text reports only: they hold relative paths and no timestamps, so two runs write the same bytes.
  coverageReporters: ['text-summary', ['text', { file: 'coverage.txt' }]],
  coverageDirectory: '../../coverage/libs/util'
};
