import { ArgumentMetadata, BadRequestException, ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { InvalidInput, jsonPointer } from './problem-details';

/** A request whose body, query or path parameters break their DTO's rules; answered as a 400 problem. */
export class RequestValidationError extends BadRequestException {
  constructor(readonly errors: InvalidInput[]) {
    super('request validation failed');
    this.name = 'RequestValidationError';
  }
}

/** Carries class-validator's errors from the exception factory back to the pipe, which knows where they were. */
class ValidationFailure {
  constructor(readonly errors: ValidationError[]) {}
}

/**
 * Nest's ValidationPipe as every Attest service uses it: DTO classes with class-validator rules, unknown properties
 * refused (whitelist + forbidNonWhitelisted), payloads turned into DTO instances (transform). Its failures become
 * a RequestValidationError with one JSON pointer per broken rule, which ProblemDetailsFilter answers.
 */
export class RequestValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      // Never echo submitted values (they may hold evidence or secrets) back in errors or logs.
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => new ValidationFailure(errors),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (
      isWholeBodyDto(metadata) &&
      value !== undefined &&
      (value === null || typeof value !== 'object' || Array.isArray(value))
    ) {
      throw new RequestValidationError([{ pointer: '', message: 'the request body must be a JSON object' }]);
    }
    try {
      return await super.transform(value, metadata);
    } catch (e) {
      if (e instanceof ValidationFailure) throw new RequestValidationError(invalidInputs(e.errors, metadata));
      throw e;
    }
  }
}

const NOT_DTOS: unknown[] = [String, Number, Boolean, Array, Object];

function isWholeBodyDto(metadata: ArgumentMetadata): boolean {
  return (
    metadata.type === 'body' && !metadata.data && !!metadata.metatype && !NOT_DTOS.includes(metadata.metatype)
  );
}

/** Flattens class-validator's tree of errors into one entry per broken rule, each with its JSON pointer. */
export function invalidInputs(
  errors: ValidationError[],
  metadata: Pick<ArgumentMetadata, 'type' | 'data'> = { type: 'body' },
): InvalidInput[] {
  const where = metadata.type === 'query' ? 'query' : metadata.type === 'param' ? 'path' : undefined;
  // `@Body('field')` validates one field of the body: its pointer starts there.
  const base = metadata.type === 'body' && metadata.data ? [metadata.data] : [];
  const out: InvalidInput[] = [];
  const walk = (error: ValidationError, path: string[]) => {
    // Nest reports a body that is not an object under the name of the argument (e.g. 'body'): that is the root.
    const isWholeArgument =
      path.length === base.length &&
      error.property === (metadata.data || metadata.type) &&
      !error.children?.length &&
      Object.keys(error.constraints ?? {}).join() === 'isObject';
    const here = isWholeArgument || error.property === undefined ? path : [...path, String(error.property)];
    for (const message of Object.values(error.constraints ?? {})) {
      out.push({ pointer: jsonPointer(here), message, ...(where ? { in: where } : {}) });
    }
    for (const child of error.children ?? []) walk(child, here);
  };
  for (const error of errors) walk(error, base);
  return out;
}
