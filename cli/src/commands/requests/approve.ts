import { DecideCommand, decisionDescription } from '../../requests/DecideCommand';

export default class RequestsApprove extends DecideCommand<typeof RequestsApprove> {
  static override summary = 'Approve an upgrade request: the backend then runs the upgrade.';
  static override description =
    decisionDescription(`Approves request ID, which must be waiting for a decision (requested). The caller needs permission hyperpod.upgrade.approve on its cluster, and may not approve their own request unless the portal allows it (hyperpod.approval.allowSelfApproval). The backend then runs the upgrade (hop by hop, rolled back on failure); follow it with requests get ID. Prints the request as it is after the approval.

A request that is no longer waiting (decided, cancelled, already running) exits 12 with nothing changed.`);

  static override examples = [
    {
      description: 'Approve, with a note',
      command: "kubectl hyperpod requests approve 3f9a1c2e --note 'go, after the 14:00 freeze'",
    },
  ];

  protected readonly decision = 'approve' as const;
}
