export {
  buildAgenda,
  createExtractiveSummarizer,
  summarizeExtractively,
} from './extractive/index.ts';
// The azure-openai summarizer is imported from './azure-openai/summarizer.ts' where it is
// configured, so the openai SDK is loaded only by deployments that use it.
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
