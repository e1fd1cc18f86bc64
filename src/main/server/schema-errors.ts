/**
 * Request-schema refusals in plain words, for every route in one place: `webhookUrl must be an
 * http:// or https:// URL` rather than the validator's `body/webhookUrl must match pattern
 * "^https?://"`. A schema may say what a value should be with `description` (read here through
 * ajv's verbose errors); otherwise the wording comes from the failed keyword.
 */
import type { FastifySchemaValidationError, FastifyServerOptions } from 'fastify';

type SchemaErrorDataVar = Parameters<NonNullable<FastifyServerOptions['schemaErrorFormatter']>>[1];

interface VerboseError extends FastifySchemaValidationError {
  parentSchema?: { description?: unknown; type?: unknown };
}

/** The ajv options this formatter relies on (verbose: each error carries the schema that failed). */
export const PLAIN_SCHEMA_ERROR_AJV_OPTIONS = { verbose: true } as const;

export function plainSchemaError(errors: FastifySchemaValidationError[], dataVar: SchemaErrorDataVar): Error {
  // In an anyOf the first branch's complaint is the telling one (a URL, or null: the URL's).
  const error = (errors.find((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf') ?? errors[0]) as VerboseError | undefined;
  const message = error ? describe(error, dataVar) : `the request ${dataName(dataVar)} is invalid`;
  return Object.assign(new Error(message), { statusCode: 400, validationContext: dataVar });
}

function describe(error: VerboseError, dataVar: SchemaErrorDataVar): string {
  const field = fieldName(error.instancePath, dataVar);
  const params = error.params;
  const description = typeof error.parentSchema?.description === 'string' ? error.parentSchema.description : null;
  switch (error.keyword) {
    case 'required':
      return `the request ${dataName(dataVar)} needs ${quote(String(params.missingProperty))}`;
    case 'additionalProperties':
      return `${quote(String(params.additionalProperty))} is not a field this request takes`;
    case 'type':
      return `${field} must be ${article(String(params.type))}`;
    case 'pattern':
    case 'format':
      return description ? `${field} must be ${description}` : `${field} is not in the expected form`;
    case 'enum':
      return `${field} must be one of ${(params.allowedValues as unknown[]).map((v) => String(v)).join(', ')}`;
    case 'minimum':
      return `${field} must be at least ${String(params.limit)}`;
    case 'maximum':
      return `${field} must be at most ${String(params.limit)}`;
    case 'minLength':
      return params.limit === 1 ? `${field} must not be empty` : `${field} must be at least ${String(params.limit)} characters long`;
    case 'maxLength':
      return `${field} must be at most ${String(params.limit)} characters long`;
    case 'minItems':
      return `${field} needs at least ${plural(Number(params.limit), 'item')}`;
    case 'maxItems':
      return `${field} takes at most ${plural(Number(params.limit), 'item')}`;
    default:
      return `${field} ${error.message ?? 'is invalid'}`;
  }
}

function dataName(dataVar: SchemaErrorDataVar): string {
  return dataVar === 'querystring' ? 'query string' : dataVar === 'params' ? 'URL' : dataVar;
}

/** `webhookUrl`, `ids[2]`, `query parameter cursor`, `id in the URL`, or `the request body`. */
function fieldName(instancePath: string, dataVar: SchemaErrorDataVar): string {
  const path = instancePath
    .split('/')
    .filter(Boolean)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((name, part) => (/^\d+$/.test(part) ? `${name}[${part}]` : name ? `${name}.${part}` : part), '');
  if (!path) return `the request ${dataName(dataVar)}`;
  if (dataVar === 'querystring') return `query parameter ${path}`;
  if (dataVar === 'params') return `${path} in the URL`;
  if (dataVar === 'headers') return `header ${path}`;
  return path;
}

function article(type: string): string {
  const words: Record<string, string> = {
    integer: 'a whole number',
    number: 'a number',
    string: 'a string',
    boolean: 'true or false',
    array: 'a list',
    object: 'an object',
    null: 'null',
  };
  return type.split(',').map((t) => words[t] ?? t).join(' or ');
}

function quote(name: string): string {
  return `"${name.replace(/^\//, '')}"`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
