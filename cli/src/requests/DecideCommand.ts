import { Flags, type Command } from '@oclif/core';
import type { RequestDecision, UpgradeRequest } from '@hyperpod/core';
import { COMMON_EXIT_CODES, exitCodesHelp } from '../BaseCommand';
import { ExitCode } from '../exitCodes';
import { ID_ARG, PORTAL_FLAGS, PORTAL_HELP, RequestsCommand } from './RequestsCommand';

const NOTE_MAX = 2000;

export const noteFlag = (summary: string) => Flags.string({ summary, helpValue: 'TEXT' });

/** A decision's `--help` text: what it does, then where the portal is and the exit codes. */
export function decisionDescription(what: string): string {
  return `${what}

${PORTAL_HELP}

${exitCodesHelp([...COMMON_EXIT_CODES, ExitCode.RequestConflict])}`;
}

/** `requests approve | reject | cancel ID [--note TEXT]`. */
export abstract class DecideCommand<T extends typeof Command> extends RequestsCommand<T> {
  static override args = ID_ARG;
  static override flags = {
    note: noteFlag('Why, for the history (the requester reads it).'),
    ...PORTAL_FLAGS,
  };

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
