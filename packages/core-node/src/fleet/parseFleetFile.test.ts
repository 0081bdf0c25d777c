import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { FleetFileError } from './FleetSourceError';
import { loadFleetFile, parseFleetFile } from './parseFleetFile';

/** What the loader may do with any document: return a fleet, or refuse it with its problems. */
function outcome(text: string): 'ok' | string[] {
  try {
    parseFleetFile(text, 'fleet.yaml');
    return 'ok';
  } catch (e) {
    if (e instanceof FleetFileError) return e.problems;
    throw e;
  }
}

/** Any YAML value, of the kinds a hand-edited file holds. */
const value = fc.letrec((tie) => ({
  any: fc.oneof(
    { maxDepth: 3 },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.string({ maxLength: 8 }),
    fc.constantFrom(
      'ml-prod-use1',
      'us-east-1',
      '111111111111',
      'arn:aws:iam::111111111111:role/R',
    ),
    fc.array(tie('any'), { maxLength: 3 }),
    fc.dictionary(
      fc.constantFrom(
        'name',
        'region',
        'accountId',
        'roleArn',
        'profile',
        'context',
        'labels',
        'addons',
        'regions',
        'x',
      ),
      tie('any'),
      { maxKeys: 4 },
    ),
  ),
})).any;

/** A fleet file with the right keys and wrong shapes under them (a map where a list goes, ...). */
const fleetDocument = fc.record({ clusters: value, discover: value }, { requiredKeys: [] });

describe('parseFleetFile on structurally wrong documents', () => {
  it('`clusters:` as a map is a problem naming the key, not a crash', () => {
    const problems = outcome('clusters:\n  ml-prod-use1:\n    region: us-east-1\n');
    expect(problems).toEqual(['fleet.yaml: clusters: must be a list']);
  });

  it('any document: a fleet or a FleetFileError whose every problem names the file, never a TypeError', () => {
    fc.assert(
      fc.property(fc.oneof(fleetDocument, value), (doc) => {
        const r = outcome(stringify(doc));
        if (r !== 'ok') {
          expect(r.length).toBeGreaterThan(0);
          for (const p of r) expect(p).toMatch(/^fleet\.yaml: /);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('any text: never anything but a FleetFileError', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        outcome(text);
      }),
      { numRuns: 500 },
    );
  });

  it('a directory or a missing path is a FleetFileError saying so', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fleet-dir-'));
    mkdirSync(path.join(dir, 'fleet.yaml'));
    await expect(loadFleetFile(path.join(dir, 'fleet.yaml'))).rejects.toMatchObject({
      problems: [`${path.join(dir, 'fleet.yaml')}: is a directory, not a fleet file`],
    });
    await expect(loadFleetFile(path.join(dir, 'nope.yaml'))).rejects.toBeInstanceOf(FleetFileError);
  });
});
