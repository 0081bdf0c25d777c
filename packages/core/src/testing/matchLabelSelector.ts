/**
 * Kubernetes label selectors (`a=b`, `a==b`, `a!=b`, `a`, `!a`, `a in (x,y)`, `a notin (x)`),
 * as the API server evaluates them, for the in-memory kube fake.
 */
import { GatewayError } from '../ports/GatewayError';

/** Refuses a selector the API server cannot parse (400), as the server does. */
export function validateSelector(selector: string, kind: string): void {
  // The obvious cases only: the fake is not a parser.
  if (/(^|,)\s*(=|!=|==)/.test(selector) || /\(\s*$/.test(selector)) {
    throw new GatewayError(
      'InvalidParameter',
      `unable to parse requirement: ${selector}`,
      'kubernetes',
      `list ${kind.toLowerCase()}`,
      'BadRequest',
      400,
    );
  }
}

/** Whether labels match a selector, as the API server evaluates it; no selector matches all. */
export function matchLabelSelector(
  selector: string | undefined,
  labels: Record<string, string> = {},
): boolean {
  if (!selector || selector.trim() === '') return true;
  return splitRequirements(selector).every((req) => matches(req.trim(), labels));
}

function splitRequirements(selector: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim() !== '') out.push(cur);
  return out;
}

function matches(req: string, labels: Record<string, string>): boolean {
  let m = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(req);
  if (m) {
    const values = m[3]!.split(',').map((v) => v.trim());
    const has = m[1]! in labels && values.includes(labels[m[1]!]!);
    return m[2] === 'in' ? has : !has;
  }
  m = /^([^!=\s]+)\s*(!=|==|=)\s*(\S*)$/.exec(req);
  if (m) {
    const present = m[1]! in labels;
    return m[2] === '!=' ? !present || labels[m[1]!] !== m[3] : present && labels[m[1]!] === m[3];
  }
  if (req.startsWith('!')) return !(req.slice(1).trim() in labels);
  return req in labels;
}
