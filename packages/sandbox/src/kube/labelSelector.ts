/**
 * Label and field selectors as list calls take them (`app=x,tier!=db,env in (a,b),!legacy`,
 * `metadata.name=x`), with apiserver's error wording for the ones it refuses.
 */
import { KubeStatusError } from './KubeStatusError';
import type { KubeObject } from './types';

type Requirement =
  | { key: string; op: 'eq' | 'neq'; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'notexists' };

export type LabelPredicate = (labels: Record<string, string>) => boolean;

/** Splits on commas outside parentheses. */
function splitTerms(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((x) => x.trim()).filter((x) => x.length > 0);
}

const KEY =
  /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;

function checkKey(key: string, selector: string): string {
  if (!KEY.test(key))
    throw KubeStatusError.badRequest(
      `unable to parse requirement: invalid label key "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
    );
  void selector;
  return key;
}

export function parseLabelSelector(selector: string | undefined): LabelPredicate {
  if (!selector || !selector.trim()) return () => true;
  const reqs: Requirement[] = [];
  for (const term of splitTerms(selector)) {
    let m: RegExpMatchArray | null;
    if ((m = term.match(/^([^\s!=()]+)\s+(in|notin)\s*\(([^)]*)\)$/))) {
      const values = m[3]!
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v.length > 0);
      reqs.push({ key: checkKey(m[1]!, selector), op: m[2] === 'in' ? 'in' : 'notin', values });
    } else if ((m = term.match(/^([^\s!=]+)\s*(==|=|!=)\s*([^\s,]*)$/))) {
      reqs.push({ key: checkKey(m[1]!, selector), op: m[2] === '!=' ? 'neq' : 'eq', value: m[3]! });
    } else if ((m = term.match(/^!\s*([^\s!=]+)$/))) {
      reqs.push({ key: checkKey(m[1]!, selector), op: 'notexists' });
    } else if ((m = term.match(/^([^\s!=()]+)$/))) {
      reqs.push({ key: checkKey(m[1]!, selector), op: 'exists' });
    } else {
      throw KubeStatusError.badRequest(
        `unable to parse requirement: found '${term}', expected: !, identifier, or 'end of string'`,
      );
    }
  }
  return (labels) =>
    reqs.every((r) => {
      const has = Object.prototype.hasOwnProperty.call(labels, r.key);
      const v = labels[r.key];
      switch (r.op) {
        case 'eq':
          return has && v === r.value;
        case 'neq':
          return !has || v !== r.value;
        case 'in':
          return has && r.values.includes(v!);
        case 'notin':
          return !has || !r.values.includes(v!);
        case 'exists':
          return has;
        case 'notexists':
          return !has;
      }
    });
}

export type ObjectPredicate = (obj: KubeObject) => boolean;

/** Field selectors on metadata.name / metadata.namespace (what every type supports). */
export function parseFieldSelector(selector: string | undefined): ObjectPredicate {
  if (!selector || !selector.trim()) return () => true;
  const tests: ObjectPredicate[] = [];
  for (const term of splitTerms(selector)) {
    const m = term.match(/^([^\s!=]+)\s*(==|=|!=)\s*(.*)$/);
    if (!m)
      throw KubeStatusError.badRequest(
        `invalid selector: '${selector}'; can't understand '${term}'`,
      );
    const [, field, op, value] = m as unknown as [string, string, string, string];
    let get: (o: KubeObject) => string;
    if (field === 'metadata.name') get = (o) => o.metadata.name;
    else if (field === 'metadata.namespace') get = (o) => o.metadata.namespace ?? '';
    else throw KubeStatusError.badRequest(`field label not supported: ${field}`);
    tests.push(op === '!=' ? (o) => get(o) !== value : (o) => get(o) === value);
  }
  return (o) => tests.every((t) => t(o));
}
