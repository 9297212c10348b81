// Nest 12 ships ES modules only; @swc/jest turns them (and our TypeScript) into CommonJS for jest.
const swc = {
  swcrc: false,
  jsc: {
    target: 'es2022',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

const libs = [
  'core',
  'database',
  'accounts',
  'consultations',
  'documents',
  'contributions',
  'realtime',
  'moderation',
  'reports',
];

module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/apps/**/*.spec.ts', '<rootDir>/libs/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/test/faults/'],
  transform: { '^.+\\.(t|j|mj)s$': ['@swc/jest', swc] },
  transformIgnorePatterns: [
    '/node_modules/(?!(csv-parse|csv-stringify|echarts|zrender|tslib|@nestjs|uid|load-esm|file-type|token-types|strtok3|@tokenizer|uint8array-extras|@borewit|htmlparser2|entities|domhandler|domutils|domelementtype|dom-serializer)/)',
  ],
  moduleNameMapper: {
    '^@plenary/database/testing$': '<rootDir>/libs/database/src/testing/index.ts',
    '^@plenary/realtime/client$': '<rootDir>/libs/realtime/src/client/index.ts',
    ...Object.fromEntries(libs.map((l) => [`^@plenary/${l}$`, `<rootDir>/libs/${l}/src/index.ts`])),
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 30000,
};
