import { DomainError } from './decider';

/** A required free text (a reason, a comment): recorded as given, refused when blank or too long. */
export function requiredText(field: string, value: string, max: number): string {
  if (typeof value !== 'string' || !value.trim())
    throw new DomainError('text-required', `${field} is required`, { field });
  return limitedText(field, value, max);
}

/** An optional free text: absent when blank, refused when too long. */
export function optionalText(field: string, value: string | undefined, max: number): string | undefined {
  return value?.trim() ? limitedText(field, value, max) : undefined;
}

function limitedText(field: string, value: string, max: number): string {
  if (value.length > max)
    throw new DomainError('text-too-long', `${field} is longer than ${max} characters`, { field, max });
  return value;
}
