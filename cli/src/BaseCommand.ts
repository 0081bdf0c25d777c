/**
 * What every `kubectl hyperpod` command shares: the kubectl-style global flags, choosing the
 * clusters, rendering (`-o`), progress on stderr, and turning every failure into one `error:`
 * line, one `try:` line and a code from the exit-code table.
 */
import { Command, Errors, Flags, type Interfaces } from '@oclif/core';
import type { ClusterIdentity, ClusterReport, GatewayError, ScanError } from '@hyperpod/core';
import { awsProfileFiles, knownAwsProfiles } from './awsProfiles';
import { CliError, configError, usageError } from './CliError';
import { CommandLine } from './CommandLine';
import { ExitCode, exitCodeHelp, worstExitCode } from './exitCodes';
import { colourEnabled } from './format/colour';
import { DEFAULT_WIDTH, type FormatOptions } from './format/formatStatus';
import { gatewayErrorExitCode, gatewayErrorFix, gatewayErrorLine } from './gatewayErrorAdvice';
import {
  InvalidClusterNameError,
  closest,
  parseDuration,
  validateClusterName,
  validateRegion,
} from './validateNames';
import { tripsDegraded, tripsDrift } from './failOnGates';
import { knownClusterNames } from './wiring/knownClusterNames';
import { resolveTargets, type TargetSelection } from './wiring/resolveTargets';
import { scanTargets } from './wiring/scanTargets';

export const OUTPUT_FORMATS = ['table', 'wide', 'json', 'yaml'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
export const FAIL_ON = ['degraded', 'drift'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<
  (typeof BaseCommand)['baseFlags'] & T['flags']
>;
export type BaseArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>;

/** The whole exit-code table (a command's help lists only its own: exitCodesHelp). */
export const EXIT_CODES_HELP = `EXIT CODES\n${exitCodeHelp()}`;

/** Appended to a command's description, so `--help` shows the codes that command can exit with. */
export function exitCodesHelp(codes: readonly ExitCode[]): string {
  return `EXIT CODES\n${exitCodeHelp(codes)}`;
}

/** What every command that reads clusters can exit with, before its own codes. */
export const COMMON_EXIT_CODES: readonly ExitCode[] = [
  ExitCode.Ok,
  ExitCode.Unexpected,
  ExitCode.Usage,
  ExitCode.Config,
  ExitCode.Access,
];

/** The base flags that choose clusters through a kubeconfig, a fleet file and AWS. */
export const CLUSTER_SELECTION_FLAGS = [
  'kubeconfig',
  'context',
  'cluster',
  'all-clusters',
  'fleet',
  'region',
  'profile',
] as const;

/** The base flags of a scan over many clusters: its CI gate and how hard it may call EKS. */
export const FLEET_SCAN_FLAGS = ['fail-on', 'concurrency', 'rate-limit'] as const;

/**
 * BaseCommand's flags with `names` hidden from help: for a command that works on one cluster (or
 * none), where `-A`, `--fail-on` or `--concurrency` mean nothing. They are still parsed, so a
 * flag given by habit gets an error saying it does not apply (`notApplicable`), not "nonexistent
 * flag".
 */
export function baseFlagsWithout(
  names: readonly (keyof (typeof BaseCommand)['baseFlags'])[],
): (typeof BaseCommand)['baseFlags'] {
  const out: Record<string, unknown> = { ...BaseCommand.baseFlags };
  for (const n of names) out[n] = { ...BaseCommand.baseFlags[n], hidden: true };
  return out as (typeof BaseCommand)['baseFlags'];
}

export abstract class BaseCommand<T extends typeof Command> extends Command {
  static override baseFlags = {
    kubeconfig: Flags.string({
      summary: 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config).',
      helpGroup: 'GLOBAL',
    }),
    context: Flags.string({
      summary: 'kubeconfig context to use (default: the current context).',
      helpGroup: 'GLOBAL',
    }),
    cluster: Flags.string({
      summary:
        'EKS cluster name; repeat for several. Looked up in the fleet file or the kubeconfig.',
      multiple: true,
      helpGroup: 'GLOBAL',
    }),
    'all-clusters': Flags.boolean({
      char: 'A',
      summary: 'Every cluster: each context of the kubeconfig, or each entry of --fleet.',
      helpGroup: 'GLOBAL',
    }),
    fleet: Flags.string({
      char: 'f',
      summary: 'Fleet file (YAML) naming clusters, accounts, regions, roles and contexts.',
      helpGroup: 'GLOBAL',
    }),
    region: Flags.string({
      summary:
        'AWS region of the cluster(s) (default: from the kubeconfig context, then AWS_REGION).',
      helpGroup: 'GLOBAL',
    }),
    profile: Flags.string({
      summary: 'AWS profile for AWS calls (default: from the kubeconfig user, then AWS_PROFILE).',
      helpGroup: 'GLOBAL',
    }),
    output: Flags.string({
      char: 'o',
      summary: 'Output format.',
      options: [...OUTPUT_FORMATS],
      default: 'table',
      helpGroup: 'GLOBAL',
    }),
    'fail-on': Flags.string({
      summary:
        'CI gate: exit 5 when a cluster or add-on is Degraded, Missing or Unknown (degraded); 6 when an add-on is behind-default or incompatible, or NEXT-K8S is upgrade or blocked (drift).',
      options: [...FAIL_ON],
      multiple: true,
      helpGroup: 'GLOBAL',
    }),
    timeout: Flags.string({
      summary: 'Time allowed per cluster, e.g. 30s, 2m.',
      default: '30s',
      helpGroup: 'GLOBAL',
    }),
    concurrency: Flags.integer({
      summary:
        'Clusters scanned at once (at most 8 per account and region; EKS calls are paced per account and region whatever this is).',
      default: 64,
      min: 1,
      max: 256,
      helpGroup: 'GLOBAL',
    }),
    'rate-limit': Flags.integer({
      summary:
        'EKS requests per second per AWS account and region, fixed. Without it the rate is learned from throttling answers and remembered in the cache directory.',
      min: 1,
      max: 1000,
      helpGroup: 'GLOBAL',
    }),
  };

  protected flags!: BaseFlags<T>;
  protected args!: BaseArgs<T>;
  protected commandLine!: CommandLine;

  override async init(): Promise<void> {
    await super.init();
    this.commandLine = new CommandLine(this.id ?? '', this.argv);
    const { args, flags } = await this.parse({
      flags: this.ctor.flags,
      baseFlags: BaseCommand.baseFlags,
      args: this.ctor.args,
      strict: this.ctor.strict,
    });
    this.flags = flags as BaseFlags<T>;
    this.args = args as BaseArgs<T>;
    const refused = (this.ctor as unknown as { notApplicable?: readonly string[] }).notApplicable;
    for (const name of refused ?? []) {
      const char = (BaseCommand.baseFlags as Record<string, { char?: string }>)[name]?.char;
      if (!flagGiven(this.argv, name, char)) continue;
      throw usageError(
        `--${name} does not apply to ${this.commandLine.bin} ${(this.id ?? '').split(':').join(' ')}`,
        this.commandLine.with({ [name]: undefined }),
      );
    }
  }

  protected get output(): OutputFormat {
    return this.flags.output as OutputFormat;
  }

  protected get formatOptions(): FormatOptions {
    return {
      wide: this.output === 'wide',
      colour: colourEnabled(process.stdout),
      // Through a pipe or in a CI log nothing is cut (as kubectl): only a terminal is fitted.
      maxWidth: process.stdout.isTTY
        ? Math.max(DEFAULT_WIDTH, process.stdout.columns ?? DEFAULT_WIDTH)
        : undefined,
    };
  }

  protected get timeoutMs(): number {
    return parseDuration(this.flags.timeout, (v) => this.commandLine.with({ timeout: v }));
  }

  /** Flag checks that need no network: conflicting selectors, names, regions. */
  protected selection(): TargetSelection {
    const f = this.flags;
    const clusters = f.cluster ?? [];
    if (f.context !== undefined && (clusters.length > 0 || f['all-clusters'])) {
      throw usageError(
        `--context selects one cluster; it cannot be combined with ${clusters.length > 0 ? '--cluster' : '--all-clusters'}`,
        this.commandLine.with({ cluster: undefined, 'all-clusters': undefined }),
      );
    }
    if (f['all-clusters'] && clusters.length > 0) {
      throw usageError(
        '--all-clusters selects every cluster; it cannot be combined with --cluster',
        this.commandLine.with({ cluster: undefined }),
      );
    }
    for (const c of clusters) validateClusterName(c, (v) => this.commandLine.with({ cluster: v }));
    if (f.region !== undefined)
      validateRegion(f.region, (v) => this.commandLine.with({ region: v }));
    if (f.profile !== undefined) this.checkProfile(f.profile);
    return {
      kubeconfig: f.kubeconfig,
      context: f.context,
      clusters,
      allClusters: f['all-clusters'],
      fleet: f.fleet,
      region: f.region,
      profile: f.profile,
    };
  }

  /** A `--profile` neither AWS file defines: a configuration error naming it (exit 3). */
  protected checkProfile(profile: string): void {
    const files = awsProfileFiles();
    const known = knownAwsProfiles(files);
    if (known.includes(profile)) return;
    const guess = closest(profile, known);
    throw configError(
      `AWS profile "${profile}" is not in ${files.config} or ${files.credentials}${known.length ? ` (known: ${known.join(', ')})` : ' (they define no profiles)'}`,
      guess ? this.commandLine.with({ profile: guess }) : `aws configure --profile ${profile}`,
    );
  }

  /** Data on stdout: the typed result as is for json/yaml, the formatter's table otherwise. */
  /**
   * What `status` and `drift` share: resolve the selected clusters, scan them (progress on
   * stderr), print the reports with `format` and set the exit code, `--fail-on` gates included.
   */
  protected async scanAndReport(
    format: (reports: ClusterReport[], opts: FormatOptions) => string,
  ): Promise<ClusterReport[]> {
    const timeoutMs = this.timeoutMs;
    const { targets, sourceErrors } = await resolveTargets(
      this.selection(),
      this.commandLine,
      timeoutMs,
    );
    const reports = await scanTargets(targets, {
      timeoutMs,
      concurrency: this.flags.concurrency,
      rateLimit: this.flags['rate-limit'],
      onProgress: (done, total) => this.progress(`scanned ${done}/${total} clusters…`),
    });
    this.progress(undefined);
    await this.print(reports, format);
    this.finish([...sourceErrors, ...reports], {
      degraded: tripsDegraded(reports),
      drift: tripsDrift(reports),
    });
    return reports;
  }

  protected async print<R>(
    result: R,
    table: (result: R, opts: FormatOptions) => string,
  ): Promise<void> {
    if (this.output === 'json') process.stdout.write(JSON.stringify(result, undefined, 2) + '\n');
    else if (this.output === 'yaml') {
      const { stringify } = await import('yaml');
      process.stdout.write(stringify(result, { aliasDuplicateObjects: false }));
    } else process.stdout.write(table(result, this.formatOptions));
  }

  /** Progress and warnings go to stderr, and only when a person is watching. */
  protected progress(text: string | undefined): void {
    if (!process.stderr.isTTY) return;
    process.stderr.write(text === undefined ? '\r\u001b[K' : `\r\u001b[K${text}`);
  }

  protected warning(text: string): void {
    if (process.stderr.isTTY) process.stderr.write(`warning: ${text}\n`);
  }

  /**
   * After the data is printed: scan errors as `error:`/`try:` lines (the data already shows them
   * in place) and the exit code for them and for `--fail-on`.
   */
  protected finish(
    reports: { cluster: ClusterIdentity; errors: ScanError[] }[],
    gates = { degraded: false, drift: false },
  ): void {
    const codes: ExitCode[] = [];
    for (const r of reports) {
      // One error per cluster on stderr (the first is the cause, the rest follow from it); the
      // data on stdout holds them all.
      const [e, ...more] = [...r.errors].sort((a, b) => causeRank(a) - causeRank(b));
      if (!e) continue;
      codes.push(...r.errors.map((x) => gatewayErrorExitCode(x, x.step)));
      const also = more.length
        ? ` (and ${more.length} more error${more.length > 1 ? 's' : ''})`
        : '';
      process.stderr.write(
        `error: cluster ${r.cluster.name}: ${e.step} failed: ${gatewayErrorLine(e)}${also}\n`,
      );
      process.stderr.write(`try: ${gatewayErrorFix(e, e.step, r.cluster, this.commandLine)}\n`);
    }
    const failOn = new Set((this.flags['fail-on'] ?? []) as FailOn[]);
    if (failOn.has('degraded') && gates.degraded) codes.push(ExitCode.Degraded);
    if (failOn.has('drift') && gates.drift) codes.push(ExitCode.Drift);
    process.exitCode = worstExitCode(codes);
  }

  protected override async catch(err: Error & { exitCode?: number }): Promise<void> {
    this.progress(undefined);
    if (err instanceof InvalidClusterNameError) {
      err = err.withKnown(
        await knownClusterNames({ kubeconfig: this.flags?.kubeconfig, fleet: this.flags?.fleet }),
      );
    }
    if (err instanceof CliError) {
      process.stderr.write(err.render());
      process.exitCode = err.exitCode;
      return;
    }
    const oclifExit = (err as { oclif?: { exit?: number } }).oclif?.exit;
    if (err instanceof Errors.CLIError && ('parse' in err || oclifExit === 2)) {
      // The parse was attempted; without this oclif warns (outside production) that it was not.
      this.parsed = true;
      // oclif's parse errors: bad flag, bad value (out of range: "Parsing --x" then the reason),
      // missing argument. One line, then the fix.
      const lines = err.message
        .split('\n')
        .map((l) => l.trim().replace(/^Error: /, ''))
        .filter((l) => l !== '' && !/^See more help/.test(l));
      const first = lines[0] ?? err.message;
      // "Missing 1 required arg:" then one line per argument: `name  description`.
      const missing = /^Missing \d+ required args?:$/.test(first)
        ? lines
            .slice(1)
            .filter((l) => /^\S+(\s{2,}|$)/.test(l) && !/^(Note|Alternatively)\b/.test(l))
            .map((l) => l.split(/\s{2,}/))
        : [];
      const line = missing.length
        ? `missing argument ${missing.map(([name, what]) => `${name!.toUpperCase()}${what ? ` (${what})` : ''}`).join(', ')}: ${new CommandLine(this.id ?? '', []).toString()} ${missing.map(([name]) => name!.toUpperCase()).join(' ')}`
        : /^Parsing \S+$/.test(first) && lines[1]
          ? `${first.slice('Parsing '.length)}: ${lines[1]}`
          : first;
      process.stderr.write(`error: ${line}\n`);
      process.stderr.write(`try: ${new CommandLine(this.id ?? '', []).toString()} --help\n`);
      process.exitCode = ExitCode.Usage;
      return;
    }
    if (err instanceof Errors.ExitError) throw err;
    if (err.name === 'GatewayError') {
      const g = err as unknown as GatewayError;
      process.stderr.write(`error: ${g.service} ${g.operation} failed: ${gatewayErrorLine(g)}\n`);
      process.stderr.write(
        `try: ${gatewayErrorFix(g, g.operation, undefined, this.commandLine)}\n`,
      );
      process.exitCode = gatewayErrorExitCode(g, g.operation);
      return;
    }
    process.stderr.write(`error: unexpected: ${err.message.split('\n')[0]}\n`);
    process.stderr.write(
      `try: DEBUG=1 ${this.commandLine.toString()}  # and report the stack trace\n`,
    );
    if (process.env.DEBUG) process.stderr.write(`${err.stack}\n`);
    process.exitCode = ExitCode.Unexpected;
  }
}

/** Was `--name` (or `-c`) on the command line? Values alone cannot tell: some have defaults. */
export function flagGiven(argv: readonly string[], name: string, char?: string): boolean {
  for (const a of argv) {
    if (a === '--') return false;
    if (a === `--${name}` || a.startsWith(`--${name}=`)) return true;
    if (char !== undefined && !a.startsWith('--') && a.startsWith(`-${char}`)) return true;
  }
  return false;
}

/** DescribeCluster failing explains everything after it; otherwise the order reads as it came. */
function causeRank(e: ScanError): number {
  return /describe ?cluster/i.test(e.step) ? 0 : 1;
}
