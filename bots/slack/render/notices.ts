// What Slack users are told when Quorum cannot do what they asked: always what went wrong and
// what to do about it, never silence and never a stack trace.
import { failureText } from '../../../infra/http/failure-reference.ts';
import { formatUnderstood } from '../../../core/scheduling/command-text/index.ts';
import { COMMAND, type SlackMessage } from './help.ts';
import { actions, button, context, escapeText, section } from './limits.ts';

export function notLinked(connectUrl: string, slackEmail: string | null): SlackMessage {
  const why = slackEmail
    ? `No one in your Quorum organization uses ${escapeText(slackEmail)}, the email of your Slack profile.`
    : 'Your Slack profile does not show an email Quorum could match.';
  return {
    text: 'Connect your Quorum account to schedule from Slack.',
    blocks: [
      section(`I don't know you in Quorum yet. ${why}`),
      section('Connect your Quorum account and calendar, then try again:'),
      actions([
        button('Connect Quorum', 'quorum.connect.open', { url: connectUrl, style: 'primary' }),
      ]),
    ],
  };
}

export function workspaceNotLinked(connectUrl: string): SlackMessage {
  return {
    text: 'This Slack workspace is not linked to a Quorum organization yet.',
    blocks: [
      section(
        'This Slack workspace is not linked to a Quorum organization yet. An administrator of your Quorum links it by connecting their account here:',
      ),
      actions([
        button('Connect Quorum', 'quorum.connect.open', { url: connectUrl, style: 'primary' }),
      ]),
    ],
  };
}

/** The parser writes Slack users as "@U123"; Slack shows `<@U123>` as the person's name. */
export function slackMentions(text: string): string {
  return text.replace(/@([UW][A-Z0-9]{2,})\b/g, '<@$1>');
}

export function notUnderstood(result: {
  error: string;
  understood: string[];
  example: string;
}): SlackMessage {
  return {
    text: `I didn't get that: ${result.error}`,
    blocks: [
      section(`:thinking_face: ${escapeText(result.error)}`),
      context(slackMentions(escapeText(formatUnderstood(result)))),
      section(`For example: \`${COMMAND} ${result.example}\``),
    ],
  };
}

export function failed(reference: string): SlackMessage {
  return {
    text: 'Something went wrong on our side.',
    blocks: [section(`:warning: ${failureText(reference, (r) => `\`${r}\``)}`)],
  };
}

export function plain(text: string): SlackMessage {
  return { text, blocks: [section(text)] };
}

/** Buttons to Quorum's calendar connection pages. */
export function connectCalendarButtons(baseUrl: string, providers: readonly string[]) {
  const names: Record<string, string> = { google: 'Google Calendar', microsoft: 'Microsoft 365' };
  return providers.map((provider) =>
    button(`Connect ${names[provider] ?? provider}`, `quorum.connect.${provider}`, {
      url: `${baseUrl}/connect/${provider}/start`,
    }),
  );
}
