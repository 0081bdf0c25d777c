import { Args } from '@oclif/core';
import { COMMON_EXIT_CODES, exitCodesHelp } from '../../BaseCommand';
import { ExitCode } from '../../exitCodes';
import { DecideCommand, ID_ARG_DESCRIPTION, noteFlag, PORTAL_FLAGS, PORTAL_HELP } from './index';

export default class RequestsApprove extends DecideCommand<typeof RequestsApprove> {
  static override summary = 'Approve an upgrade request: the backend then runs the upgrade.';
  static override description = `Approves request ID, which must be waiting for a decision (requested). The caller needs permission hyperpod.upgrade.approve on its cluster, and may not approve their own request unless the portal allows it (hyperpod.approval.allowSelfApproval). The backend then runs the upgrade (hop by hop, rolled back on failure); follow it with requests get ID. Prints the request as it is after the approval.

A request that is no longer waiting (decided, cancelled, already running) exits 12 with nothing changed.

${PORTAL_HELP}

${exitCodesHelp([...COMMON_EXIT_CODES, ExitCode.RequestConflict])}`;

  static override args = { id: Args.string({ description: ID_ARG_DESCRIPTION }) };

  static override flags = {
    note: noteFlag('Why, for the history (the requester reads it).'),
    ...PORTAL_FLAGS,
  };

  static override examples = [
    {
      description: 'Approve, with a note',
      command: "kubectl hyperpod requests approve 3f9a1c2e --note 'go, after the 14:00 freeze'",
    },
  ];

  protected readonly decision = 'approve' as const;
}
