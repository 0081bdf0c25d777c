/**
 * @hyperpod/backend/testing: the pieces of this backend that tests and benchmarks assemble a
 * backend of their own from with `startTestBackend` (the package's main entry starts the real one).
 */
export { hyperpodDemoPolicyModule } from '../policy';
export { authWithActorFactory } from './authWithActor';
