import { IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { CreateCalendarTokenDto } from '../calendar/dto/create-calendar-token.dto';

/** The sign-in form: a user token, and the page to return to (checked by safeNext). */
export class SignInForm {
  @IsString()
  @MaxLength(500)
  token!: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  next?: string;
}

/** The subscription page: create a token (the API's DTO), or revoke one by its id. */
export class SubscriptionForm extends CreateCalendarTokenDto {
  @IsOptional()
  @IsInt()
  @Min(1)
  revoke?: number;
}
