/**
 * A MigrationPlan for people: what moves where, every step numbered with each action's summary
 * and how a rollback undoes it, then dropped values, warnings and blockers. `kubectl hyperpod
 * migrate` shows it on stderr before it asks; `migrate plan` prints it on stdout.
 */
import type { MigrationPlan } from '@hyperpod/core';
import { paint } from './colour';

export interface PlanFormatOptions {
  colour: boolean;
}

export function formatMigrationPlan(plan: MigrationPlan, opts: PlanFormatOptions): string {
  const c = (colour: Parameters<typeof paint>[0], text: string) =>
    opts.colour ? paint(colour, text) : text;
  const out: string[] = [];
  const k = plan.cluster;
  out.push(
    `Migration plan ${plan.profile} for cluster ${k.name} (account ${k.accountId}, ${k.region}, Kubernetes ${k.kubernetesVersion})`,
  );
  const s = plan.source;
  if (s.release) {
    const sub = s.chartPath.length > 1 ? `, sub-chart ${s.chartPath.slice(1).join('/')}` : '';
    out.push(
      `  from: Helm release ${s.namespace}/${s.release} revision ${s.revision} (chart ${s.chart} ${s.chartVersion}${sub}, ${s.status})`,
    );
  }
  const t = plan.target;
  out.push(
    `  to:   EKS add-on ${t.addonName} ${t.addonVersion || '<none>'}${t.serviceAccountRoleArn ? ` with role ${t.serviceAccountRoleArn}` : ''}`,
  );
  const config = Object.keys(t.configuration);
  if (config.length)
    out.push(
      `        configuration: ${config.join(', ')}${t.configurationValid ? '' : c('red', ' (not valid for this version)')}`,
    );
  if (plan.dependencies.length) {
    out.push('  dependencies:');
    for (const d of plan.dependencies) {
      const version = d.addonVersion ? ` ${d.addonVersion}` : '';
      const role = d.serviceAccountRoleArn ? ` with role ${d.serviceAccountRoleArn}` : '';
      const note = d.note ? ` (${d.note})` : '';
      out.push(`    ${d.addonName}: ${d.action}${version}${role}${note}`);
    }
  }
  out.push('');
  const actions = plan.steps.reduce((n, st) => n + st.actions.length, 0);
  out.push(
    plan.steps.length
      ? `Steps (${plan.steps.length}, ${actions} action${actions === 1 ? '' : 's'}):`
      : 'Steps: none',
  );
  plan.steps.forEach((step, i) => {
    out.push(`  ${i + 1}. ${step.title}: ${step.description}`);
    for (const a of step.actions) {
      out.push(`     - ${a.summary}`);
      out.push(c('dim', `       undo: ${a.inverse}`));
    }
  });
  if (plan.values?.length) {
    const n = (d: string) => plan.values!.filter((v) => v.disposition === d).length;
    out.push('');
    out.push(
      `Helm values set on the release: ${plan.values.length} (${n('mapped')} mapped, ${n('dropped')} dropped, ${n('default')} left to the add-on; -o yaml lists each)`,
    );
  }
  if (plan.drops.length) {
    out.push('');
    out.push('Helm values the add-on has no place for:');
    for (const d of plan.drops)
      out.push(
        `  - ${d.key}: ${d.reason}${d.acknowledged ? ' (accepted with --accept-drop)' : c('red', ` (not accepted: --accept-drop ${d.key})`)}`,
      );
  }
  if (plan.warnings.length) {
    out.push('');
    out.push(c('yellow', 'Warnings:'));
    for (const w of plan.warnings) out.push(`  - ${w}`);
  }
  if (plan.blockers.length) {
    out.push('');
    out.push(c('red', `Blockers (${plan.blockers.length}): the plan may not run`));
    for (const b of plan.blockers) out.push(`  - ${b}`);
  }
  return out.join('\n') + '\n';
}
