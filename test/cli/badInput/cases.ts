/** Every bad input of the suite, grouped by what the user got wrong. */
import { credentials, unreachable } from './accessCases';
import type { BadInput } from './BadInput';
import { fleetFiles, kubeconfigs, names } from './configCases';
import { durations, flags } from './usageCases';

export type { BadInput, Ctx } from './BadInput';

export const BAD_INPUTS: readonly BadInput[] = [
  ...flags,
  ...durations,
  ...names,
  ...kubeconfigs,
  ...fleetFiles,
  ...credentials,
  ...unreachable,
];
