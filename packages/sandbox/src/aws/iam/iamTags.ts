/** IAM tag rules: keys and values IAM accepts, at most 50, keys unique regardless of case. */
import { invalidInput, limitExceeded, type IamTag } from './IamState';

const TAG_KEY_RE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;
const TAG_VALUE_RE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const MAX_TAGS = 50;

export function validTags(tags: IamTag[]): IamTag[] {
  const seen = new Set<string>();
  for (const t of tags) {
    if (t.Key.length < 1 || t.Key.length > 128 || !TAG_KEY_RE.test(t.Key)) {
      throw invalidInput(
        `1 validation error detected: Value '${t.Key}' at 'tags.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+`,
      );
    }
    if (t.Value.length > 256 || !TAG_VALUE_RE.test(t.Value)) {
      throw invalidInput(
        `1 validation error detected: Value '${t.Value}' at 'tags.member.value' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*`,
      );
    }
    if (t.Key.toLowerCase().startsWith('aws:'))
      throw invalidInput('User is not authorized to add aws: prefixed tag keys.');
    if (seen.has(t.Key.toLowerCase()))
      throw invalidInput(
        'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
      );
    seen.add(t.Key.toLowerCase());
  }
  if (tags.length > MAX_TAGS)
    throw limitExceeded(`Cannot exceed quota for TagsPerRole: ${MAX_TAGS}`);
  return tags.map((t) => ({ ...t }));
}

/** TagRole semantics: given keys overwrite (case-insensitively), others stay. */
export function mergeTags(existing: IamTag[], added: IamTag[]): IamTag[] {
  const out = existing.map((t) => ({ ...t }));
  for (const t of added) {
    const i = out.findIndex((x) => x.Key.toLowerCase() === t.Key.toLowerCase());
    if (i >= 0) out[i] = { ...t };
    else out.push({ ...t });
  }
  if (out.length > MAX_TAGS)
    throw limitExceeded(`Cannot exceed quota for TagsPerRole: ${MAX_TAGS}`);
  return out;
}

/** Tags as a key → value record (snapshots, `aws:ResourceTag/<key>`). */
export function tagRecord(tags: IamTag[]): Record<string, string> {
  return Object.fromEntries(tags.map((t) => [t.Key, t.Value]));
}

/** A key → value record as IAM tags (seeding). */
export function tagsOf(record: Record<string, string> | undefined): IamTag[] {
  return Object.entries(record ?? {}).map(([Key, Value]) => ({ Key, Value }));
}
