import type { Role } from '../campaigns/campaign-definition';

/** The caller of a request, as the auth guard found it. */
export interface AuthUser {
  id: number;
  name: string;
  role: Role;
  member: string | null;
}

export function canActForMember(user: AuthUser, member: string): boolean {
  return user.role === 'secretariat' || user.member === member;
}
