import { Flags, type Command } from '@oclif/core';
import {
  UPGRADE_REQUEST_STATES,
  type UpgradeRequest,
  type UpgradeRequestState,
  compareText,
} from '@hyperpod/core';
import { COMMON_EXIT_CODES, exitCodesHelp } from '../BaseCommand';
import { configError, usageError } from '../CliError';
import { formatRequestList, type RequestList } from '../format/formatRequests';
import { tokenSubject } from '../portalClient';
import { validateAddonName } from '../validateNames';
import {
  MAX_LIST,
  PORTAL_FLAGS,
  PORTAL_HELP,
  portalBaseFlags,
  RequestsCommand,
} from './RequestsCommand';

/** What the portal accepts as a cluster: an EKS cluster ARN, `region/name`, or a name. */
const ENTITY_REF = /^[a-z]+:[\w.-]+\/[\w.-]+$/i;

const LIST_BASE_FLAGS = portalBaseFlags(
  'Only this cluster’s requests: its name or EKS ARN as the portal knows it; repeat for several.',
);

const LIST_FLAGS = {
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

const LIST_EXAMPLES = [
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

/** `requests list` and the bare `requests`: the requests the caller may see, newest first. */
export abstract class ListRequestsCommand<T extends typeof Command> extends RequestsCommand<T> {
  static override description = LIST_DESCRIPTION;
  static override baseFlags = LIST_BASE_FLAGS;
  static override flags = LIST_FLAGS;
  static override examples = LIST_EXAMPLES;

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
