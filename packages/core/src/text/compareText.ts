/**
 * Orders strings by UTF-16 code unit: the order the Kubernetes API lists objects in (etcd keys),
 * and Go's byte order on UTF-8 for text within the Basic Multilingual Plane; the same on every
 * machine, runtime and locale. For the lower-case
 * names of add-ons, charts, namespaces and contexts it is also alphabetical.
 *
 * `localeCompare` is not used for names: it depends on the runtime's ICU data and locale, and its
 * first call builds an ICU collator (~6 ms, a measurable part of a CLI run).
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
