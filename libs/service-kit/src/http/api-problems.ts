import { METHOD_METADATA } from '@nestjs/common/constants';
import { DECORATORS } from '@nestjs/swagger';
import type { ProblemSlug } from './problem-types';

/** Problem types an operation declares beyond those the OpenAPI builder derives (read and removed by it). */
export const PROBLEMS_EXTENSION = 'x-attest-problems';
/** DomainError codes an operation can answer with (read and removed by the OpenAPI builder). */
export const DOMAIN_ERRORS_EXTENSION = 'x-attest-domain-errors';

/**
 * Adds values to a list-valued OpenAPI extension of a method, or of every route method of a controller, keeping
 * what other decorators (on the class or the method) added: @nestjs/swagger's ApiExtension keeps only one value.
 */
function appendToExtension(extension: string, values: readonly string[]): ClassDecorator & MethodDecorator {
  const append = (method: object) => {
    const extensions = (Reflect.getMetadata(DECORATORS.API_EXTENSION, method) ?? {}) as Record<
      string,
      unknown
    >;
    const present = (extensions[extension] ?? []) as string[];
    Reflect.defineMetadata(
      DECORATORS.API_EXTENSION,
      { ...extensions, [extension]: [...new Set([...present, ...values])] },
      method,
    );
  };
  return (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor): void => {
    if (descriptor) return append(descriptor.value as object);
    const prototype = (target as { prototype: Record<string, unknown> }).prototype;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const method = Object.getOwnPropertyDescriptor(prototype, name)?.value;
      if (
        name !== 'constructor' &&
        typeof method === 'function' &&
        Reflect.hasMetadata(METHOD_METADATA, method)
      )
        append(method);
    }
  };
}

/**
 * The registry's problem types an operation (or every operation of a controller) can answer with besides those
 * the builder derives from the operation itself: `@ApiProblems('unprocessable')`.
 */
export function ApiProblems(...slugs: ProblemSlug[]) {
  return appendToExtension(PROBLEMS_EXTENSION, slugs);
}

/**
 * DomainError codes an operation (or every operation of a controller) can answer with, documented under the status
 * the service maps each to (`domainErrorStatus`; 409 unless mapped): `@ApiDomainErrors('risk-closed')`.
 */
export function ApiDomainErrors(...codes: string[]) {
  return appendToExtension(DOMAIN_ERRORS_EXTENSION, codes);
}
