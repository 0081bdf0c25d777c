/**
 * Generates the JSON Schema (draft-07, the draft the core's ajv validates) of every `-o json|yaml`
 * output from its TypeScript type: required fields from non-optional properties, closed objects
 * (`additionalProperties: false`), enums from literal unions, descriptions from the doc comments.
 */
import path from 'node:path';
import { createGenerator } from 'ts-json-schema-generator';
import { ROOT } from '../support/runCli';
import { OUTPUT_CONTRACTS, type OutputContract } from './outputContracts';

/** The schema of every contract, by file name, as the text the file holds. */
export function generateSchemaTexts(): Map<string, string> {
  const generator = createGenerator({
    path: path.join(__dirname, 'outputTypes.ts'),
    tsconfig: path.join(ROOT, 'tsconfig.tests.json'),
    // `npx tsc -p tsconfig.tests.json` checks the types; here they are only read.
    skipTypeCheck: true,
    expose: 'export',
    topRef: false,
    jsDoc: 'extended',
    additionalProperties: false,
    sortProps: true,
  });
  const out = new Map<string, string>();
  for (const c of OUTPUT_CONTRACTS) {
    out.set(
      c.file,
      `${JSON.stringify(withHeader(c, generator.createSchema(c.type)), undefined, 2)}\n`,
    );
  }
  return out;
}

function withHeader(c: OutputContract, schema: object): object {
  const { $schema, ...rest } = schema as { $schema?: string };
  return {
    $schema,
    title: c.title,
    $comment:
      'Generated from the TypeScript type the command prints (test/cli/contracts/outputTypes.ts); do not edit. A breaking change to it is a major version of kubectl-hyperpod.',
    ...rest,
  };
}
