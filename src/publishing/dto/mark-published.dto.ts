import { ApiProperty } from '@nestjs/swagger';
import { IsUrl } from 'class-validator';
import { RevisionDto } from '../../approvals/dto/approval-action.dto';

export class MarkPublishedDto extends RevisionDto {
  @ApiProperty({ example: 'https://x.com/natcsee/status/1450000000000000000', description: 'where the post now is' })
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  url!: string;
}
