import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, IsUrl, MaxLength } from 'class-validator';
import { RevisionDto } from '../../approvals/dto/approval-action.dto';

export class MarkPublishedDto extends RevisionDto {
  @ApiProperty({ example: 'https://x.com/natcsee/status/1450000000000000000', description: 'where the post now is' })
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  url!: string;

  @ApiPropertyOptional({ example: '1450000000000000000', description: "the network's own id of the post, when known (tweet id, Graph id, urn); its responses are read by it" })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  id?: string;
}
