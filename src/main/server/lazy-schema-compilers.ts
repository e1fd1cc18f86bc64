/**
 * Route schemas compiled by a route's first request instead of at start-up.
 *
 * Fastify compiles every route's validators (ajv) and response serializers (fast-json-stringify)
 * as routes are added: for the ~30 API routes that was ~6 MB of the idle server's RSS (the
 * compilers' garbage grew old space to 16 MB; 80.1 → 73.4 MB measured with compilation off).
 * A tracker that only ingests never needs the API's, so each route gets a stand-in that
 * compiles its schema (and loads ajv and fast-json-stringify at all) when it first runs, with
 * Fastify's own compilers and options: the same validation, coercion and error messages.
 *
 * One difference: a schema that does not compile fails its route's first request (a 500)
 * rather than the start. No route declares a `headers` schema, the only part Fastify treats
 * differently when the compiler is not its own (it leaves header names' case as declared).
 */
import type { FastifyServerOptions } from 'fastify';
import { lazyModule } from '../lazy-module';

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;
type ValidatorFactory = NonNullable<CompilersFactory['buildValidator']>;
type SerializerFactory = NonNullable<CompilersFactory['buildSerializer']>;
type ValidatorCompiler = ReturnType<ValidatorFactory>;
type Validate = ReturnType<ValidatorCompiler> & { errors?: unknown };
type Serialize = ReturnType<ReturnType<SerializerFactory>>;

const ajvCompiler = lazyModule<typeof import('@fastify/ajv-compiler')>('@fastify/ajv-compiler');
const serializerCompiler = lazyModule<typeof import('@fastify/fast-json-stringify-compiler')>('@fastify/fast-json-stringify-compiler');

/** Fastify's default compilers, each built on first use (one pool of each, as Fastify keeps). */
export function lazySchemaCompilers(): CompilersFactory {
  let validators: ValidatorFactory | null = null;
  let serializers: SerializerFactory | null = null;
  return {
    buildValidator: lazyValidators(() => (validators ??= ajvCompiler()())),
    buildSerializer: lazySerializers(() => (serializers ??= serializerCompiler()())),
  };
}

export function lazyValidators(loadFactory: () => ValidatorFactory): ValidatorFactory {
  return (externalSchemas, options) => {
    let compile: ValidatorCompiler | null = null;
    return (route) => {
      let validate: Validate | null = null;
      const compiled = (): Validate => (validate ??= (compile ??= loadFactory()(externalSchemas, options))(route) as Validate);
      const lazy = (data: unknown) => compiled()(data);
      // Fastify reads a failed validation's errors from the function it called.
      Object.defineProperty(lazy, 'errors', { get: () => validate?.errors ?? null });
      // Fastify calls it and reads `errors`; ajv's other fields on the type are for ajv's own callers.
      return lazy as unknown as Validate;
    };
  };
}

export function lazySerializers(loadFactory: () => SerializerFactory): SerializerFactory {
  return (externalSchemas, options) => {
    let compile: ReturnType<SerializerFactory> | null = null;
    return (route) => {
      let serialize: Serialize | null = null;
      return (data: unknown) => (serialize ??= (compile ??= loadFactory()(externalSchemas, options))(route))(data);
    };
  };
}
