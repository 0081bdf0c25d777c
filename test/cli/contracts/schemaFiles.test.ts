/**
 * The shipped schemas (cli/schemas/*.schema.json) are what the TypeScript types generate, every
 * command with `-o json|yaml` has one, and the CLI package ships them. After changing an output
 * type: `UPDATE_SCHEMAS=1 npx jest test/cli/contracts/schemaFiles.test.ts`, and review the diff
 * (a removed or narrowed field is a breaking change: a major version).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MIGRATION_PLAN_JSON_SCHEMA } from '@hyperpod/core';
import { batchReport, prodReport, unreachableReport } from '../fixtures/reports';
import { ROOT } from '../support/runCli';
import { generateSchemaTexts } from './generateSchemas';
import { OUTPUT_CONTRACTS, SCHEMA_DIR, schemaPath } from './outputContracts';
import { schemaErrors } from './validateOutput';

const manifest = JSON.parse(
  readFileSync(path.join(ROOT, 'cli', 'oclif.manifest.json'), 'utf8'),
) as {
  commands: Record<string, { flags: Record<string, { options?: string[] }> }>;
};

describe('cli/schemas', () => {
  it('are generated from the output types (UPDATE_SCHEMAS=1 rewrites them)', () => {
    const generated = generateSchemaTexts();
    if (process.env.UPDATE_SCHEMAS === '1')
      for (const [file, text] of generated) writeFileSync(schemaPath(file), text);
    const stale = [...generated]
      .filter(([file, text]) => {
        try {
          return readFileSync(schemaPath(file), 'utf8') !== text;
        } catch {
          return true;
        }
      })
      .map(([file]) => `${file}.schema.json`);
    expect(stale).toEqual([]);
    // Nothing else in the folder: a schema of an output that no longer exists would mislead.
    expect(readdirSync(SCHEMA_DIR).sort()).toEqual(
      OUTPUT_CONTRACTS.map((c) => `${c.file}.schema.json`).sort(),
    );
  }, 120_000);

  it('are strict: an object with named properties is closed, unless its type has an index signature (a Kubernetes object)', () => {
    for (const c of OUTPUT_CONTRACTS) {
      const open: string[] = [];
      const walk = (node: unknown, at: string): void => {
        if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${at}/${i}`));
        if (node === null || typeof node !== 'object') return;
        const s = node as Record<string, unknown>;
        // `additionalProperties: {}` is an index signature, written on purpose; absent is an oversight.
        const extra = s.additionalProperties;
        if (
          s.type === 'object' &&
          s.properties !== undefined &&
          (extra === undefined || extra === true)
        )
          open.push(at);
        for (const [k, v] of Object.entries(s)) walk(v, `${at}/${k}`);
      };
      walk(JSON.parse(readFileSync(schemaPath(c.file), 'utf8')), c.file);
      expect(open).toEqual([]);
    }
  });

  it('accept a real output and refuse one with a field added, a required one missing or a value outside its enum', () => {
    const reports = [prodReport, batchReport, unreachableReport];
    expect(schemaErrors('cluster-reports', reports)).toEqual([]);
    expect(schemaErrors('cluster-reports', [{ ...prodReport, extra: 1 }])).toEqual([
      expect.stringMatching(/^\/0 must NOT have additional properties .*"extra"/),
    ]);
    const { health: _health, ...noHealth } = prodReport;
    expect(schemaErrors('cluster-reports', [noHealth])).toEqual([
      expect.stringMatching(/^\/0 must have required property 'health'/),
    ]);
    expect(schemaErrors('cluster-reports', [{ ...prodReport, health: 'Fine' }])).toEqual([
      expect.stringMatching(/^\/0\/health must be equal to one of the allowed values/),
    ]);
  });

  it('cover every command that takes -o json or -o yaml', () => {
    const withData = Object.entries(manifest.commands)
      .filter(([, cmd]) => cmd.flags.output?.options?.some((o) => o === 'json' || o === 'yaml'))
      .map(([id]) => id)
      .sort();
    expect(withData.length).toBeGreaterThan(10);
    const covered = new Set(OUTPUT_CONTRACTS.flatMap((c) => c.commands.map((x) => x.id)));
    expect([...covered].sort()).toEqual(withData);
  });

  it('ship in the kubectl-hyperpod package', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'cli', 'package.json'), 'utf8')) as {
      files: string[];
    };
    expect(pkg.files).toContain('schemas');
  });

  it('the migration plan schema requires what the core checks a stored plan for', () => {
    const file = JSON.parse(readFileSync(schemaPath('migration-plan'), 'utf8')) as {
      $ref: string;
      definitions: Record<string, { required: string[]; properties: Record<string, unknown> }>;
    };
    const shipped = file.definitions[file.$ref.replace('#/definitions/', '')]!;
    // Same top-level fields and required set as MIGRATION_PLAN_JSON_SCHEMA (written by hand).
    expect([...shipped.required].sort()).toEqual([...MIGRATION_PLAN_JSON_SCHEMA.required].sort());
    expect(Object.keys(shipped.properties).sort()).toEqual(
      Object.keys(MIGRATION_PLAN_JSON_SCHEMA.properties).sort(),
    );
  });
});
