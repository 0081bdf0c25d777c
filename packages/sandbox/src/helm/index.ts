/** Seeding Helm 3 releases into sandbox clusters exactly as helm stores them. */
export { buildHelmRelease, goTime, helmOwnedObject, isClusterScopedKind } from './buildHelmRelease';
export type {
  BuiltHelmRelease,
  HelmChartSeed,
  HelmReleaseSeed,
  HelmRevisionSeed,
} from './buildHelmRelease';
export { HELM_INSTALL_ORDER, renderManifest, sortManifestDocuments } from './helmManifest';
export type { ManifestDocument, RenderedTemplate } from './helmManifest';
export { seedHelmRelease } from './seedHelmRelease';
export { coalesce } from './coalesce';
export {
  INFERENCE_OPERATOR_CHART,
  INFERENCE_OPERATOR_CHART_VERSIONS,
  inferenceOperatorChart,
  inferenceOperatorDefaultValues,
} from './inferenceOperatorChart';
export * from './inferenceOperatorRelease';
export * from './renderInferenceOperatorChart';
