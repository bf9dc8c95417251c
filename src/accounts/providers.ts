import type { AccountsConfig } from '../config/config';
import type { OAuthProvider } from './oauth-provider';
import { xOAuthProvider } from './x-oauth';
import { linkedinOAuthProvider } from './linkedin-oauth';

/** The networks whose accounts can be connected here, in the order the accounts page offers them. */
export function oauthProviders(config: AccountsConfig): OAuthProvider[] {
  return [xOAuthProvider(config.x), ...(config.linkedin ? [linkedinOAuthProvider(config.linkedin)] : [])];
}
