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
export {
  INFERENCE_OPERATOR_CHART,
  INFERENCE_OPERATOR_CHART_VERSIONS,
  coalesce,
  dependenciesReleaseSeed,
  inferenceOperatorChart,
  inferenceOperatorDefaultValues,
  inferenceOperatorReleaseSeed,
  inferenceOperatorValues,
  renderInferenceOperatorChart,
} from './inferenceOperatorRelease';
export type {
  InferenceOperatorRenderOptions,
  InferenceOperatorRevision,
} from './inferenceOperatorRelease';
