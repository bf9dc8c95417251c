import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ACCOUNT_NAME } from '../account-access';

/** Connecting an account: whose it is, and the name channels will use for it. */
export class ConnectAccountDto {
  @ApiProperty({ example: 'SI' })
  @IsString()
  @Matches(/^[A-Z]{2}$/, { message: 'member must be a member code such as SI' })
  member!: string;

  @ApiProperty({ example: 'si-x' })
  @IsString()
  @Matches(ACCOUNT_NAME, { message: 'name must be lower-case letters, digits and "-", such as si-x' })
  name!: string;

  /** Facebook and Instagram: which Page (its id or name); the Instagram account is the one linked to it. */
  @ApiPropertyOptional({ example: 'NATC Slovenija' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  page?: string;

  /** LinkedIn: the organisation page the account posts as (its id or URN); blank: the only one the user administers. */
  @ApiPropertyOptional({ example: 'urn:li:organization:12345' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  organization?: string;
}
