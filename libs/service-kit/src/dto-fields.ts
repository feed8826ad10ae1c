import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayUnique, IsArray, IsOptional, IsString, IsUUID, Length, ValidateNested } from 'class-validator';

/**
 * Request-body fields as they recur across the services' DTOs: each decorator below stands for the OpenAPI
 * property plus the validation it always comes with, so a DTO says what a field is once.
 */

/** What a field's OpenAPI property may say besides what the decorator derives. */
export interface FieldDocs {
  description?: string;
  example?: unknown;
  default?: unknown;
}

/** A request DTO class (no constructor arguments). */
export type DtoClass = new () => object;

/** Applies decorators as if they were written one above the other on the property (the lowest first). */
function stacked(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => {
    for (const decorator of [...decorators].reverse()) decorator(target, key);
  };
}

/** A required text of 1 to `maxLength` characters. */
export function TextField(maxLength: number, docs: FieldDocs = {}): PropertyDecorator {
  return stacked(ApiProperty({ minLength: 1, maxLength, ...docs }), IsString(), Length(1, maxLength));
}

/** An optional text of 1 to `maxLength` characters. */
export function OptionalTextField(maxLength: number, docs: FieldDocs = {}): PropertyDecorator {
  return stacked(
    ApiPropertyOptional({ minLength: 1, maxLength, ...docs }),
    IsOptional(),
    IsString(),
    Length(1, maxLength),
  );
}

/** A required object validated as `type`. */
export function NestedField(type: DtoClass, docs: FieldDocs = {}): PropertyDecorator {
  return stacked(
    ApiProperty({ type, ...docs }),
    ValidateNested(),
    Type(() => type),
  );
}

/** An optional object validated as `type`. */
export function OptionalNestedField(type: DtoClass, docs: FieldDocs = {}): PropertyDecorator {
  return stacked(
    ApiPropertyOptional({ type, ...docs }),
    IsOptional(),
    ValidateNested(),
    Type(() => type),
  );
}

/** A required array of objects, each validated as `type`. */
export function NestedListField(type: DtoClass, docs: FieldDocs = {}): PropertyDecorator {
  return stacked(
    ApiProperty({ type: [type], ...docs }),
    IsArray(),
    ValidateNested({ each: true }),
    Type(() => type),
  );
}

/** An optional array of objects, each validated as `type`. */
export function OptionalNestedListField(type: DtoClass, docs: FieldDocs = {}): PropertyDecorator {
  return stacked(
    ApiPropertyOptional({ type: [type], ...docs }),
    IsOptional(),
    IsArray(),
    ValidateNested({ each: true }),
    Type(() => type),
  );
}

/** A required array of distinct UUIDs. */
export function UuidListField(docs: FieldDocs = {}): PropertyDecorator {
  return stacked(
    ApiProperty({ type: [String], format: 'uuid', ...docs }),
    IsArray(),
    ArrayUnique(),
    IsUUID('all', { each: true }),
  );
}

/** An optional array of distinct UUIDs. */
export function OptionalUuidListField(docs: FieldDocs = {}): PropertyDecorator {
  return stacked(
    ApiPropertyOptional({ type: [String], format: 'uuid', ...docs }),
    IsOptional(),
    IsArray(),
    ArrayUnique(),
    IsUUID('all', { each: true }),
  );
}
