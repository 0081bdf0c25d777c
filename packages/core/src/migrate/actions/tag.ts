/**
 * `tag`: marks a load balancer, certificate or S3 object the Helm install made as the add-on's
 * (CREATED_BY_TAG). Undo: the tags as the backup read them (readTags) before the run.
 */
import type { TagAction } from '../MigrationPlan';
import type { MigrationRun } from '../MigrationRun';
import { CREATED_BY_TAG } from '../profiles';
import type { ActionResult } from './ActionResult';

export async function perform(run: MigrationRun, action: TagAction): Promise<ActionResult> {
  const t = action.target;
  const add = { [CREATED_BY_TAG.key]: CREATED_BY_TAG.value };
  if (t.type === 'load-balancer')
    await run.call(`AddTags ${t.arn}`, () => need(run.deps.elbv2, 'elbv2').addTags([t.arn], add));
  else if (t.type === 'certificate')
    await run.call(`AddTagsToCertificate ${t.arn}`, () =>
      need(run.deps.acm, 'acm').addTags(t.arn, add),
    );
  else {
    // S3 replaces the whole set: merge with what is there now.
    const s3 = need(run.deps.s3, 's3');
    const current = await run.call(`GetObjectTagging ${t.key}`, () =>
      s3.getObjectTagging(t.bucket, t.key),
    );
    if (current[CREATED_BY_TAG.key] !== CREATED_BY_TAG.value)
      await run.call(`PutObjectTagging ${t.key}`, () =>
        s3.putObjectTagging(t.bucket, t.key, { ...current, ...add }),
      );
  }
  return undefined;
}

/** Puts the target's tags back to `previous`: removes what was added, restores what changed. */
export async function undo(
  run: MigrationRun,
  a: TagAction,
  previous: Record<string, string>,
): Promise<void> {
  const t = a.target;
  if (t.type === 's3-object') {
    const s3 = need(run.deps.s3, 's3');
    if (Object.keys(previous).length === 0)
      await run.call(`DeleteObjectTagging ${t.key}`, () => s3.deleteObjectTagging(t.bucket, t.key));
    else
      await run.call(`PutObjectTagging ${t.key}`, () =>
        s3.putObjectTagging(t.bucket, t.key, previous),
      );
    return;
  }
  const current = await readTags(run, a);
  const remove = Object.keys(current).filter((k) => !(k in previous));
  const put = Object.fromEntries(Object.entries(previous).filter(([k, v]) => current[k] !== v));
  if (t.type === 'load-balancer') {
    const elb = need(run.deps.elbv2, 'elbv2');
    if (remove.length) await run.call(`RemoveTags ${t.arn}`, () => elb.removeTags([t.arn], remove));
    if (Object.keys(put).length)
      await run.call(`AddTags ${t.arn}`, () => elb.addTags([t.arn], put));
  } else {
    const acm = need(run.deps.acm, 'acm');
    if (remove.length)
      await run.call(`RemoveTagsFromCertificate ${t.arn}`, () => acm.removeTags(t.arn, remove));
    if (Object.keys(put).length)
      await run.call(`AddTagsToCertificate ${t.arn}`, () => acm.addTags(t.arn, put));
  }
}

/** The target's tags now (the backup keeps them as they were before the run). */
export async function readTags(
  run: MigrationRun,
  action: TagAction,
): Promise<Record<string, string>> {
  const t = action.target;
  if (t.type === 'load-balancer') {
    const all = await run.call(`DescribeTags ${t.arn}`, () =>
      need(run.deps.elbv2, 'elbv2').getTags([t.arn]),
    );
    return all[t.arn] ?? {};
  }
  if (t.type === 'certificate')
    return run.call(`ListTagsForCertificate ${t.arn}`, () =>
      need(run.deps.acm, 'acm').listTags(t.arn),
    );
  return run.call(`GetObjectTagging ${t.bucket}/${t.key}`, () =>
    need(run.deps.s3, 's3').getObjectTagging(t.bucket, t.key),
  );
}

function need<T>(g: T | undefined, name: string): T {
  if (!g) throw new Error(`the plan tags ${name} resources but no ${name} gateway was given`);
  return g;
}
