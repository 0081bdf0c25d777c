import { GatewayError } from '../ports/GatewayError';

/** The GatewayError a call fails with, for tests: any other outcome (success, another error) fails the test. */
export async function gatewayFailure(p: Promise<unknown>): Promise<GatewayError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof GatewayError) return e;
    throw e;
  }
  throw new Error('expected a GatewayError');
}
