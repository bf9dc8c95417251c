import { IsObject, IsOptional, IsString, MaxLength } from 'class-validator';

/** "Apply" on the preview page: the campaign object previewed (JSON), and the updatedAt it was read at. */
export class ApplySettingsForm {
  @IsObject()
  campaign!: Record<string, unknown>;

  @IsString()
  @MaxLength(40)
  token!: string;
}

/** The campaign page's "new edition" form: what POST /api/campaigns/:slug/editions takes (checked there). */
export class EditionForm {
  @IsString()
  @MaxLength(100)
  slug!: string;

  @IsString()
  @MaxLength(20)
  start!: string;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  name?: string;
}
