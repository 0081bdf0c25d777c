/** The SigV4 signer's SHA-256, as the product presigns EKS tokens with it. */
export { NodeSha256 } from '@hyperpod/core-node';
