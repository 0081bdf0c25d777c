/**
 * The AWS Load Balancer Controller chart's CRDs (chart 1.13.2, its `crds/` directory): Helm
 * installs them with the release but keeps them out of its manifest and never upgrades them, so a
 * cluster where the inference umbrella was installed has them, and `helm upgrade` needs them to
 * map the chart's IngressClassParams. Names, versions, scope and printer columns as upstream;
 * schemas trimmed to an open object.
 */
import { openResourceProperties } from './openResourceProperties';
import type { PrinterColumn } from './ResourceTypes';
import type { KubeObject } from './types';

const AGE: PrinterColumn = { jsonPath: '.metadata.creationTimestamp', name: 'AGE', type: 'date' };
const col = (name: string, jsonPath: string, priority?: number): PrinterColumn => ({
  jsonPath,
  name,
  ...(priority ? { priority } : {}),
  type: 'string',
});

const OPEN_SCHEMA = {
  openAPIV3Schema: {
    type: 'object',
    properties: openResourceProperties(),
  },
};

function crd(spec: Record<string, unknown>, name: string): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { annotations: { 'controller-gen.kubebuilder.io/version': 'v0.14.0' }, name },
    spec,
  };
}

export function loadBalancerControllerCrds(): KubeObject[] {
  const tgbColumns = [
    col('SERVICE-NAME', '.spec.serviceRef.name'),
    col('SERVICE-PORT', '.spec.serviceRef.port'),
    col('TARGET-TYPE', '.spec.targetType'),
    col('ARN', '.spec.targetGroupARN', 1),
    col('NAME', '.spec.targetGroupName', 2),
    AGE,
  ];
  return [
    crd(
      {
        group: 'elbv2.k8s.aws',
        names: {
          kind: 'IngressClassParams',
          listKind: 'IngressClassParamsList',
          plural: 'ingressclassparams',
          singular: 'ingressclassparams',
        },
        scope: 'Cluster',
        versions: [
          {
            additionalPrinterColumns: [
              col('GROUP-NAME', '.spec.group.name'),
              col('SCHEME', '.spec.scheme'),
              col('IP-ADDRESS-TYPE', '.spec.ipAddressType'),
              AGE,
            ],
            name: 'v1beta1',
            schema: OPEN_SCHEMA,
            served: true,
            storage: true,
            subresources: {},
          },
        ],
      },
      'ingressclassparams.elbv2.k8s.aws',
    ),
    crd(
      {
        group: 'elbv2.k8s.aws',
        names: {
          kind: 'TargetGroupBinding',
          listKind: 'TargetGroupBindingList',
          plural: 'targetgroupbindings',
          singular: 'targetgroupbinding',
        },
        scope: 'Namespaced',
        versions: ['v1alpha1', 'v1beta1'].map((name) => ({
          additionalPrinterColumns: tgbColumns,
          name,
          schema: OPEN_SCHEMA,
          served: true,
          storage: name === 'v1beta1',
          subresources: { status: {} },
        })),
      },
      'targetgroupbindings.elbv2.k8s.aws',
    ),
  ];
}
