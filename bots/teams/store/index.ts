// What the Teams bot keeps. In the control database: tenants and user links (tenants.ts),
// conversation references (conversations.ts) and summary markers (meetings.ts). In the tenant's
// database: polls' messages and the Teams meetings Quorum follows (proposals are the assistant's).
import { TeamsConversation } from './conversations.ts';
import { TeamsSummaryPosted } from './meetings.ts';
import { TeamsTenant, TeamsUserLink } from './tenants.ts';

export const teamsControlModels = [
  TeamsTenant,
  TeamsUserLink,
  TeamsConversation,
  TeamsSummaryPosted,
];
