import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import plugin, { rules } from '../src/index.js';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const requiredSections = ['Why it matters at shutdown', 'Incorrect code', 'Correct code', 'Options', 'When not to use it'];

/** Rule ids turned on by any of the plugin's configs. */
function rulesInConfigs(): Set<string> {
  const enabled = new Set<string>();
  for (const config of Object.values(plugin.configs).flat()) {
    for (const [id, level] of Object.entries(config.rules ?? {})) {
      if (level !== 'off' && level !== 0) enabled.add(id.replace(/^@?quiesce\//, ''));
    }
  }
  return enabled;
}

describe('rule docs', () => {
  const enabled = rulesInConfigs();

  for (const [name, rule] of Object.entries(rules)) {
    describe(name, () => {
      const docPath = path.join(packageDir, 'docs', 'rules', `${name}.md`);

      it('has a doc', () => {
        expect(existsSync(docPath), `docs/rules/${name}.md is missing`).toBe(true);
      });

      it('has every section', () => {
        const headings = readFileSync(docPath, 'utf8')
          .split('\n')
          .filter((line) => line.startsWith('## '))
          .map((line) => line.slice(3).trim());
        for (const section of requiredSections) expect(headings, `docs/rules/${name}.md lacks "## ${section}"`).toContain(section);
      });

      it('is in a config or documented as opt-in', () => {
        const doc = readFileSync(docPath, 'utf8');
        if (!enabled.has(name)) {
          expect(rule.meta.docs?.recommended, `${name} is in no config: mark it opt-in`).toBe('opt-in');
          expect(doc, `docs/rules/${name}.md must say the rule is opt-in`).toMatch(/\bopt-in\b/i);
        } else {
          expect(rule.meta.docs?.recommended).toBe('recommended');
        }
      });

      it('links to its doc', () => {
        expect(rule.meta.docs?.url).toMatch(new RegExp(`/docs/rules/${name}\\.md$`));
      });
    });
  }

  it('documents no rule that does not exist', async () => {
    const { readdirSync } = await import('node:fs');
    const documented = readdirSync(path.join(packageDir, 'docs', 'rules')).map((file) => file.replace(/\.md$/, ''));
    expect(documented.sort()).toEqual(Object.keys(rules).sort());
  });

  it('lists every rule in the report contract and the README', () => {
    const contract = readFileSync(path.join(packageDir, 'docs', 'report-contract.md'), 'utf8');
    const readme = readFileSync(path.join(packageDir, 'README.md'), 'utf8');
    for (const name of Object.keys(rules)) {
      expect(contract).toContain(`quiesce/${name}`);
      expect(readme).toContain(`quiesce/${name}`);
    }
  });
});

describe('plugin object', () => {
  it('has meta with name, version and namespace', () => {
    const manifest = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { name: string; version: string };
    expect(plugin.meta).toEqual({ name: manifest.name, version: manifest.version, namespace: 'quiesce' });
  });

  it('has the flat configs, each an array, under plain names and camelCase aliases, and eslintrc configs under legacy-', () => {
    expect(Object.keys(plugin.configs).sort()).toEqual([
      'disable-type-checked',
      'disableTypeChecked',
      'legacy-disable-type-checked',
      'legacy-recommended',
      'legacy-recommended-type-checked',
      'recommended',
      'recommended-type-checked',
      'recommendedTypeChecked',
    ]);
    for (const name of ['recommended', 'recommended-type-checked', 'disable-type-checked'] as const) {
      expect(Array.isArray(plugin.configs[name]), name).toBe(true);
    }
    expect(plugin.configs.recommendedTypeChecked).toBe(plugin.configs['recommended-type-checked']);
    expect(plugin.configs.disableTypeChecked).toBe(plugin.configs['disable-type-checked']);
    for (const name of ['legacy-recommended', 'legacy-recommended-type-checked', 'legacy-disable-type-checked'] as const) {
      expect(Array.isArray(plugin.configs[name]), name).toBe(false);
    }
    expect(plugin.configs['legacy-recommended'].plugins).toEqual(['@quiesce']);
  });
});
