// ESLint 8 ships no types; what test/eslint-versions.test.ts uses of it (installed under the alias `eslint-v8`).
declare module 'eslint-v8' {
  export class ESLint {
    static readonly version: string;
    constructor(options: { cwd: string; useEslintrc: boolean; overrideConfig: object });
    lintFiles(patterns: string[]): Promise<{ filePath: string; messages: { ruleId: string | null; line: number; column: number }[] }[]>;
  }
}
