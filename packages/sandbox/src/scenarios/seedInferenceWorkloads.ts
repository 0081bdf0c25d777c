/** The inference operator's custom resources and Ingress in a scenario cluster. */
import type { Sandbox, SandboxCluster } from '../Sandbox';
import type { HyperPodEnvironment } from './seedHyperPodEnvironment';

const GROUP = 'inference.sagemaker.aws.amazon.com';

/** Models served through the operator: a JumpStartModel, an InferenceEndpointConfig and the Ingress the ALB controller made. */
export function seedInferenceWorkloads(
  sb: Sandbox,
  c: SandboxCluster,
  env: HyperPodEnvironment,
): void {
  const kube = sb.kube(c.name);
  const tlsStatus = {
    certificateARN: env.certificateArn,
    tlsCertificateOutputS3Bucket: env.bucket,
    tlsCertificateS3Keys: [`certs/${c.name}/llama-3-8b/tls.pem`],
  };
  kube.create(
    {
      apiVersion: `${GROUP}/v1`,
      kind: 'JumpStartModel',
      metadata: { name: 'llama-3-8b', namespace: 'default' },
      spec: {
        model: {
          modelHubName: 'SageMakerPublicHub',
          modelId: 'meta-textgeneration-llama-3-8b',
          modelVersion: '2.8.0',
        },
        server: { instanceType: 'ml.g5.8xlarge' },
        sageMakerEndpoint: { name: 'llama-3-8b' },
        tlsConfig: { tlsCertificateOutputS3Uri: `s3://${env.bucket}/certs/${c.name}/llama-3-8b/` },
      },
      status: { state: 'DeploymentComplete', tlsCertificate: tlsStatus },
    },
    'hyperpod-inference-operator',
  );
  kube.create(
    {
      apiVersion: `${GROUP}/v1`,
      kind: 'InferenceEndpointConfig',
      metadata: { name: 'mistral-7b', namespace: 'default' },
      spec: {
        modelName: 'mistral-7b',
        endpointName: 'mistral-7b',
        instanceType: 'ml.g5.2xlarge',
        tlsConfig: { tlsCertificateOutputS3Uri: `s3://${env.bucket}/certs/${c.name}/mistral-7b/` },
      },
      status: {
        state: 'DeploymentComplete',
        tlsCertificate: { ...tlsStatus, tlsCertificateS3Keys: [] },
      },
    },
    'hyperpod-inference-operator',
  );
  kube.create(
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        name: 'alb-llama-3-8b',
        namespace: 'default',
        annotations: {
          'alb.ingress.kubernetes.io/certificate-arn': env.certificateArn,
          'alb.ingress.kubernetes.io/scheme': 'internet-facing',
        },
      },
      spec: {
        ingressClassName: 'alb',
        rules: [
          {
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: 'llama-3-8b', port: { number: 8443 } } },
                },
              ],
            },
          },
        ],
      },
      status: { loadBalancer: { ingress: [{ hostname: env.loadBalancerDns }] } },
    },
    'hyperpod-inference-operator',
  );
}
