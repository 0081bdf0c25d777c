/**
 * The faces' helpers over missingPermissionOfError: a scan report whose refused reads carry their
 * one line (`permission`), and the line for any thrown error that is a refusal.
 */
import { GatewayError, type ScanError } from '@hyperpod/core';
import { missingPermissionLine, missingPermissionOfError } from './missingPermission';
import type { PermissionSetId } from './permissionSets';

/** The report with each refused read's `permission` line filled in. */
export function explainRefusals<T extends { errors: ScanError[] }>(report: T): T {
  if (!report.errors.some((e) => e.kind === 'AccessDenied')) return report;
  return {
    ...report,
    errors: report.errors.map((e) => {
      const m = missingPermissionOfError(e);
      return m ? { ...e, permission: missingPermissionLine(m) } : e;
    }),
  };
}

/** The missing-permission line of a thrown refusal, or undefined for any other error. */
export function refusalLine(err: unknown, forSet?: PermissionSetId): string | undefined {
  if (!(err instanceof GatewayError)) return undefined;
  const m = missingPermissionOfError(err.toJSON(), forSet ? { forSet } : {});
  return m ? missingPermissionLine(m) : undefined;
}
