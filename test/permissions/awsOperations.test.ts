import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  AWS_OPERATIONS,
  awsActionsOf,
  PERMISSION_SETS,
  SDK_CLIENT_SERVICES,
} from '@hyperpod/core-node';

/**
 * Static half of the guarantee (the sandbox runs are the other): every SDK command a gateway
 * source names has its entry in AWS_OPERATIONS, and every IAM action those entries need is
 * granted by a shipped permission set. Adding `new sdk.FooCommand` to a gateway fails here until
 * its permission is written down.
 */
const AWS_DIR = path.join(__dirname, '../../packages/core-node/src/aws');

function commandsIn(file: string): { service: string; command: string }[] {
  const src = readFileSync(path.join(AWS_DIR, file), 'utf8');
  const client = /\b(\w+Client)\b/.exec(
    src.match(/import type \{[^}]*\b(\w+Client)\b[^}]*\} from '@aws-sdk\/client-[\w-]+'/)?.[0] ??
      '',
  )?.[1];
  const service = client ? SDK_CLIENT_SERVICES[client] : undefined;
  if (!service) throw new Error(`${file}: no known SDK client`);
  return [...src.matchAll(/sdk\.(\w+)Command\b/g)].map((m) => ({ service, command: m[1]! }));
}

describe('AWS_OPERATIONS', () => {
  const gateways = readdirSync(AWS_DIR).filter((f) => /^AwsSdk\w+Gateway\.ts$/.test(f));
  const sent = gateways.flatMap(commandsIn).map((c) => `${c.service}:${c.command}`);

  it('reads the commands of all seven gateways', () => {
    expect(gateways).toHaveLength(7);
    expect(sent).toEqual(
      expect.arrayContaining(['eks:CreateAddon', 'iam:GetRole', 's3:HeadBucket']),
    );
  });

  it('names every command a gateway sends', () => {
    expect(sent.filter((k) => !(k in AWS_OPERATIONS))).toEqual([]);
  });

  it('has no entry for a command no gateway sends', () => {
    expect(Object.keys(AWS_OPERATIONS).filter((k) => !sent.includes(k))).toEqual([]);
  });

  it('grants only IAM actions some gateway command needs (no typos, no leftovers)', () => {
    const needed = new Set(sent.flatMap((k) => AWS_OPERATIONS[k] ?? []));
    const shipped = Object.values(PERMISSION_SETS).filter((s) => !s.planned);
    const granted = [...awsActionsOf(shipped.map((s) => s.id))];
    expect(granted.filter((a) => !needed.has(a))).toEqual([]);
  });
});
