export {
  buildAgenda,
  createExtractiveSummarizer,
  summarizeExtractively,
} from './extractive/index.ts';
// The Azure OpenAI summarizer lives in infra/providers/azure-openai (infra/providers/engines.ts
// builds it when configured), so the openai SDK is loaded only by deployments that use it.
export { ParticipantDirectory } from './participants.ts';
export {
  SummarizerUnavailableError,
  SummaryInputError,
  SummaryModelError,
  type ActionItem,
  type AgendaItem,
  type Invite,
  type MeetingContext,
  type MeetingSummary,
  type OpenActionItem,
  type Participant,
  type Summarizer,
  type SummarizerEngine,
  type SummaryInput,
} from './summarizer.ts';
