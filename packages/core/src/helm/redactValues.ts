/**
 * Helm values shown to people (reports, plans, the portal, backups listings) must not leak
 * secrets users passed with `--set`. Redaction is the default; callers opt out explicitly.
 */

export const REDACTED = '<redacted>';

export interface RedactValuesOptions {
  /** `false` returns an untouched deep copy (for `--show-secrets`-style opt-outs). Default true. */
  redact?: boolean;
  /** Replacement text. Default `<redacted>`. */
  placeholder?: string;
  /** Extra key patterns to treat as secret, tested against the key itself. */
  extraSecretKeys?: RegExp[];
  /** Dotted paths never redacted (e.g. `tlsCertificateS3Bucket`), for keys the heuristics misjudge. */
  keepPaths?: string[];
}

/**
 * Keys whose scalar values are secret. Matched on the key's words (camelCase, `-`, `_`, `.` split),
 * so `authToken` and `db-password` match but `monkey` and `tokenizer` do not, and
 * pointers to secrets (`passwordSecretName`, `tokenTTL`, `credentialsArn`) are kept. A bare `key`
 * is *not* secret (`matchExpressions[].key: kubernetes.io/arch`); `privateKey`, `apiKey`,
 * `accessKey`, `tls.key` are. Certificates are public, so `cert` words alone do not redact: a
 * certificate's ARN or bucket is needed in migration plans; PEM bodies are caught by value below.
 */
const SECRET_WORDS = new Set([
  'password',
  'passwd',
  'passphrase',
  'pwd',
  'secret',
  'secrets',
  'token',
  'tokens',
  'credential',
  'credentials',
  'creds',
  'apikey',
  'privatekey',
  'accesskey',
  'secretkey',
  'clientsecret',
  'kubeconfig',
  'dockerconfigjson',
  'connectionstring',
]);
const KEY_QUALIFIERS = new Set([
  'private',
  'access',
  'secret',
  'api',
  'signing',
  'encryption',
  'ssh',
  'client',
  'tls',
  'webhook',
  'license',
]);
/** Words that name a reference to a secret rather than the secret itself. */
const REFERENCE_WORDS = new Set([
  'name',
  'ref',
  'arn',
  'path',
  'file',
  'enabled',
  'create',
  'mount',
  'namespace',
  'ttl',
  'bucket',
]);

const PEM = /-----BEGIN [A-Z0-9 ]+-----/;
const AWS_ACCESS_KEY_ID = /^(AKIA|ASIA)[A-Z0-9]{16}$/;
const JWT = /^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const BASE64_BLOB = /^[A-Za-z0-9+/_-]{40,}={0,2}$/;

/** Returns a deep copy of `values` with secret-looking entries replaced; never mutates its input. */
export function redactValues<T>(values: T, opts: RedactValuesOptions = {}): T {
  const placeholder = opts.placeholder ?? REDACTED;
  const keep = new Set(opts.keepPaths ?? []);
  const redact = opts.redact ?? true;
  const walk = (value: unknown, path: string[], underSecretKey: boolean): unknown => {
    if (Array.isArray(value))
      return value.map((item, i) => walk(item, [...path, String(i)], underSecretKey));
    if (typeof value === 'object' && value !== null) {
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
        out[key] = walk(
          child,
          [...path, key],
          underSecretKey || (redact && isSecretKey(key, opts.extraSecretKeys)),
        );
      }
      return out;
    }
    if (!redact || keep.has(path.join('.'))) return value;
    if (value === null || value === undefined || value === '' || typeof value === 'boolean')
      return value;
    if (underSecretKey) return placeholder;
    if (typeof value === 'string' && isSecretValue(value)) return placeholder;
    return value;
  };
  return walk(values, [], false) as T;
}

/** Dotted paths `redactValues` would redact, for saying what was hidden. */
export function sensitiveValuePaths(
  values: unknown,
  opts: Omit<RedactValuesOptions, 'redact' | 'placeholder'> = {},
): string[] {
  const marker = '\u0000redacted\u0000';
  const redacted = redactValues(values, { ...opts, placeholder: marker });
  const paths: string[] = [];
  const collect = (value: unknown, path: string[]): void => {
    if (value === marker) paths.push(path.join('.'));
    else if (Array.isArray(value)) value.forEach((v, i) => collect(v, [...path, String(i)]));
    else if (typeof value === 'object' && value !== null)
      for (const [k, v] of Object.entries(value)) collect(v, [...path, k]);
  };
  collect(redacted, []);
  return paths;
}

export function isSecretKey(key: string, extra: RegExp[] = []): boolean {
  if (extra.some((re) => re.test(key))) return true;
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  if (words.length === 0) return false;
  const last = words[words.length - 1]!;
  // `passwordSecretName`, `tokenSecretRef`, `credentialsArn`: pointers to secrets, not secrets.
  if (REFERENCE_WORDS.has(last) && words.length > 1) return false;
  const joined = words.join('');
  if (SECRET_WORDS.has(joined)) return true;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (SECRET_WORDS.has(word)) return true;
    if (word === 'key' && i > 0 && KEY_QUALIFIERS.has(words[i - 1]!)) return true;
    if (i > 0 && SECRET_WORDS.has(words[i - 1]! + word)) return true;
  }
  return false;
}

export function isSecretValue(value: string): boolean {
  const trimmed = value.trim();
  if (PEM.test(trimmed)) return true;
  if (AWS_ACCESS_KEY_ID.test(trimmed) || JWT.test(trimmed)) return true;
  // Long opaque blobs (base64 keys, tokens): mixed case and digits, no separators that names,
  // ARNs, URLs or image references have (`:`, `.`, spaces).
  return (
    BASE64_BLOB.test(trimmed) &&
    /[a-z]/.test(trimmed) &&
    /[A-Z]/.test(trimmed) &&
    /[0-9]/.test(trimmed)
  );
}
