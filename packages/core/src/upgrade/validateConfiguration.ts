/**
 * Checks add-on configurationValues against the JSON Schema EKS publishes for an add-on version
 * (DescribeAddonConfiguration's `configurationSchema`), before anything is sent to EKS.
 */
import Ajv from 'ajv';

export interface ConfigurationCheck {
  valid: boolean;
  /** One line per problem, `$.path: message`, as EKS words schema errors. */
  errors: string[];
}

export function validateConfiguration(
  values: unknown,
  schemaText: string | undefined,
): ConfigurationCheck {
  if (schemaText === undefined || schemaText.trim() === '') {
    // Versions without a schema take no configuration.
    const empty =
      values === undefined ||
      (typeof values === 'object' && values !== null && Object.keys(values).length === 0);
    return empty
      ? { valid: true, errors: [] }
      : { valid: false, errors: ['$: this version takes no configuration'] };
  }
  let schema: object;
  try {
    schema = JSON.parse(schemaText) as object;
  } catch (e) {
    return {
      valid: false,
      errors: [`configuration schema is not valid JSON: ${(e as Error).message}`],
    };
  }
  // EKS's schemas are draft-07 with `$schema` set; strict mode would reject vendor keywords.
  const ajv = new Ajv({ allErrors: true, strict: false });
  let check: ReturnType<Ajv['compile']>;
  try {
    check = ajv.compile(schema);
  } catch (e) {
    return {
      valid: false,
      errors: [`configuration schema does not compile: ${(e as Error).message}`],
    };
  }
  if (check(values)) return { valid: true, errors: [] };
  const errors = (check.errors ?? []).map((e) => {
    const path = '$' + e.instancePath.replace(/\//g, '.');
    const extra =
      e.keyword === 'additionalProperties'
        ? ` (${String((e.params as { additionalProperty: string }).additionalProperty)})`
        : '';
    return `${path}: ${e.message ?? 'is invalid'}${extra}`;
  });
  return { valid: false, errors };
}
