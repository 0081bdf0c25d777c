/**
 * `kubectl hyperpod requests`: the portal's upgrade requests from the terminal, against a
 * Backstage backend with the hyperpod plugin. Alone it lists them (as `requests list` does). Also
 * the home of what the `requests` commands share (RequestsCommand: the backend URL, the token,
 * the client, request ids and the advice for each refusal), since every file under commands/ is a
 * command to oclif.
 */
import { readFileSync } from 'node:fs';
import { Flags, type Command } from '@oclif/core';
import {
  CLUSTER_REF,
  UPGRADE_REQUEST_STATES,
  type RequestDecision,
  type UpgradeRequest,
  type UpgradeRequestState,
  compareText,
} from '@hyperpod/core';
import { BaseCommand, COMMON_EXIT_CODES, exitCodesHelp } from '../../BaseCommand';
import { configError, usageError } from '../../CliError';
import { CommandLine } from '../../CommandLine';
import { formatRequest, formatRequestList, type RequestList } from '../../format/formatRequests';
import { validateAddonName } from '../../validateNames';
import {
  cleanToken,
  EXAMPLE_BACKEND_URL,
  isLoopback,
  PortalClient,
  portalApiUrl,
  portalCliError,
  PortalError,
  tokenSubject,
  type PortalErrorAdvice,
} from '../../portalClient';

/** A request id as the API takes it. */
export const REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The start of one, as the table shows it (8 characters) or longer; 4 at least. */
const REQUEST_ID_PREFIX = /^[0-9a-f][0-9a-f-]{3,34}$/i;
/** What the portal accepts as a cluster: an EKS cluster ARN, `region/name`, or a name. */
const ENTITY_REF = /^[a-z]+:[\w.-]+\/[\w.-]+$/i;
/** How many requests the API returns at most, and what short ids are looked up among. */
const MAX_LIST = 500;
const NOTE_MAX = 2000;

/** BaseCommand's flags that choose clusters through kubeconfig and AWS: meaningless here. */
const CLUSTER_SELECTION = [
  { name: 'kubeconfig' },
  { name: 'context' },
  { name: 'all-clusters', char: 'A' },
  { name: 'fleet', char: 'f' },
  { name: 'region' },
  { name: 'profile' },
  { name: 'fail-on' },
  { name: 'concurrency' },
  { name: 'rate-limit' },
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
  for (const { name } of CLUSTER_SELECTION) out[name] = { ...base[name], hidden: true };
  out.cluster =
    clusterSummary === undefined
      ? { ...base.cluster, hidden: true }
      : { ...base.cluster, summary: clusterSummary, helpValue: 'NAME|ARN', helpGroup: undefined };
  return out as typeof BaseCommand.baseFlags;
}

/** Was `--name` (or `-c`) on the command line? Values alone cannot tell: some have defaults. */
function given(argv: readonly string[], name: string, char?: string): boolean {
  for (const a of argv) {
    if (a === '--') return false;
    if (a === `--${name}` || a.startsWith(`--${name}=`)) return true;
    if (char !== undefined && !a.startsWith('--') && a.startsWith(`-${char}`)) return true;
  }
  return false;
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
    for (const f of [...CLUSTER_SELECTION, { name: 'cluster' as const }]) {
      if (f.name === 'cluster' && takesCluster) continue;
      const char = 'char' in f ? f.char : undefined;
      if (!given(this.argv, f.name, char)) continue;
      throw usageError(
        `${this.commandLine.bin} ${this.id?.split(':').join(' ')} talks to the portal, not to clusters: --${f.name} has no meaning here`,
        this.commandLine.with({ [f.name]: undefined }),
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

/** `requests list` and the bare `requests`: the requests the caller may see, newest first. */
export abstract class ListRequestsCommand<T extends typeof Command> extends RequestsCommand<T> {
  async run(): Promise<RequestList> {
    const f = this.flags as unknown as ListFlagValues;
    const clusters = this.flags.cluster ?? [];
    for (const c of clusters) this.validateClusterRef(c);
    if (f.addon !== undefined)
      validateAddonName(f.addon, (v) => this.commandLine.with({ addon: v }));
    if (f.mine && f['requested-by'] !== undefined)
      throw usageError(
        '--mine and --requested-by both say whose requests to list: give one',
        this.commandLine.with({ mine: undefined }),
      );
    if (f['requested-by'] !== undefined && !ENTITY_REF.test(f['requested-by']))
      throw usageError(
        `--requested-by "${f['requested-by']}" is not a user entity ref`,
        this.commandLine.with({ 'requested-by': 'user:default/<name>' }),
      );
    let requestedBy = f['requested-by'];
    if (f.mine) {
      requestedBy = tokenSubject(this.portal().token);
      if (requestedBy === undefined)
        throw configError(
          'cannot tell from the token whose it is (it is not a JWT with a user in `sub`)',
          this.commandLine.with({ mine: undefined, 'requested-by': 'user:default/<you>' }),
        );
    }
    const query = {
      ...(f.addon ? { addon: f.addon } : {}),
      ...(f.state?.length ? { state: f.state as UpgradeRequestState[] } : {}),
      ...(requestedBy ? { requestedBy } : {}),
      limit: f.limit,
    };
    const advice = {
      notFound: this.commandLine.with({ cluster: undefined }) + '  # every cluster you can read',
    };
    let items: UpgradeRequest[];
    if (clusters.length <= 1) {
      items = await this.call(
        (c) => c.listRequests({ ...query, ...(clusters[0] ? { cluster: clusters[0] } : {}) }),
        advice,
      );
    } else {
      // The API filters by one cluster: one call each, merged newest first as the API orders.
      const lists = await Promise.all(
        clusters.map((cluster) => this.call((c) => c.listRequests({ ...query, cluster }), advice)),
      );
      const byId = new Map(lists.flat().map((r) => [r.id, r]));
      items = [...byId.values()]
        .sort((a, b) => compareText(b.createdAt, a.createdAt) || compareText(a.id, b.id))
        .slice(0, f.limit);
    }
    const list: RequestList = { items };
    await this.print(list, formatRequestList);
    return list;
  }
}

export const LIST_BASE_FLAGS = portalBaseFlags(
  'Only this cluster’s requests: its name or EKS ARN as the portal knows it; repeat for several.',
);

export const LIST_FLAGS = {
  addon: Flags.string({ summary: 'Only requests for this add-on.', helpValue: 'ADDON' }),
  state: Flags.string({
    summary: 'Only requests in these states (repeat, or separate with commas).',
    multiple: true,
    delimiter: ',',
    options: [...UPGRADE_REQUEST_STATES],
  }),
  'requested-by': Flags.string({
    summary: 'Only requests made by this user.',
    helpValue: 'user:default/NAME',
  }),
  mine: Flags.boolean({
    summary: 'Only requests made by the token’s user (read from the token; a JWT).',
  }),
  limit: Flags.integer({
    summary: 'At most this many requests, newest first.',
    min: 1,
    max: MAX_LIST,
    default: 100,
  }),
  ...PORTAL_FLAGS,
};

interface ListFlagValues {
  addon?: string;
  state?: string[];
  'requested-by'?: string;
  mine: boolean;
  limit: number;
}

export const LIST_DESCRIPTION = `Lists the upgrade requests in the portal that the caller may see (those of clusters they can read), newest first: ID (its first 8 characters; the whole id with -o wide, json or yaml), CLUSTER, ADDON, FROM, TO, STATE, REQUESTED-BY and AGE; -o wide adds DECIDED-BY and REASON. Filters: --cluster, --addon, --state, --requested-by or --mine. -o json|yaml prints the API's answer, { items: [...] }, as is.

Every requests command takes an ID as the whole UUID or its start as this table shows it.

${PORTAL_HELP}

${exitCodesHelp(COMMON_EXIT_CODES)}`;

export const LIST_EXAMPLES = [
  { description: 'Every request you can see', command: 'kubectl hyperpod requests list' },
  {
    description: 'Requests waiting for a decision on one cluster',
    command: 'kubectl hyperpod requests list --cluster ml-prod-use1 --state requested',
  },
  {
    description: 'Your own requests, as JSON',
    command: 'kubectl hyperpod requests list --mine -o json',
  },
];

export default class Requests extends ListRequestsCommand<typeof Requests> {
  static override summary =
    'Upgrade requests in the portal: list them (and create, get, approve, reject, cancel).';
  static override description = `Without a subcommand, the same as requests list. ${LIST_DESCRIPTION}`;
  static override baseFlags = LIST_BASE_FLAGS;
  static override flags = LIST_FLAGS;
  static override examples = LIST_EXAMPLES;
}

/** `requests approve | reject | cancel ID [--note TEXT]`. */
export abstract class DecideCommand<T extends typeof Command> extends RequestsCommand<T> {
  protected abstract readonly decision: RequestDecision;

  async run(): Promise<UpgradeRequest> {
    const verb = this.decision;
    const note = (this.flags as { note?: string }).note;
    const checked = note === undefined ? undefined : this.checkText('note', note, 1, NOTE_MAX);
    const id = await this.requestId((this.args as { id?: string }).id, verb);
    const get = `${this.requestsCommand} get ${id}`;
    const request = await this.call(
      (c) => c.decideRequest(id, verb, checked === undefined ? {} : { note: checked }),
      {
        forbidden:
          verb === 'cancel'
            ? `${get}  # only its requester or an approver of its cluster may cancel it`
            : `${get}  # an approver of its cluster (permission hyperpod.upgrade.approve) may ${verb} it`,
        notFound: `${this.requestsCommand} list  # the requests you can see`,
        conflict: `${get}  # its state now`,
      },
    );
    await this.printRequest(request);
    if (verb === 'approve' && this.output === 'table')
      process.stderr.write(`the backend runs the upgrade now; follow it: ${get}\n`);
    return request;
  }
}

export const ID_ARG_DESCRIPTION =
  'Request id: the UUID, or its start as requests list shows it (8 characters).';

export const noteFlag = (summary: string) => Flags.string({ summary, helpValue: 'TEXT' });
