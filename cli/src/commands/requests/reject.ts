import { Args } from '@oclif/core';
import { COMMON_EXIT_CODES, exitCodesHelp } from '../../BaseCommand';
import { ExitCode } from '../../exitCodes';
import { DecideCommand, ID_ARG_DESCRIPTION, noteFlag, PORTAL_FLAGS, PORTAL_HELP } from './index';

export default class RequestsReject extends DecideCommand<typeof RequestsReject> {
  static override summary = 'Reject an upgrade request: it will not run.';
  static override description = `Rejects request ID, which must be waiting for a decision (requested). The caller needs permission hyperpod.upgrade.approve on its cluster. Prints the request as it is after the rejection.

A request that is no longer waiting exits 12 with nothing changed.

${PORTAL_HELP}

${exitCodesHelp([...COMMON_EXIT_CODES, ExitCode.RequestConflict])}`;

  static override args = { id: Args.string({ description: ID_ARG_DESCRIPTION }) };

  static override flags = {
    note: noteFlag('Why, for the history (the requester reads it).'),
    ...PORTAL_FLAGS,
  };

  static override examples = [
    {
      description: 'Reject, saying why',
      command: "kubectl hyperpod requests reject 3f9a1c2e --note 'not during the training run'",
    },
  ];

  protected readonly decision = 'reject' as const;
}
