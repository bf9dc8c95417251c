import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';

export class CreateCalendarTokenDto {
  @ApiPropertyOptional({ example: 'natc-see-2021', description: 'answer with the subscription URL of this campaign' })
  @IsOptional()
  @Matches(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'must be a campaign slug such as natc-see-2021' })
  campaign?: string;
}
