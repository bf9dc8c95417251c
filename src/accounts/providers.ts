import type { AccountsConfig } from '../config/config';
import { facebookOAuthProvider, instagramOAuthProvider } from './meta-oauth';
import type { OAuthProvider } from './oauth-provider';
import { xOAuthProvider } from './x-oauth';
import { linkedinOAuthProvider } from './linkedin-oauth';

/** The networks whose accounts can be connected here, in the order the accounts page offers them. */
export function oauthProviders(config: AccountsConfig): OAuthProvider[] {
  const meta = config.facebook ? [facebookOAuthProvider(config.facebook), instagramOAuthProvider(config.facebook)] : [];
  return [xOAuthProvider(config.x), ...meta, ...(config.linkedin ? [linkedinOAuthProvider(config.linkedin)] : [])];
}
