import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { ROLES, type Role } from '../../campaigns/campaign-definition';

export class CreateUserDto {
  @ApiProperty({ example: 'Ana Novak' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;

  @ApiPropertyOptional({ example: 'SI', description: 'member code; required for coordinator and comms' })
  @IsOptional()
  @Matches(/^[A-Z]{2,3}$/, { message: 'must be a member code such as SI or XK' })
  member?: string;

  @ApiPropertyOptional({ example: 'ana.novak@gov.si', description: 'where approval reminders go' })
  @IsOptional()
  @IsEmail()
  email?: string;
}
