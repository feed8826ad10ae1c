import { ApiProperty } from '@nestjs/swagger';
import { FRAMEWORK_IDS, type FrameworkId } from '@attest/catalog';
import { IsIn } from 'class-validator';

export class FrameworkParams {
  @ApiProperty({ enum: FRAMEWORK_IDS })
  @IsIn(FRAMEWORK_IDS)
  framework!: FrameworkId;
}
