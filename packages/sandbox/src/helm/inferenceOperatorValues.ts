/**
 * values.yaml of the published SageMaker HyperPod Inference Operator chart 2.2.2 (Apache-2.0), in
 * full: a release stores its chart's defaults, and `helm upgrade --reuse-values` renders the new
 * chart with them instead of the new chart's own, so a seeded release whose stored defaults lack a
 * key the real chart's templates read cannot be upgraded with the real chart. Comments dropped;
 * REAL_CHARTS_DIR's copy is the source (test/helm/real/seededValues.test.ts compares the two).
 */
import type { HelmValues } from '@hyperpod/core';

export function inferenceOperatorValues222(): HelmValues {
  return {
    namePrefix: 'hyperpod-inference-operator',
    shortPrefix: 'hyperpod-inference',
    region: '',
    eksClusterName: '',
    isAddOn: false,
    image: {
      repositoryDomainMap: {
        'us-east-2': '061051259071.dkr.ecr.us-east-2.amazonaws.com',
        'eu-north-1': '850995554027.dkr.ecr.eu-north-1.amazonaws.com',
        'eu-central-1': '491085393763.dkr.ecr.eu-central-1.amazonaws.com',
        'us-west-2': '861276088053.dkr.ecr.us-west-2.amazonaws.com',
        'us-east-1': '557690614651.dkr.ecr.us-east-1.amazonaws.com',
        'eu-west-2': '337909760000.dkr.ecr.eu-west-2.amazonaws.com',
        'ap-northeast-1': '724772091842.dkr.ecr.ap-northeast-1.amazonaws.com',
        'ap-southeast-2': '147997151819.dkr.ecr.ap-southeast-2.amazonaws.com',
        'ap-south-1': '522814713546.dkr.ecr.ap-south-1.amazonaws.com',
        'eu-west-1': '537124951544.dkr.ecr.eu-west-1.amazonaws.com',
        'sa-east-1': '495599735358.dkr.ecr.sa-east-1.amazonaws.com',
        'us-west-1': '183295454132.dkr.ecr.us-west-1.amazonaws.com',
        'ap-southeast-1': '474668384327.dkr.ecr.ap-southeast-1.amazonaws.com',
        'ap-southeast-4': '311141544681.dkr.ecr.ap-southeast-4.amazonaws.com',
        'ap-southeast-3': '158128612970.dkr.ecr.ap-southeast-3.amazonaws.com',
        'eu-south-2': '025050981094.dkr.ecr.eu-south-2.amazonaws.com',
      },
      tag: 'v3.2',
      pullPolicy: 'Always',
      repository: null,
      initContainer: { repository: 'hyperpod-inference-operator-init-container', tag: 'v1.0' },
    },
    hyperpodClusterArn: null,
    executionRoleArn: null,
    jumpstartGatedModelDownloadRoleArn: '',
    stage: 'prod',
    tlsCertificateS3Bucket: null,
    enableWebhooks: true,
    enableCustomServiceAccounts: false,
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            {
              matchExpressions: [
                { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
                { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
              ],
            },
          ],
        },
      },
    },
    nodeSelector: {},
    tolerations: [],
    s3: {
      enabled: true,
      serviceAccountRoleArn: '',
      persistentVolume: {
        enabled: true,
        name: 's3-pv',
        capacity: '1200Gi',
        accessModes: ['ReadWriteMany'],
        prefix: '/',
        csi: {
          driver: 's3.csi.aws.com',
          volumeHandle: 's3-csi-driver-volume',
          volumeAttributes: {},
        },
      },
      persistentVolumeClaim: {
        enabled: true,
        name: 's3-claim',
        storageClassName: '',
        accessModes: ['ReadWriteMany'],
        requests: { storage: '1200Gi' },
        volumeName: 's3-pv',
      },
    },
    fsx: { enabled: true },
    alb: {
      enabled: true,
      enableServiceMutatorWebhook: false,
      clusterName: '',
      region: '',
      vpcId: '',
      serviceAccount: { create: false, name: 'aws-load-balancer-controller', roleArn: '' },
    },
    'cert-manager': { enabled: true, namespace: 'cert-manager', crds: { enabled: true } },
    keda: {
      enabled: true,
      namespace: 'keda',
      podIdentity: { aws: { irsa: { enabled: true, roleArn: '' } } },
    },
    components: {
      crd: { enabled: true, path: 'config/crd' },
      rbac: { enabled: true, path: 'config/rbac' },
      manager: { enabled: true, path: 'config/manager' },
      metricsService: { enabled: true, path: 'config/metrics' },
      webhook: { enabled: true, path: 'config/webhook' },
    },
  };
}
