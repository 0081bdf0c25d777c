/**
 * AWS shared files for a sandbox, as an operator keeps them: a profile per account (named by its
 * alias) in `config` (region us-east-1) and its keys in `credentials` (mode 0600).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Sandbox } from '@hyperpod/sandbox';

/** INI text: `[section]` then `key = value` lines, sections apart by a blank line. */
function ini(sections: [string, Record<string, string>][]): string {
  return sections
    .map(
      ([name, entries]) =>
        `[${name}]\n${Object.entries(entries)
          .map(([k, v]) => `${k} = ${v}\n`)
          .join('')}`,
    )
    .join('\n');
}

/** Writes `credentials` and `config` into `dir`; returns their paths. */
export function writeAwsProfileFiles(
  sb: Sandbox,
  dir: string,
): { credentials: string; config: string } {
  const credentials = path.join(dir, 'credentials');
  const config = path.join(dir, 'config');
  const keys = sb.accounts.map((a): [string, Record<string, string>] => [
    a.alias,
    { aws_access_key_id: a.accessKeyId, aws_secret_access_key: a.secretAccessKey },
  ]);
  writeFileSync(credentials, ini(keys), { mode: 0o600 });
  writeFileSync(
    config,
    ini(sb.accounts.map((a) => [`profile ${a.alias}`, { region: 'us-east-1' }])),
  );
  return { credentials, config };
}
