import { ApiProperty } from '@nestjs/swagger';
import { SystemDescriptionDto } from './system-description.dto';
import { ActorView } from './views';

/** A revision of an assessment's system description; revision 0 is the one the assessment started with. */
export class SystemDescriptionRevisionView {
  @ApiProperty({ format: 'uuid' }) assessmentId!: string;
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description: '0: the description the assessment started with.',
  })
  revision!: number;
  @ApiProperty({ type: SystemDescriptionDto }) systemDescription!: SystemDescriptionDto;
  @ApiProperty({ type: String, nullable: true, description: 'What changed (null for revision 0).' })
  changeSummary!: string | null;
  @ApiProperty({
    format: 'date-time',
    description: 'When it was made (the start of the assessment, for revision 0).',
  })
  revisedAt!: string;
  @ApiProperty({ type: ActorView }) revisedBy!: ActorView;
}
