import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { UI_LOCALES } from '../i18n/i18n';
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

/** Asking for a sign-in link by e-mail (spaces around the address, as pasted, do not count). */
export class SignInLinkRequestForm {
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsEmail()
  @MaxLength(320)
  email!: string;
}

/** Using a sign-in link: its token, posted from the confirmation page. */
export class SignInLinkForm {
  @IsString()
  @MaxLength(200)
  token!: string;
}

/** The subscription page: create a token (the API's DTO), or revoke one by its id. */
export class SubscriptionForm extends CreateCalendarTokenDto {
  @IsOptional()
  @IsInt()
  @Min(1)
  revoke?: number;
}

/** The language switcher (signed in): one of the interface's languages, and the page to return to. */
export class LanguageForm {
  @IsIn(UI_LOCALES)
  lang!: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  next?: string;
}
