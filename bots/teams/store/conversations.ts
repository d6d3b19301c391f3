// Where the bot may post (conversation references, for proactive messages), in the control
// database. A conversation reference holds ids and the Bot Connector's service URL, nothing that
// grants access by itself (posting needs the bot's own credentials), so it is stored as it is.
import { Schema } from 'mongoose';
import { defineModel } from '../../../core/store/store.ts';

export interface TeamsConversationDoc {
  /** The conversation id. */
  _id: string;
  msTenantId: string;
  tenantId: string;
  serviceUrl: string;
  conversationType: string;
  botId: string;
  createdAt: Date;
  updatedAt: Date;
}
export const TeamsConversation = defineModel<TeamsConversationDoc>(
  'TeamsConversation',
  new Schema<TeamsConversationDoc>(
    {
      _id: { type: String, required: true },
      msTenantId: { type: String, required: true },
      tenantId: { type: String, required: true, index: true },
      serviceUrl: { type: String, required: true },
      conversationType: { type: String, required: true },
      botId: { type: String, required: true },
      createdAt: { type: Date, default: () => new Date() },
      updatedAt: { type: Date, default: () => new Date() },
    },
    { collection: 'teams_conversations', versionKey: false },
  ),
);
