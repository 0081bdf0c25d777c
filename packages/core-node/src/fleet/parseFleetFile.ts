/**
 * The fleet file: clusters named one by one, and accounts/regions to discover clusters in.
 *
 * ```yaml
 * clusters:
 *   - name: ml-prod-use1
 *     accountId: "111111111111"
 *     region: us-east-1
 *     roleArn: arn:aws:iam::111111111111:role/HyperPodReader
 *     labels: { team: ml-platform }
 *     addons:                      # declared configuration: drift is reported against it
 *       amazon-sagemaker-hyperpod-inference:
 *         configurationValues: { tlsCertificateS3Bucket: hyperpod-tls-prod }
 * discover:
 *   - accountId: "222222222222"
 *     roleArn: arn:aws:iam::222222222222:role/HyperPodReader
 *     regions: [us-east-1, us-west-2]
 * ```
 *
 * Validated with a JSON Schema; every problem is reported with its path, and region names are
 * checked against the real AWS regions.
 */
import { readFile } from 'node:fs/promises';
import type { ClusterTarget } from '@hyperpod/core';
import Ajv, { type ErrorObject } from 'ajv';
import { parseDocument } from 'yaml';
import { EKS_ADDON_NAME, isAwsRegion } from '@hyperpod/core';
import { FleetFileError } from './FleetSourceError';

export interface DiscoverEntry {
  accountId?: string;
  roleArn?: string;
  profile?: string;
  regions: string[];
  labels?: Record<string, string>;
}

export interface FleetFile {
  clusters: ClusterTarget[];
  discover: DiscoverEntry[];
}

const REGION_PATTERN = '^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\\d+$';
const ACCOUNT_PATTERN = '^\\d{12}$';
const ROLE_PATTERN = '^arn:aws[a-z-]*:iam::\\d{12}:role/.+$';
const labels = { type: 'object', additionalProperties: { type: 'string' } };

export const FLEET_FILE_SCHEMA = {
  $id: 'https://hyperpod.dev/schemas/fleet-file.json',
  type: 'object',
  additionalProperties: false,
  properties: {
    clusters: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'region'],
        properties: {
          name: { type: 'string', pattern: '^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$' },
          accountId: { type: 'string', pattern: ACCOUNT_PATTERN },
          region: { type: 'string', pattern: REGION_PATTERN },
          roleArn: { type: 'string', pattern: ROLE_PATTERN },
          profile: { type: 'string', minLength: 1 },
          context: { type: 'string', minLength: 1 },
          labels,
          addons: {
            type: 'object',
            propertyNames: { pattern: EKS_ADDON_NAME.pattern.source },
            additionalProperties: {
              type: 'object',
              additionalProperties: false,
              required: ['configurationValues'],
              properties: { configurationValues: { type: 'object' } },
            },
          },
        },
      },
    },
    discover: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['regions'],
        properties: {
          accountId: { type: 'string', pattern: ACCOUNT_PATTERN },
          roleArn: { type: 'string', pattern: ROLE_PATTERN },
          profile: { type: 'string', minLength: 1 },
          regions: {
            type: 'array',
            minItems: 1,
            items: { type: 'string', pattern: REGION_PATTERN },
          },
          labels,
        },
      },
    },
  },
} as const;

/** `/clusters/2/region` → `clusters[2].region`. */
function dotted(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((out, p) => (/^\d+$/.test(p) ? `${out}[${p}]` : out ? `${out}.${p}` : p), '');
}

function explain(e: ErrorObject): string {
  const path = dotted(e.instancePath);
  const field =
    path
      .split('.')
      .pop()
      ?.replace(/\[\d+\]$/, '') ?? '';
  const at = (p: string) => (p ? `${p}: ` : '');
  // Under `addons`, a key that is not an add-on name (ajv reports the key as propertyName).
  if (e.propertyName !== undefined) {
    return `${at(path)}${e.propertyName} is not an EKS add-on name (lowercase letters, digits, '.', '_' and '-')`;
  }
  switch (e.keyword) {
    case 'required':
      return `${at(path)}missing ${String((e.params as { missingProperty: string }).missingProperty)}`;
    case 'additionalProperties':
      return `${at(path)}unknown key ${String((e.params as { additionalProperty: string }).additionalProperty)}`;
    case 'pattern':
      if (field === 'region' || /regions\[\d+\]$/.test(path))
        return `${at(path)}must be an AWS region name like us-east-1`;
      if (field === 'accountId') return `${at(path)}must be a 12-digit AWS account id`;
      if (field === 'roleArn')
        return `${at(path)}must be an IAM role ARN like arn:aws:iam::111111111111:role/Name`;
      if (field === 'name')
        return `${at(path)}must be an EKS cluster name (letters, digits, - and _, up to 100)`;
      return `${at(path)}${e.message ?? 'is invalid'}`;
    case 'type':
      if (field === 'accountId')
        return `${at(path)}must be a string: quote the account id in YAML ("012345678901") so leading zeros survive`;
      return `${at(path)}must be ${{ array: 'a list', object: 'a mapping', string: 'a string' }[String((e.params as { type: string }).type)] ?? String((e.params as { type: string }).type)}`;
    default:
      return `${at(path)}${e.message ?? 'is invalid'}`;
  }
}

let validator: ReturnType<Ajv['compile']> | undefined;

/** Parses and validates fleet file text; throws FleetFileError listing every problem. */
export function parseFleetFile(text: string, fileName = 'fleet.yaml'): FleetFile {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    throw new FleetFileError(
      fileName,
      doc.errors.map((e) => `${fileName}: ${e.message.split('\n')[0]}`),
    );
  }
  let data: unknown;
  try {
    // An alias to no anchor (`*x`) parses, and fails only here.
    data = doc.toJS() ?? {};
  } catch (e) {
    throw new FleetFileError(fileName, [`${fileName}: ${(e as Error).message.split('\n')[0]}`]);
  }
  validator ??= new Ajv({ allErrors: true, strict: true }).compile(FLEET_FILE_SCHEMA);
  const problems: string[] = [];
  if (!validator(data))
    problems.push(
      ...(validator.errors ?? [])
        // The propertyNames summary repeats the pattern error that names the key.
        .filter((e) => e.keyword !== 'propertyNames')
        .map((e) => `${fileName}: ${explain(e)}`),
    );
  type FleetFileCluster = ClusterTarget & {
    addons?: Record<string, { configurationValues: unknown }>;
  };
  const file = data as { clusters?: FleetFileCluster[]; discover?: DiscoverEntry[] };
  // Well-formed but not a region that exists: an error, not a region with no clusters.
  (Array.isArray(file.clusters) ? file.clusters : []).forEach((c, i) => {
    if (
      typeof c?.region === 'string' &&
      new RegExp(REGION_PATTERN).test(c.region) &&
      !isAwsRegion(c.region)
    ) {
      problems.push(`${fileName}: clusters[${i}].region: ${c.region} is not an AWS region`);
    }
  });
  (Array.isArray(file.discover) ? file.discover : []).forEach((d, i) => {
    (Array.isArray(d?.regions) ? d.regions : []).forEach((r, j) => {
      if (typeof r === 'string' && new RegExp(REGION_PATTERN).test(r) && !isAwsRegion(r))
        problems.push(`${fileName}: discover[${i}].regions[${j}]: ${r} is not an AWS region`);
    });
  });
  (Array.isArray(file.clusters) ? file.clusters : []).forEach((c, i) => {
    if (!c || typeof c !== 'object') return;
    const arnAccount = c.roleArn ? /::(\d{12}):/.exec(c.roleArn)?.[1] : undefined;
    if (arnAccount && c.accountId && arnAccount !== c.accountId) {
      problems.push(
        `${fileName}: clusters[${i}].roleArn: role is in account ${arnAccount}, the cluster in ${c.accountId}`,
      );
    }
  });
  if (problems.length > 0) throw new FleetFileError(fileName, problems);
  const clusters = (file.clusters ?? []).map(({ addons, ...c }) => ({
    ...c,
    accountId: c.accountId ?? (c.roleArn ? /::(\d{12}):/.exec(c.roleArn)?.[1] : undefined),
    declared: addons
      ? Object.fromEntries(Object.entries(addons).map(([name, a]) => [name, a.configurationValues]))
      : undefined,
  }));
  return {
    clusters: clusters.map(
      (c) =>
        Object.fromEntries(
          Object.entries(c).filter(([, v]) => v !== undefined),
        ) as unknown as ClusterTarget,
    ),
    discover: file.discover ?? [],
  };
}

export async function loadFleetFile(path: string): Promise<FleetFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new FleetFileError(path, [
      code === 'EISDIR'
        ? `${path}: is a directory, not a fleet file`
        : code === 'ENOENT'
          ? `${path}: no such file`
          : `${path}: cannot read the fleet file: ${(error as Error).message}`,
    ]);
  }
  return parseFleetFile(text, path);
}
