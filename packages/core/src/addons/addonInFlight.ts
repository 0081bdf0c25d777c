/**
 * EKS add-on statuses in which EKS is still changing the add-on: wait, do not decide and do not
 * send another change (EKS would refuse it with ResourceInUseException).
 */
export const ADDON_IN_FLIGHT_STATUSES: readonly string[] = ['CREATING', 'UPDATING', 'DELETING'];

export function isAddonInFlight(status: string): boolean {
  return ADDON_IN_FLIGHT_STATUSES.includes(status);
}
