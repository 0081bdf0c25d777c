/**
 * What the `requests` commands share (RequestsCommand: the backend URL, the token, the client,
 * request ids and the advice for each refusal): `kubectl hyperpod requests` takes the portal's
 * upgrade requests to the terminal, against a Backstage backend with the hyperpod plugin.
 */
import { readFileSync } from 'node:fs';
import { Args, Flags, type Command } from '@oclif/core';
import { CLUSTER_REF, type UpgradeRequest } from '@hyperpod/core';
import { BaseCommand, CLUSTER_SELECTION_FLAGS, FLEET_SCAN_FLAGS, flagGiven } from '../BaseCommand';
import { configError, usageError } from '../CliError';
import { CommandLine } from '../CommandLine';
import { formatRequest } from '../format/formatRequests';
import {
  cleanToken,
  EXAMPLE_BACKEND_URL,
  isLoopback,
  PortalClient,
  portalApiUrl,
  portalCliError,
  PortalError,
  type PortalErrorAdvice,
} from '../portalClient';

/** A request id as the API takes it. */
export const REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The start of one, as the table shows it (8 characters) or longer; 4 at least. */
const REQUEST_ID_PREFIX = /^[0-9a-f][0-9a-f-]{3,34}$/i;
/** How many requests the API returns at most, and what short ids are looked up among. */
export const MAX_LIST = 500;

/**
 * BaseCommand's flags that choose or scan clusters through kubeconfig and AWS: meaningless here.
 * `--cluster` is apart: the commands that name a cluster take it.
 */
const CLUSTER_SELECTION = [
  ...CLUSTER_SELECTION_FLAGS.filter((n) => n !== 'cluster'),
  ...FLEET_SCAN_FLAGS,
] as const;

/**
 * The base flags with the cluster-selection ones hidden from help. BaseCommand still parses them,
 * so one given by habit (`--context`) gets an error that says why, not "nonexistent flag".
 * `--cluster` stays (with `clusterSummary`) for the commands that take one: it is BaseCommand's
 * repeatable flag, redefined here rather than in a command's flags, where oclif's flag types
 * would not infer a key defined twice.
 */
export function portalBaseFlags(clusterSummary?: string): typeof BaseCommand.baseFlags {
  const base = BaseCommand.baseFlags;
  const out: Record<string, unknown> = { ...base };
  for (const name of CLUSTER_SELECTION) out[name] = { ...base[name], hidden: true };
  out.cluster =
    clusterSummary === undefined
      ? { ...base.cluster, hidden: true }
      : { ...base.cluster, summary: clusterSummary, helpValue: 'NAME|ARN', helpGroup: undefined };
  return out as typeof BaseCommand.baseFlags;
}

/** Where the portal is and who is asking; shared by every `requests` command. */
export const PORTAL_FLAGS = {
  'backend-url': Flags.string({
    summary: 'The Backstage backend serving the hyperpod plugin, e.g. http://localhost:7007.',
    env: 'HYPERPOD_BACKEND_URL',
    helpValue: 'URL',
    helpGroup: 'PORTAL',
  }),
  'token-file': Flags.string({
    summary:
      'File holding a Backstage user token, `-` for stdin (default: the token in $BACKSTAGE_TOKEN). There is no --token flag: a token on the command line lands in shell history and in ps.',
    helpValue: 'PATH',
    helpGroup: 'PORTAL',
  }),
  timeout: Flags.string({
    summary: 'Time allowed for each call to the backend, e.g. 30s, 2m.',
    default: '30s',
    helpGroup: 'PORTAL',
  }),
};

export const PORTAL_HELP = `The portal is the Backstage backend at --backend-url or $HYPERPOD_BACKEND_URL (the backend, e.g. http://localhost:7007, not the app); the caller is the Backstage user whose token is in $BACKSTAGE_TOKEN or the file --token-file names. The token is never printed.`;

/** What the `requests` commands share. */
export abstract class RequestsCommand<T extends typeof Command> extends BaseCommand<T> {
  static override baseFlags = portalBaseFlags();

  private connection?: { client: PortalClient; tokenSource: string; token: string };

  override async init(): Promise<void> {
    await super.init();
    const takesCluster = !(this.ctor.baseFlags as { cluster?: { hidden?: boolean } }).cluster
      ?.hidden;
    for (const name of [...CLUSTER_SELECTION, 'cluster' as const]) {
      if (name === 'cluster' && takesCluster) continue;
      const char = (BaseCommand.baseFlags[name] as { char?: string }).char;
      if (!flagGiven(this.argv, name, char)) continue;
      throw usageError(
        `${this.commandLine.bin} ${this.id?.split(':').join(' ')} talks to the portal, not to clusters: --${name} has no meaning here`,
        this.commandLine.with({ [name]: undefined }),
      );
    }
  }

  /** The bin and topic, for suggested commands: `kubectl hyperpod requests`. */
  protected get requestsCommand(): string {
    return `${this.commandLine.bin} requests`;
  }

  /** The client for --backend-url and the token, or a configuration error naming the fix. */
  protected portal(): { client: PortalClient; tokenSource: string; token: string } {
    if (this.connection) return this.connection;
    const raw = (this.flags as { 'backend-url'?: string })['backend-url'];
    if (raw === undefined || raw.trim() === '')
      throw configError(
        'no portal backend: set HYPERPOD_BACKEND_URL or pass --backend-url',
        `export HYPERPOD_BACKEND_URL=${EXAMPLE_BACKEND_URL}  # the Backstage backend with the hyperpod plugin; then: ${this.commandLine.toString()}`,
      );
    const apiUrl = portalApiUrl(raw.trim(), (v) => this.commandLine.with({ 'backend-url': v }));
    const backend = apiUrl.origin;
    const { token, source } = this.readToken(backend);
    if (apiUrl.protocol === 'http:' && !isLoopback(apiUrl))
      this.warning(
        `the token goes to ${apiUrl.host} over plain http: use https beyond this machine`,
      );
    this.connection = {
      client: new PortalClient({ apiUrl, token, timeoutMs: this.timeoutMs }),
      tokenSource: source,
      token,
    };
    return this.connection;
  }

  /**
   * `--token-file` (or stdin), else BACKSTAGE_TOKEN. Messages name the source, never the token.
   * Not named `token`: oclif's parser sets `this.token` on the command (the word it is parsing).
   */
  private readToken(backend: string): { token: string; source: string } {
    const file = (this.flags as { 'token-file'?: string })['token-file'];
    const login = `backstage-cli auth login --backendUrl ${backend}`;
    if (file !== undefined) {
      const fix =
        file === '-'
          ? `backstage-cli auth print-token | ${this.commandLine.toString()}  # after: ${login}`
          : `backstage-cli auth print-token > ${file}  # after: ${login}; then: ${this.commandLine.toString()}`;
      let raw: string;
      try {
        raw = readFileSync(file === '-' ? 0 : file, 'utf8');
      } catch (e) {
        const code = (e as { code?: string }).code ?? (e as Error).message;
        throw configError(`cannot read the token file ${file} (${code})`, fix);
      }
      const token = cleanToken(raw);
      if (token === undefined)
        throw configError(
          `the token file ${file} holds no token (it should hold one Backstage user token, nothing else)`,
          fix,
        );
      return { token, source: `--token-file ${file}` };
    }
    const env = process.env.BACKSTAGE_TOKEN;
    const fix = `export BACKSTAGE_TOKEN=$(backstage-cli auth print-token)  # a Backstage user token (after: ${login}); then: ${this.commandLine.toString()}`;
    if (env === undefined || env.trim() === '')
      throw configError('no Backstage token: set BACKSTAGE_TOKEN or pass --token-file PATH', fix);
    const token = cleanToken(env);
    if (token === undefined)
      throw configError(
        'BACKSTAGE_TOKEN does not hold a token (it has blanks or control characters inside)',
        fix,
      );
    return { token, source: 'BACKSTAGE_TOKEN' };
  }

  /** One call to the portal; its failures become the `error:`/`try:` lines of the table. */
  protected async call<R>(
    fn: (client: PortalClient) => Promise<R>,
    advice: Omit<PortalErrorAdvice, 'commandLine' | 'tokenSource'> = {},
  ): Promise<R> {
    const { client, tokenSource } = this.portal();
    this.progress('asking the portal…');
    try {
      return await fn(client);
    } catch (e) {
      if (e instanceof PortalError)
        throw portalCliError(e, { ...advice, commandLine: this.commandLine, tokenSource });
      throw e;
    } finally {
      this.progress(undefined);
    }
  }

  /**
   * The full id for ID: a UUID as is, or the start of one (the table's 8 characters) looked up
   * among the newest requests the caller can see.
   */
  protected async requestId(arg: string | undefined, verb: string): Promise<string> {
    if (arg === undefined)
      throw usageError(
        `requests ${verb} needs the id of a request: ${this.requestsCommand} ${verb} ID`,
        `${this.requestsCommand} list  # the ids; then: ${new CommandLine(this.id ?? '', ['<id>', ...this.argv]).toString()}`,
      );
    if (REQUEST_ID.test(arg)) return arg.toLowerCase();
    if (!REQUEST_ID_PREFIX.test(arg))
      throw usageError(
        `"${arg}" is not a request id (a UUID, or its first 8 characters as requests list shows them)`,
        `${this.requestsCommand} list`,
      );
    const prefix = arg.toLowerCase();
    const all = await this.call((c) => c.listRequests({ limit: MAX_LIST }));
    const matches = all.filter((r) => r.id.startsWith(prefix));
    if (matches.length === 1) return matches[0]!.id;
    if (matches.length === 0)
      throw configError(
        `no upgrade request ${arg} among the newest ${MAX_LIST} you can see`,
        `${this.requestsCommand} list  # the requests you can see`,
      );
    throw usageError(
      `"${arg}" is the start of ${matches.length} request ids (${matches.map((r) => r.id).join(', ')}): give more of it`,
      this.commandLine.withArgument(arg, matches[0]!.id),
    );
  }

  protected validateClusterRef(ref: string): void {
    if (CLUSTER_REF.pattern.test(ref)) return;
    const cleaned = ref.replace(/[^\w:/.-]/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'my-cluster';
    throw configError(
      `"${ref}" is not a cluster as the portal names one (an EKS cluster ARN, region/name, or a name)`,
      this.commandLine.with({ cluster: cleaned }),
    );
  }

  /** Free text for the server (reason, note): what its validation would refuse, refused here. */
  protected checkText(flag: string, text: string, min: number, max: number): string {
    const t = text.trim();
    // eslint-disable-next-line no-control-regex -- C0 controls but tab and newlines, and DEL
    const control = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(t);
    if (t.length >= min && t.length <= max && !control) return t;
    const why = control
      ? 'must not contain control characters'
      : t.length < min
        ? `must be at least ${min} characters`
        : `must be at most ${max} characters (it has ${t.length})`;
    throw usageError(`--${flag} ${why}`, this.commandLine.with({ [flag]: `<${flag}>` }));
  }

  /** The request as text or data, on stdout. */
  protected async printRequest(r: UpgradeRequest): Promise<void> {
    await this.print(r, formatRequest);
  }
}

export const ID_ARG_DESCRIPTION =
  'Request id: the UUID, or its start as requests list shows it (8 characters).';

/** The ID argument of get, approve, reject and cancel (checked in run: oclif's own message for a missing argument spans several lines). */
export const ID_ARG = { id: Args.string({ description: ID_ARG_DESCRIPTION }) };
