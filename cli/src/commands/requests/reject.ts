import { DecideCommand, decisionDescription } from '../../requests/DecideCommand';

export default class RequestsReject extends DecideCommand<typeof RequestsReject> {
  static override summary = 'Reject an upgrade request: it will not run.';
  static override description =
    decisionDescription(`Rejects request ID, which must be waiting for a decision (requested). The caller needs permission hyperpod.upgrade.approve on its cluster. Prints the request as it is after the rejection.

A request that is no longer waiting exits 12 with nothing changed.`);

  static override examples = [
    {
      description: 'Reject, saying why',
      command: "kubectl hyperpod requests reject 3f9a1c2e --note 'not during the training run'",
    },
  ];

  protected readonly decision = 'reject' as const;
}
