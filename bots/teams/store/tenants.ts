// Who is who, in the control database: which Quorum tenant a Microsoft tenant belongs to, and
// which Quorum person a Teams user is. Both are read by exact `_id`; a person's links and a
// tenant's Microsoft tenants through owner lists (core/identity/lists.ts).
import { Schema } from 'mongoose';
import { defineModel } from '../../../core/store/store.ts';
import { ownerList, type OwnerList } from '../../../core/identity/lists.ts';
import type { Store } from '../../../core/store/store.ts';

export interface TeamsTenantDoc {
  /** The Microsoft (Entra) tenant id. */
  _id: string;
  tenantId: string;
  createdAt: Date;
}
export const TeamsTenant = defineModel<TeamsTenantDoc>(
  'TeamsTenant',
  new Schema<TeamsTenantDoc>(
    {
      _id: { type: String, required: true },
      tenantId: { type: String, required: true, index: true },
      createdAt: { type: Date, default: () => new Date() },
    },
    { collection: 'teams_tenants', versionKey: false },
  ),
);

export interface TeamsUserLinkDoc {
  /** `${msTenantId}:${aadObjectId}` */
  _id: string;
  msTenantId: string;
  aadObjectId: string;
  tenantId: string;
  userId: string;
  /** The person confirmed it, or their Teams email matched their Quorum email. */
  via: 'confirmed' | 'email';
  createdAt: Date;
}
export const TeamsUserLink = defineModel<TeamsUserLinkDoc>(
  'TeamsUserLink',
  new Schema<TeamsUserLinkDoc>(
    {
      _id: { type: String, required: true },
      msTenantId: { type: String, required: true },
      aadObjectId: { type: String, required: true },
      tenantId: { type: String, required: true },
      userId: { type: String, required: true, index: true },
      via: { type: String, required: true },
      createdAt: { type: Date, default: () => new Date() },
    },
    { collection: 'teams_user_links', versionKey: false },
  ),
);

/** Each person's Teams links (ids `${msTenantId}:${aadObjectId}`). */
export function teamsLinkList(store: Store): OwnerList {
  return ownerList(store, 'user', 'teamsLinks');
}

/** The Microsoft tenants linked to each Quorum tenant. */
export function teamsTenantList(store: Store): OwnerList {
  return ownerList(store, 'tenant', 'teamsTenants');
}
