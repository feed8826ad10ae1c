import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsUUID, MaxLength } from 'class-validator';
import { OptionalTextField } from './dto-fields';

/** A person of the organization's people directory, as requests name an owner, approver or the like. */
export class PersonRefDto {
  @ApiProperty({ format: 'uuid', description: "The person's id in the organization's people directory." })
  @IsUUID('all')
  personId!: string;

  @OptionalTextField(200)
  displayName?: string;

  @ApiPropertyOptional({ format: 'email', maxLength: 320 })
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  email?: string;
}
