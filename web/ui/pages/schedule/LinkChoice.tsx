// Which online-meeting link a booking (or a poll's booking) gets: Teams, Meet, Zoom or none,
// starting from the person's default (Settings). A Teams link needs a connected Microsoft 365
// calendar and a Meet link a Google one (the calendar makes the link); Zoom needs the person's
// Zoom account linked. The field says what to connect before the person books, and shows the
// server's refusal there if the link still cannot be made.
import { Field, Select } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { useApi } from '../../use-api.ts';

export type LinkType = 'teams' | 'meet' | 'zoom' | 'none';

export const LINK_NAMES: Record<LinkType, string> = {
  teams: 'Microsoft Teams',
  meet: 'Google Meet',
  zoom: 'Zoom',
  none: 'No online meeting',
};

/**
 * The chosen link type, starting from the person's default once their settings are read; and
 * that default, to go back to.
 */
export function useDefaultLinkType(): [LinkType, (link: LinkType) => void, LinkType] {
  const settings = useApi<{ defaultLinkType: LinkType }>('/api/me/settings');
  const [link, setLink] = useState<LinkType>('none');
  const saved = settings.data?.defaultLinkType;
  useEffect(() => {
    if (saved) setLink(saved);
  }, [saved]);
  return [link, setLink, saved ?? 'none'];
}

/** What to connect for this kind of link, or null when the person's calendars can make it. */
export function linkNeeds(link: LinkType, providers: string[]): string | null {
  if (link === 'teams' && !providers.includes('microsoft'))
    return 'A Teams link needs a connected Microsoft 365 calendar: connect it on the Calendars page, or choose another link.';
  if (link === 'meet' && !providers.includes('google'))
    return 'A Meet link needs a connected Google calendar: connect it on the Calendars page, or choose another link.';
  if (link === 'zoom')
    return 'Needs your Zoom account linked: open Quorum from Apps in the Zoom client and choose Authorize.';
  return null;
}

export function LinkTypeSelect({
  value,
  onChange,
  problem,
}: {
  value: LinkType;
  onChange: (link: LinkType) => void;
  /** The server's refusal of this link, shown in place of the hint. */
  problem?: string | null | undefined;
}) {
  const calendars = useApi<{ connections: Array<{ provider: string; status: string }> }>(
    '/api/calendars',
  );
  const providers = (calendars.data?.connections ?? [])
    .filter((c) => c.status === 'connected')
    .map((c) => c.provider);
  const hint = linkNeeds(value, providers);
  return (
    <Field
      label="Meeting link"
      {...(hint ? { hint } : {})}
      {...(problem ? { validationMessage: problem } : {})}
    >
      <Select value={value} onChange={(_, d) => onChange(d.value as LinkType)}>
        {(Object.keys(LINK_NAMES) as LinkType[]).map((k) => (
          <option key={k} value={k}>
            {LINK_NAMES[k]}
          </option>
        ))}
      </Select>
    </Field>
  );
}
