/**
 * The AWS profiles a `--profile` can name, read the way the AWS CLI and SDK find them: sections of
 * the config file (`[profile NAME]`, `[default]`) and of the credentials file (`[NAME]`), at
 * $AWS_CONFIG_FILE / $AWS_SHARED_CREDENTIALS_FILE or under ~/.aws. A name in neither is a typo to
 * report before any call, not an access error after one.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

export interface AwsProfileFiles {
  config: string;
  credentials: string;
}

export function awsProfileFiles(env: NodeJS.ProcessEnv = process.env): AwsProfileFiles {
  const home = env['HOME'] ?? homedir();
  return {
    config: env['AWS_CONFIG_FILE'] ?? path.join(home, '.aws', 'config'),
    credentials: env['AWS_SHARED_CREDENTIALS_FILE'] ?? path.join(home, '.aws', 'credentials'),
  };
}

/** Every profile name either file defines, in file order, without repeats. */
export function knownAwsProfiles(files: AwsProfileFiles): string[] {
  const names: string[] = [];
  for (const [file, prefixed] of [
    [files.config, true],
    [files.credentials, false],
  ] as const) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const m of text.matchAll(/^\s*\[([^\]]+)\]\s*$/gm)) {
      const section = m[1]!.trim();
      // In the config file only `default` goes without `profile `; `sso-session X` is no profile.
      const name = prefixed
        ? section === 'default'
          ? 'default'
          : /^profile\s+(.+)$/.exec(section)?.[1]?.trim()
        : section;
      if (name && !names.includes(name)) names.push(name);
    }
  }
  return names;
}
