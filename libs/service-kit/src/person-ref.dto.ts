import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsUUID, MaxLength, ValidateBy } from 'class-validator';
import { ClosedDto, Omittable, OptionalTextField } from './dto-fields';

/**
 * An e-mail address that every JSON Schema validator's `format: email` accepts, the event contracts' (ajv-formats)
 * included: dot-atoms at a dotted domain of letters, digits and single hyphens, with the lengths RFC 5321 sets
 * (local part at most 64, each domain label at most 63, the domain at most 253). The pattern is in the OpenAPI
 * document; the lengths are part of `format: email` there.
 */
export const EMAIL_ADDRESS =
  /^[a-zA-Z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-zA-Z0-9!#$%&'*+/=?^_`{|}~-]+)*@[a-zA-Z0-9](?:-?[a-zA-Z0-9])*(?:\.[a-zA-Z0-9](?:-?[a-zA-Z0-9])*)+$/;

export function isEmailAddress(value: unknown): boolean {
  if (typeof value !== 'string' || !EMAIL_ADDRESS.test(value)) return false;
  const at = value.lastIndexOf('@');
  const domain = value.slice(at + 1);
  return at <= 64 && domain.length <= 253 && domain.split('.').every((label) => label.length <= 63);
}

/** A person of the organization's people directory, as requests name an owner, approver or the like. */
@ClosedDto()
export class PersonRefDto {
  @ApiProperty({ format: 'uuid', description: "The person's id in the organization's people directory." })
  @IsUUID('loose')
  personId!: string;

  @OptionalTextField(200)
  displayName?: string;

  @ApiPropertyOptional({ format: 'email', pattern: EMAIL_ADDRESS.source, maxLength: 320 })
  @Omittable()
  @ValidateBy({
    name: 'isEmailAddress',
    validator: { validate: isEmailAddress, defaultMessage: () => '$property must be an e-mail address' },
  })
  @MaxLength(320)
  email?: string;
}
