/** The SigV4 signer's SHA-256, as the product presigns EKS tokens with it. */
export { NodeSha256 } from '../../packages/core-node/src/aws/NodeSha256';
