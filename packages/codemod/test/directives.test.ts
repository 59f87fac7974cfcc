// ESLint's disable directives as the codemod applies them (src/directives.ts): explicit cases, each also checked
// against ESLint itself, whose Linter runs two rules that report every call to `a(…)` and `b(…)`.
import { typescript } from '@quiesce/eslint-plugin/detect';
import { Linter, type Rule } from 'eslint';
import { describe, expect, it } from 'vitest';
import { DisableDirectives } from '../src/find/directives.js';
import { LineIndex } from '../src/write/source-text.js';

/** `quiesce/a` reports each call to `a`, `quiesce/b` each call to `b`: `rule line:column`, in source order. */
function reportsLeftByCodemod(text: string, fileName = 'file.js'): string[] {
  const sourceFile = typescript.createSourceFile(fileName, text, typescript.ScriptTarget.Latest, true);
  const lines = new LineIndex(text);
  const directives = DisableDirectives.of(sourceFile, lines);
  const left: string[] = [];
  const visit = (node: typescript.Node): void => {
    if (typescript.isCallExpression(node) && typescript.isIdentifier(node.expression) && /^[ab]$/.test(node.expression.text)) {
      const { line, column } = lines.positionOf(node.getStart(sourceFile));
      const report = { ruleId: `quiesce/${node.expression.text}`, line, column };
      if (!directives.suppresses(report)) left.push(`${report.ruleId} ${line}:${column}`);
    }
    typescript.forEachChild(node, visit);
  };
  visit(sourceFile);
  return left;
}

function reportCallsTo(name: string): Rule.RuleModule {
  return {
    meta: { type: 'problem', schema: [], messages: { call: `a call to ${name}` } },
    create: (context) => ({
      CallExpression(node) {
        if (node.callee.type === 'Identifier' && node.callee.name === name) context.report({ node, messageId: 'call' });
      },
    }),
  };
}

const linter = new Linter({ configType: 'flat' });
const config: Linter.Config[] = [
  {
    files: ['**/*.js'],
    plugins: { quiesce: { rules: { a: reportCallsTo('a'), b: reportCallsTo('b') } } },
    rules: { 'quiesce/a': 'error', 'quiesce/b': 'error', 'no-console': 'off' },
    linterOptions: { reportUnusedDisableDirectives: 'off' },
  },
];

function reportsLeftByEslint(text: string): string[] {
  const messages = linter.verify(text, config, { filename: 'file.js' });
  const fatal = messages.find((message) => message.fatal);
  if (fatal) throw new Error(`ESLint cannot parse the case: ${fatal.message}`);
  // Only the two rules' reports: ESLint also reports a directive that names no rule (`quiesce/c`) as a problem.
  return messages
    .filter((message) => message.ruleId === 'quiesce/a' || message.ruleId === 'quiesce/b')
    .map((message) => `${message.ruleId} ${message.line}:${message.column}`);
}

const cases: { name: string; text: string; left: string[] }[] = [
  {
    name: 'no directive: every report stays',
    text: 'a();\nb();\n',
    left: ['quiesce/a 1:1', 'quiesce/b 2:1'],
  },
  {
    name: 'eslint-disable-next-line for one rule: only that rule, only on the next line',
    text: '// eslint-disable-next-line quiesce/a\na(); b();\na();\n',
    left: ['quiesce/b 2:6', 'quiesce/a 3:1'],
  },
  {
    name: 'eslint-disable-next-line without rules, with a justification',
    text: 'a();\n// eslint-disable-next-line -- flushed by the caller\na(); b();\nb();\n',
    left: ['quiesce/a 1:1', 'quiesce/b 4:1'],
  },
  {
    name: 'eslint-disable-line: its own line, for the rules named (quoted or not), wherever on the line',
    text: "a(); b(); // eslint-disable-line 'quiesce/a', quiesce/b\na();\nb(); a(); /* eslint-disable-line quiesce/a */\n",
    left: ['quiesce/a 2:1', 'quiesce/b 3:1'],
  },
  {
    name: 'block eslint-disable … eslint-enable: from the comment on, up to the enable',
    text: 'a(); /* eslint-disable */ b();\na();\n/* eslint-enable */\nb();\n',
    left: ['quiesce/a 1:1', 'quiesce/b 4:1'],
  },
  {
    name: 'eslint-disable for one rule stays for the rest of the file without an enable',
    text: '/* eslint-disable quiesce/b -- legacy module */\na();\nb();\nfunction f() {\n  b();\n}\n',
    left: ['quiesce/a 2:1'],
  },
  {
    name: 'an eslint-enable for one rule re-enables only that rule',
    text: '/* eslint-disable */\na();\n/* eslint-enable quiesce/a */\na();\nb();\n',
    left: ['quiesce/a 4:1'],
  },
  {
    name: 'an eslint-enable without rules ends a disable of one rule',
    text: '/* eslint-disable quiesce/a */\na();\n/* eslint-enable */\na();\n',
    left: ['quiesce/a 4:1'],
  },
  {
    name: 'a directive naming another rule does not apply',
    text: '// eslint-disable-next-line no-console\na();\nb(); // eslint-disable-line no-console, quiesce/c\n/* eslint-disable no-console */\nb();\n',
    left: ['quiesce/a 2:1', 'quiesce/b 3:1', 'quiesce/b 5:1'],
  },
  {
    name: 'a // comment cannot disable or enable blocks',
    text: '// eslint-disable\na();\n/* eslint-disable */\n// eslint-enable\nb();\n',
    left: ['quiesce/a 2:1'],
  },
  {
    name: 'eslint-disable-line over several lines is not applied; eslint-disable-next-line counts from its last line',
    text: 'a(); /* eslint-disable-line\n quiesce/a */\n/* eslint-disable-next-line\n quiesce/b */\nb();\n',
    left: ['quiesce/a 1:1'],
  },
  {
    name: 'text that only looks like a directive, in a string or a template, is no directive',
    text: "const s = '// eslint-disable-line'; a();\nconst t = `/* eslint-disable */`;\nb();\n",
    left: ['quiesce/a 1:37', 'quiesce/b 3:1'],
  },
  {
    name: 'a misspelt label is no directive',
    text: '// eslint-disable-nextline quiesce/a\na();\n// eslintdisable-line\nb();\n',
    left: ['quiesce/a 2:1', 'quiesce/b 4:1'],
  },
  {
    name: 'CRLF line endings and a shebang',
    text: '#!/usr/bin/env node\r\n// eslint-disable-next-line quiesce/a\r\na();\r\na(); b(); // eslint-disable-line quiesce/b\r\n',
    left: ['quiesce/a 4:1'],
  },
];

describe('ESLint disable directives', () => {
  it.each(cases)('$name', ({ text, left }) => {
    expect(reportsLeftByCodemod(text)).toEqual(left);
    expect(reportsLeftByEslint(text)).toEqual(left);
  });

  it('finds directives in TypeScript and JSX the same way', () => {
    const typed = 'const x: number = 1;\n// eslint-disable-next-line quiesce/a\na<number>(x);\nb();\n';
    expect(reportsLeftByCodemod(typed, 'file.ts')).toEqual(['quiesce/b 4:1']);
    const jsx = 'const view = (\n  <div>\n    {/* eslint-disable-next-line quiesce/a */}\n    {a()}\n    // eslint-disable-next-line\n    {b()}\n  </div>\n);\n';
    // The `// …` inside the JSX element is text, not a comment.
    expect(reportsLeftByCodemod(jsx, 'file.jsx')).toEqual(['quiesce/b 6:6']);
  });
});
