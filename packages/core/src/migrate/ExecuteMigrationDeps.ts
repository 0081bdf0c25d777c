/** What the migration executor is given: the gateways, the run store, and how to report and ask. */
import type { AcmGateway } from '../ports/AcmGateway';
import type { EksGateway } from '../ports/EksGateway';
import type { Elbv2Gateway } from '../ports/Elbv2Gateway';
import type { IamGateway } from '../ports/IamGateway';
import type { KubeGateway } from '../ports/KubeGateway';
import type { MigrationStore } from '../ports/MigrationStore';
import type { S3Gateway } from '../ports/S3Gateway';
import type { StsGateway } from '../ports/StsGateway';
import type { RetryOptions } from '../scan/withRetry';
import type { MigrationStep } from './MigrationPlan';
import type { LeaseLock } from './migrationLock';

export interface MigrationEvent {
  /** ISO-8601. */
  at: string;
  type:
    | 'lock-acquired'
    | 'backup-written'
    | 'step-started'
    | 'step-done'
    | 'action-started'
    | 'action-done'
    | 'action-skipped'
    | 'waiting'
    | 'retry'
    | 'failed'
    | 'rollback-started'
    | 'rollback-progress'
    | 'rollback-done'
    | 'rollback-failed'
    | 'aborted'
    | 'succeeded';
  message: string;
  stepId?: string;
  actionId?: string;
}

export interface MigrationGateways {
  eks: EksGateway;
  kube: KubeGateway;
  iam: IamGateway;
  s3?: S3Gateway;
  elbv2?: Elbv2Gateway;
  acm?: AcmGateway;
  /** Who the caller is, for the permission preflight's simulation. */
  sts?: StsGateway;
}

export type StepAnswer = 'yes' | 'rollback' | 'abort';

export interface ExecuteMigrationDeps extends MigrationGateways {
  store: MigrationStore;
  /** Who runs it (`user@host`), recorded in the journal. */
  actor: string;
  /**
   * This process, as the lock names it (`user@host/pid-4242`); the lock adds a random part, so no
   * two processes (or two runs in one process) share a lease. Default: `actor`.
   */
  holder?: string;
  /** Told the lock once it is taken (so a face can release it when interrupted). */
  onLock?: (lock: LeaseLock) => void;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  /** Retries of each call (throttling, 5xx). Default 8 tries, 200 ms base, 5 s cap. */
  retry?: RetryOptions;
  /** Polling of add-on status. */
  wait?: { pollMs?: number; timeoutMs?: number; degradedGraceMs?: number };
  lease?: { namespace?: string; durationSeconds?: number };
  onEvent?: (e: MigrationEvent) => void;
  /** Asked before each step; undefined = never ask (`--auto-approve`). */
  confirm?: (step: MigrationStep, index: number, total: number) => Promise<StepAnswer>;
  /** Default 'rollback'. */
  onFailure?: 'rollback' | 'stop';
}
