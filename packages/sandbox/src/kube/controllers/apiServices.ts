/**
 * The aggregation layer's visible effects: an APIService backed by a service adds its
 * group-version to discovery while it exists (as kube-aggregator does once the service answers),
 * and its `Available` condition is set. The sandbox answers the group-version's discovery itself,
 * with the resources the well-known aggregated APIs serve (metrics-server, KEDA); requests to those
 * resources are answered from the (empty) store.
 */
import { resourceType, type ResourceType } from '../ResourceTypes';
import type { KubeObject } from '../types';
import type { ControllerHost } from './ControllerHost';

export interface AggregatedGroupVersion {
  group: string;
  version: string;
  groupPriorityMinimum: number;
  versionPriority: number;
}

interface ApiServiceSpec {
  group?: string;
  version?: string;
  service?: { name?: string; namespace?: string } | null;
  groupPriorityMinimum?: number;
  versionPriority?: number;
}

/** Field errors apiserver's APIService validation reports, empty when valid. */
export function apiServiceErrors(
  o: KubeObject,
): { field: string; type: string; detail: string; value?: unknown }[] {
  const spec = (o.spec ?? {}) as ApiServiceSpec;
  const errs: { field: string; type: string; detail: string; value?: unknown }[] = [];
  const version = spec.version ?? '';
  const group = spec.group ?? '';
  if (!version) errs.push({ field: 'spec.version', type: 'Required value', detail: '' });
  const expected = group ? `${version}.${group}` : version;
  if (version && o.metadata.name !== expected)
    errs.push({
      field: 'metadata.name',
      type: 'Invalid value',
      detail: `must be ${expected}`,
      value: o.metadata.name,
    });
  for (const f of ['groupPriorityMinimum', 'versionPriority'] as const) {
    const v = spec[f];
    if (typeof v !== 'number' || v <= 0)
      errs.push({
        field: `spec.${f}`,
        type: 'Invalid value',
        detail: 'must be positive and less than 1000000',
        value: v ?? 0,
      });
  }
  return errs;
}

/** Group-versions that APIServices with a backing service add to discovery. */
export function aggregatedGroupVersions(apiServices: KubeObject[]): AggregatedGroupVersion[] {
  return apiServices
    .map((o) => (o.spec ?? {}) as ApiServiceSpec)
    .filter((s) => s.service && s.group && s.version)
    .map((s) => ({
      group: s.group!,
      version: s.version!,
      groupPriorityMinimum: s.groupPriorityMinimum ?? 0,
      versionPriority: s.versionPriority ?? 0,
    }));
}

const READ = ['get', 'list'];

function aggregated(
  group: string,
  version: string,
  kind: string,
  plural: string,
  namespaced: boolean,
  verbs = READ,
): ResourceType {
  return resourceType(group, version, kind, plural, namespaced, {
    singular: '',
    verbs,
    builtin: false,
    unconditionalUpdate: false,
  });
}

/** The resources well-known aggregated APIs list in their discovery documents. */
const KNOWN: Record<string, ResourceType[]> = {
  'metrics.k8s.io/v1beta1': [
    aggregated('metrics.k8s.io', 'v1beta1', 'NodeMetrics', 'nodes', false),
    aggregated('metrics.k8s.io', 'v1beta1', 'PodMetrics', 'pods', true),
  ],
  'external.metrics.k8s.io/v1beta1': [
    aggregated(
      'external.metrics.k8s.io',
      'v1beta1',
      'ExternalMetricValueList',
      'externalmetrics',
      true,
      ['get'],
    ),
  ],
};

/** The resource types an aggregated group-version serves (none known: an empty resource list). */
export function aggregatedTypes(gvs: AggregatedGroupVersion[]): ResourceType[] {
  return gvs.flatMap((gv) => KNOWN[`${gv.group}/${gv.version}`] ?? []);
}

/** Sets `Available` on every APIService, as the availability controller does once it answers. */
export function syncApiServices(host: ControllerHost, time: string): void {
  for (const o of host.objects('apiregistration.k8s.io', 'apiservices')) {
    const local = !((o.spec ?? {}) as ApiServiceSpec).service;
    const current = (
      o.status as { conditions?: { type?: string; status?: string }[] } | undefined
    )?.conditions?.find((c) => c.type === 'Available');
    if (current?.status === 'True') continue;
    o.status = {
      conditions: [
        {
          type: 'Available',
          status: 'True',
          lastTransitionTime: time,
          reason: local ? 'Local' : 'Passed',
          message: local ? 'Local APIServices are always available' : 'all checks passed',
        },
      ],
    };
    host.write('apiregistration.k8s.io', 'apiservices', o, 'kube-apiserver', 'status');
  }
}
