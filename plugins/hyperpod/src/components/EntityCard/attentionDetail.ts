/** One line saying why an add-on of a cluster report needs attention, for the entity card. */
import { healthRank, type AddonReport } from '@hyperpod/core';

export function attentionDetail(a: AddonReport): string {
  const worst = [...a.findings]
    .filter((f) => f.health !== 'Healthy')
    .sort((x, y) => healthRank(y.health) - healthRank(x.health))[0];
  if (worst) return worst.message;
  if (a.health !== 'Healthy') return a.reason;
  if (a.drift?.status === 'incompatible')
    return `${a.drift.installed} is not offered for this Kubernetes version`;
  if (a.drift?.status === 'behind-default')
    return `${a.drift.installed} is older than the default ${a.drift.default ?? ''}`.trimEnd();
  if (a.helm) {
    const target = a.migrationTarget ? `: migrate to add-on ${a.migrationTarget.addonVersion}` : '';
    return `Helm release ${a.helm.namespace}/${a.helm.release} (chart ${a.helm.chart} ${a.helm.chartVersion})${target}`;
  }
  return a.reason;
}
