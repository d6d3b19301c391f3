// The Slack links of Quorum people (control database): one record per Slack user of a
// workspace, `${teamId}:${slackUserId}`, listed per person (core/identity/lists.ts) so a
// person's links are found by exact `_id`. Personal data: exported and erased with the account.
import { Schema } from 'mongoose';
import { linkPersonalData } from '../../../core/identity/link-personal-data.ts';
import { ownerList, type OwnerList } from '../../../core/identity/lists.ts';
import type { PersonalDataSection } from '../../../core/identity/personal-data.ts';
import { defineModel, type Store } from '../../../core/store/store.ts';

export interface SlackUserLinkDoc {
  /** `${teamId}:${slackUserId}` */
  _id: string;
  teamId: string;
  slackUserId: string;
  tenantId: string;
  userId: string;
  /** How the link was made: the person confirmed it, or their Slack email matched. */
  via: 'confirmed' | 'email';
  createdAt: Date;
}

export const SlackUserLink = defineModel<SlackUserLinkDoc>(
  'SlackUserLink',
  new Schema<SlackUserLinkDoc>(
    {
      _id: { type: String, required: true },
      teamId: { type: String, required: true },
      slackUserId: { type: String, required: true },
      tenantId: { type: String, required: true },
      userId: { type: String, required: true, index: true },
      via: { type: String, required: true },
      createdAt: { type: Date, default: () => new Date() },
    },
    { collection: 'slack_user_links', versionKey: false },
  ),
);

/** Each person's Slack links (ids `${teamId}:${slackUserId}`). */
export function slackLinkList(store: Store): OwnerList {
  return ownerList(store, 'user', 'slackLinks');
}

/** Slack links are personal data: exported with the account and erased with it. */
export function slackPersonalData(store: Store): PersonalDataSection {
  return linkPersonalData({
    name: 'slack',
    countKey: 'slackLinks',
    model: store.controlModel(SlackUserLink),
    list: slackLinkList(store),
    exported: (l) => ({
      teamId: l.teamId,
      slackUserId: l.slackUserId,
      via: l.via,
      createdAt: l.createdAt,
    }),
  });
}
