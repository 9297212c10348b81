export const STAKEHOLDER_GROUPS = [
  'government',
  'intergovernmental',
  'private_sector',
  'civil_society',
  'technical_community',
  'academia',
] as const;
export type StakeholderGroup = (typeof STAKEHOLDER_GROUPS)[number];

export const CAPACITIES = ['personal', 'representative'] as const;
export type Capacity = (typeof CAPACITIES)[number];

/** Platform-wide roles; roles inside one consultation (chair, moderator) are memberships. */
export const ROLES = ['participant', 'moderator', 'chair', 'admin'] as const;
export type Role = (typeof ROLES)[number];
