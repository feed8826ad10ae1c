import { ApiProperty } from '@nestjs/swagger';
import { IsUUID, Matches, registerDecorator, type ValidationOptions } from 'class-validator';

export const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
export const CATALOG_CONTROL_ID = /^[A-Z]{2,4}-[0-9]{2,3}$/;
export const CRITERION_ID = /^(CC[1-9]|A1|C1|PI1|P[1-8])\.[1-9][0-9]?$/;
export const POINT_OF_FOCUS_REF = /^(CC[1-9]|A1|C1|PI1|P[1-8])\.[1-9][0-9]?\.[1-9][0-9]?$/;
export const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const NOT_BLANK = /\S/;

/** A calendar date YYYY-MM-DD that exists. */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `${String(propertyName)} must be a date YYYY-MM-DD`, ...options },
      validator: {
        validate(value: unknown) {
          if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
          const d = new Date(`${value}T00:00:00.000Z`);
          return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value);
        },
      },
    });
}

/** An ISO 8601 date-time with a time zone (e.g. 2026-03-06T10:12:00.000Z). */
export function IsDateTime(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isDateTime',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: `${String(propertyName)} must be an ISO 8601 date-time with a time zone`,
        ...options,
      },
      validator: {
        validate(value: unknown) {
          return (
            typeof value === 'string' &&
            /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(value) &&
            !Number.isNaN(new Date(value).getTime())
          );
        },
      },
    });
}

/** An object whose values are all strings of at most `max` characters. */
export function IsStringRecord(max: number, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isStringRecord',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: `${String(propertyName)} must map names to texts of at most ${max} characters`,
        ...options,
      },
      validator: {
        validate(value: unknown) {
          return (
            !!value &&
            typeof value === 'object' &&
            !Array.isArray(value) &&
            Object.entries(value).every(
              ([k, v]) => /^[A-Za-z0-9_]{1,100}$/.test(k) && typeof v === 'string' && v.length <= max,
            )
          );
        },
      },
    });
}

export class UuidParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id!: string;
}

export class PolicyVersionParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id!: string;

  @ApiProperty({ example: '1.1.0', pattern: SEMVER.source })
  @Matches(SEMVER, { message: 'v must be a version MAJOR.MINOR.PATCH' })
  v!: string;
}
