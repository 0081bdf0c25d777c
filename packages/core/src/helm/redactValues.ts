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

/**
 * Secrets inside longer text, each as [pattern, replacement]: what stays readable (a URL's scheme,
 * user and host, a header's scheme) is kept, only the secret part becomes the placeholder (`$P`).
 */
const IN_TEXT: [RegExp, string][] = [
  // PEM blocks (private keys, certificates: whole blocks, as a careless paste carries both).
  [/-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(-----END [A-Z0-9 ]+-----|$)/g, '$P'],
  // Credentials in URLs: scheme://user:password@host → scheme://user:$P@host.
  [/\b([a-z][a-z0-9+.-]*:\/\/)([^\s/:@"']*):([^\s/@"']+)@/gi, '$1$2:$P@'],
  // Webhook URLs whose path is the secret (Slack, Discord, Teams, Zapier, PagerDuty, Mattermost).
  [/\b(https?:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/)[^\s"'<>]+/gi, '$1$P'],
  [/\b(https?:\/\/(?:[\w-]+\.)?discord(?:app)?\.com\/api\/webhooks\/)[^\s"'<>]+/gi, '$1$P'],
  [/\b(https?:\/\/[\w.-]*\.webhook\.office\.com\/)[^\s"'<>]+/gi, '$1$P'],
  [/\b(https?:\/\/[\w.-]*\.logic\.azure\.com[:\d]*\/)[^\s"'<>]+/gi, '$1$P'],
  [/\b(https?:\/\/hooks\.zapier\.com\/hooks\/)[^\s"'<>]+/gi, '$1$P'],
  [/\b(https?:\/\/events\.pagerduty\.com\/integration\/)[^\s"'<>/]+/gi, '$1$P'],
  [/\b(https?:\/\/[\w.-]+\/hooks\/)([a-z0-9]{20,})\b/gi, '$1$P'],
  // Secrets in query strings (?token=, &sig=, X-Amz-Signature=, api_key=...).
  [
    /([?&](?:[\w.-]*(?:token|secret|password|passwd|pwd|signature|sig|api[_-]?key|apikey|access[_-]?key|auth|key|code|credential)[\w.-]*)=)[^&#\s"']+/gi,
    '$1$P',
  ],
  // Authorization header values: Bearer / Basic / token <secret>.
  [/\b(Bearer|Basic|Token|Digest|Negotiate)(\s+)[A-Za-z0-9._~+/=-]{8,}/g, '$1$2$P'],
  // Well-known token shapes, wherever they stand.
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, '$P'],
  [/\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, '$P'],
  [/\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}\b/g, '$P'],
  [/\bgithub_pat_[A-Za-z0-9_]{40,}\b/g, '$P'],
  [/\bglpat-[A-Za-z0-9_-]{20,}\b/g, '$P'],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g, '$P'],
  [/\bxapp-\d-[A-Za-z0-9-]{10,}\b/g, '$P'],
  [/\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}\b/g, '$P'],
  [/\bsk-(?:proj-|ant-api\d\d-)?[A-Za-z0-9_-]{20,}\b/g, '$P'],
  [/\bAIza[0-9A-Za-z_-]{35}\b/g, '$P'],
  [/\bhf_[A-Za-z0-9]{30,}\b/g, '$P'],
  [/\bnpm_[A-Za-z0-9]{36}\b/g, '$P'],
  [/\bpypi-[A-Za-z0-9_-]{50,}\b/g, '$P'],
  [/\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}\b/g, '$P'],
  [/\bdop_v1_[a-f0-9]{64}\b/g, '$P'],
  [/\bshp(?:at|ss|ca|pa)_[a-fA-F0-9]{32}\b/g, '$P'],
  [/\bglsa_[A-Za-z0-9_]{32,}\b/g, '$P'],
  [/\bNRAK-[A-Z0-9]{27}\b/g, '$P'],
  // key=value / key: value pairs inside text (command lines, env strings, DSNs).
  [
    /([\w.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key))(\s*[=:]\s*)(?!\$P)("[^"]*"|'[^']*'|[^\s;,&"'}]+)/gi,
    '$1$2$P',
  ],
];

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
    if (typeof value === 'string') return redactText(value, placeholder);
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
    if (typeof value === 'string' && value.includes(marker)) paths.push(path.join('.'));
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

/** Whether the whole value is a secret (then nothing of it is shown). */
export function isSecretValue(value: string): boolean {
  const trimmed = value.trim();
  if (PEM.test(trimmed)) return true;
  if (AWS_ACCESS_KEY_ID.test(trimmed) || JWT.test(trimmed)) return true;
  return isHighEntropyToken(trimmed);
}

/**
 * `text` with the secrets inside it replaced, the rest kept readable: credentials in URLs, webhook
 * URLs' secret paths, secret query parameters, Authorization header values, well-known token
 * shapes, `password=…`-style pairs, PEM blocks; a value that is all secret is replaced whole.
 * For log lines, error messages and every other string shown to people.
 */
export function redactText(text: string, placeholder: string = REDACTED): string {
  if (text.length > 0 && isSecretValue(text)) return placeholder;
  let out = text;
  for (const [re, replacement] of IN_TEXT)
    out = out.replace(re, replacement.replace(/\$P/g, placeholder.replace(/\$/g, '$$$$')));
  return out;
}

function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / s.length) * Math.log2(n / s.length);
  return h;
}

/**
 * A long opaque token (API keys, passwords, base64 keys): one word of token characters with the
 * randomness of generated secrets. Identifiers stay readable: anything with `:` or spaces (ARNs,
 * URLs, image references, sentences), versions, paths, DNS-style names, and hex-only strings
 * (digests, commit SHAs, UUIDs, which are ids; a hex key is caught by its key's name).
 */
function isHighEntropyToken(t: string): boolean {
  if (t.length < 16 || t.length > 8192) return false;
  if (!/^[A-Za-z0-9+/=_~.!@#$%^&*()-]+$/.test(t)) return false;
  if (/^[0-9a-fA-F-]+$/.test(t)) return false;
  if (/^v?\d+(\.\d+)+/.test(t) || t.startsWith('/') || t.startsWith('.')) return false;
  // Names made of words: every separated part is a lower-case word or a number (bucket names,
  // DNS names, role names, `hyperpod-tls-111122223333`).
  const parts = t.split(/[-_./]/);
  const wordLike = parts.filter((part) => /^([a-z]{0,12}|\d+|[a-z]+\d{1,4})$/.test(part));
  if (wordLike.length === parts.length) return false;
  // Generated names with one random part among words (`coredns-5d78c9869d-x2x4k`, run ids
  // `<cluster>-<date>-<time>-<random>`): ids, not secrets.
  if (parts.length >= 3 && wordLike.length * 2 >= parts.length) return false;
  // key=value text is left to the pair patterns (base64 padding only ends a token).
  if (/=[^=]/.test(t)) return false;
  // Words and numbers (`meta-llama/Llama-3.1-8B-Instruct`, `HyperPodClusterV2Config`): generated
  // secrets have few runs of three or more letters that read like words.
  const words = (t.match(/[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+/g) ?? []).filter((w) =>
    /^[A-Z]?[a-z]{2,}$/.test(w),
  );
  const wordy = words.join('').length / t.length >= 0.6;
  const upper = (t.match(/[A-Z]/g) ?? []).length;
  const lower = (t.match(/[a-z]/g) ?? []).length;
  const digits = (t.match(/[0-9]/g) ?? []).length;
  const h = entropy(t);
  if (upper >= 2 && lower >= 2 && !wordy) {
    if (digits >= 2 && h >= 3.7) return true;
    if (t.length >= 20 && upper >= 3 && lower >= 3 && h >= 3.5) return true;
  }
  if (t.length >= 24 && digits >= 4 && (lower >= 4 || upper >= 4) && h >= 4)
    return !(upper > 0 && wordy);
  return false;
}
