/** Who is making a request, as the guards and services see it. */
export interface Principal {
  id: string;
  sessionId: string;
  roles: string[];
  displayName: string;
}

export function hasRole(p: Principal | undefined, ...roles: string[]): boolean {
  return !!p && (p.roles.includes('admin') || roles.some((r) => p.roles.includes(r)));
}
