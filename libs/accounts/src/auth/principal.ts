/** Who is making a request, as the guards and services see it. */
export interface Principal {
  id: string;
  sessionId: string;
  roles: string[];
  displayName: string;
  /** The stakeholder profile as it is now (what a contribution copies at submission). */
  profile: PrincipalProfile;
}

export interface PrincipalProfile {
  stakeholderGroup: string;
  organisation: string;
  country: string;
  region: string;
  capacity: string;
  verified: boolean;
}

export function hasRole(p: Principal | undefined, ...roles: string[]): boolean {
  return !!p && (p.roles.includes('admin') || roles.some((r) => p.roles.includes(r)));
}
