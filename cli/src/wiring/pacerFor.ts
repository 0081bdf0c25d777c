import { cacheDir } from '../launcher';
import { core, coreNode, type Core } from './loadModules';

/**
 * The pacer of this run: `--rate-limit` fixed, else the learned rate of each account and region,
 * remembered for the next run in the CLI's cache directory.
 */
export async function pacerFor(
  rateLimit: number | undefined,
): Promise<InstanceType<Core['Pacer']>> {
  const { Pacer } = await core();
  if (rateLimit) return new Pacer({ fixedRate: rateLimit });
  const { FilePacingStore } = await coreNode();
  return new Pacer({ store: new FilePacingStore(cacheDir()) });
}
