/**
 * Jobs as if their pods ran and succeeded: apiserver's defaults and generated selector on create,
 * then the Job controller's final status (succeeded = completions, `Complete`, completionTime), so
 * Helm hooks and `helm install --wait --wait-for-jobs` finish. A suspended Job is left alone;
 * CronJobs are stored and never fire.
 */
import { isPlainObject } from '../managedFields';
import type { KubeObject } from '../types';
import { CONTROLLER_MANAGER, minor, type ControllerHost } from './ControllerHost';

interface JobSpec {
  completions?: number;
  parallelism?: number;
  backoffLimit?: number;
  completionMode?: string;
  suspend?: boolean;
  manualSelector?: boolean;
  podReplacementPolicy?: string;
  selector?: { matchLabels?: Record<string, string> };
  template?: {
    metadata?: { labels?: Record<string, string> };
    spec?: { restartPolicy?: string; terminationGracePeriodSeconds?: number };
  };
}

/**
 * The Job registry's PrepareForCreate and defaulters: completions and parallelism 1, backoffLimit
 * 6, NonIndexed, not suspended, and (unless manualSelector) the selector on the controller uid
 * with the matching pod template labels.
 */
export function defaultJob(job: KubeObject, version: string): void {
  const spec = (isPlainObject(job.spec) ? job.spec : (job.spec = {})) as JobSpec;
  spec.parallelism ??= 1;
  if (spec.completions === undefined && spec.parallelism !== undefined) spec.completions = 1;
  spec.backoffLimit ??= 6;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  if (minor(version) >= 29) spec.podReplacementPolicy ??= 'TerminatingOrFailed';
  const uid = job.metadata.uid;
  if (!spec.manualSelector && !spec.selector && uid) {
    spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
    spec.template ??= {};
    spec.template.metadata ??= {};
    spec.template.metadata.labels = {
      ...(spec.template.metadata.labels ?? {}),
      'batch.kubernetes.io/controller-uid': uid,
      'batch.kubernetes.io/job-name': job.metadata.name,
      'controller-uid': uid,
      'job-name': job.metadata.name,
    };
  }
  const podSpec = spec.template?.spec;
  if (podSpec) podSpec.terminationGracePeriodSeconds ??= 30;
}

/** The CronJob defaulters: not suspended, concurrency Allow, keep 3 successful and 1 failed Job. */
export function defaultCronJob(cj: KubeObject): void {
  const spec = (isPlainObject(cj.spec) ? cj.spec : (cj.spec = {})) as Record<string, unknown>;
  spec.suspend ??= false;
  spec.concurrencyPolicy ??= 'Allow';
  spec.successfulJobsHistoryLimit ??= 3;
  spec.failedJobsHistoryLimit ??= 1;
}

function finished(job: KubeObject): boolean {
  const conditions = (
    job.status as { conditions?: { type?: string; status?: string }[] } | undefined
  )?.conditions;
  return !!conditions?.some(
    (c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
  );
}

/** Completes every Job that is neither suspended nor finished. */
export function syncJobs(host: ControllerHost, time: string): void {
  for (const job of host.objects('batch', 'jobs')) {
    const spec = (job.spec ?? {}) as JobSpec;
    if (spec.suspend || finished(job)) continue;
    const completions = spec.completions ?? 1;
    const message = 'Reached expected number of succeeded pods';
    const condition = (type: string) => ({
      type,
      status: 'True',
      lastProbeTime: time,
      lastTransitionTime: time,
      reason: 'CompletionsReached',
      message,
    });
    // Since 1.31 the controller first adds SuccessCriteriaMet, then Complete.
    const conditions = [
      ...(minor(host.version) >= 31 ? [condition('SuccessCriteriaMet')] : []),
      condition('Complete'),
    ];
    const startTime = (job.status as { startTime?: string } | undefined)?.startTime ?? time;
    job.status = {
      conditions,
      startTime,
      completionTime: time,
      succeeded: completions,
      ready: 0,
      ...(minor(host.version) >= 29 ? { terminating: 0 } : {}),
      uncountedTerminatedPods: {},
      ...(spec.completionMode === 'Indexed'
        ? { completedIndexes: completions > 1 ? `0-${completions - 1}` : '0' }
        : {}),
    };
    host.write('batch', 'jobs', job, CONTROLLER_MANAGER, 'status');
  }
}
