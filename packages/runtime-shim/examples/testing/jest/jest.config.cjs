// The jest example runs the test files of this folder as CommonJS, in the node environment.
module.exports = { testEnvironment: 'node', testMatch: ['<rootDir>/**/*.test.cjs'] };
