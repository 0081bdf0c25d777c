/** One line saying why an add-on of a cluster report needs attention, for the entity card. */
import { driftNeedsAction, healthRank, type AddonReport } from '@hyperpod/core';

export function attentionDetail(a: AddonReport): string {
  const worst = [...a.findings]
    .filter((f) => f.health !== 'Healthy')
    .sort((x, y) => healthRank(y.health) - healthRank(x.health))[0];
  if (worst) return worst.message;
  if (a.health !== 'Healthy') return a.reason;
  if (a.drift && driftNeedsAction(a.drift.status)) {
    return a.drift.status === 'incompatible'
      ? `${a.drift.installed} is not offered for this Kubernetes version`
      : `${a.drift.installed} is older than the default ${a.drift.default ?? ''}`.trimEnd();
  }
  if (a.helm) {
    const target = a.migrationTarget ? `: migrate to add-on ${a.migrationTarget.addonVersion}` : '';
    return `Helm release ${a.helm.namespace}/${a.helm.release} (chart ${a.helm.chart} ${a.helm.chartVersion})${target}`;
  }
  return a.reason;
}
