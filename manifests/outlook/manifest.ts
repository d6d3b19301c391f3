// The Outlook add-in in both forms Outlook accepts: the XML add-in manifest (MailApp with
// VersionOverrides: the "Schedule with Quorum" button on meetings being written, "Last meeting"
// on meetings being read, "Propose times" on emails, and event-based activation when attendees
// change) and the unified JSON app manifest (Teams schema, `extensions` for Outlook), both made
// from Quorum's public base URL. Icons are served by Quorum from manifests/icons.
//
//   node manifests/outlook/manifest.ts https://quorum.example.com [out-dir]
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ManifestModule } from '../types.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ICONS_DIR = path.join(HERE, '..', 'icons');
/** Served by Quorum (addins/outlook/transport.ts) so Outlook can fetch them. */
export const ICON_PATH = '/outlook/icons';
export const ICON_SIZES = [16, 32, 64, 80, 128] as const;
export const MAILBOX_MIN_VERSION = '1.7';
/** OnAppointmentAttendeesChanged needs Mailbox 1.11; older clients just show the buttons. */
export const EVENTS_MIN_VERSION = '1.11';
export const ATTENDEES_CHANGED_HANDLER = 'onAppointmentAttendeesChanged';
export const UNIFIED_SCHEMA_VERSION = '1.24';

export interface OutlookManifestOptions {
  /** The Entra app (MICROSOFT_CLIENT_ID) for Office SSO; without it the pane signs in by dialog. */
  microsoftClientId?: string;
  name?: string;
  version?: string;
}

/** A stable GUID per deployment, so regenerating the manifest updates the same add-in. */
export function addinId(baseUrl: string): string {
  const hex = createHash('sha256').update(`quorum-outlook:${baseUrl}`).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function baseOf(baseUrl: string): URL {
  const url = new URL(baseUrl);
  if (url.protocol !== 'https:') {
    throw new Error(`Outlook loads add-ins only over https; ${baseUrl} is not an https URL.`);
  }
  return url;
}

function xmlEscape(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
  );
}

const TEXT = {
  description: 'Find meeting times across everyone’s calendars, and remember what was decided.',
  group: 'Quorum',
  schedule: 'Schedule with Quorum',
  scheduleTip: 'Find the best times for this meeting’s attendees and write one into the invite.',
  lastMeeting: 'Last meeting',
  lastMeetingTip: 'What the last meeting with these people decided, and what is still open.',
  propose: 'Propose times',
  proposeTip: 'Put a few free times and a poll link into this email for people outside.',
};

/** The XML add-in manifest (OfficeApp, xsi:type MailApp). */
export function outlookXmlManifest(baseUrl: string, options: OutlookManifestOptions = {}): string {
  const url = baseOf(baseUrl);
  const base = url.href.replace(/\/+$/, '');
  const name = options.name ?? 'Quorum';
  const icon = (size: number) => `${base}${ICON_PATH}/color-${size}.png`;
  const taskpane = `${base}/outlook/taskpane`;
  const commands = `${base}/outlook/commands`;
  const button = (id: string, label: string, tip: string) => `
              <Control xsi:type="Button" id="${id}">
                <Label resid="${label}"/>
                <Supertip>
                  <Title resid="${label}"/>
                  <Description resid="${tip}"/>
                </Supertip>
                <Icon>
                  <bt:Image size="16" resid="Icon.16x16"/>
                  <bt:Image size="32" resid="Icon.32x32"/>
                  <bt:Image size="80" resid="Icon.80x80"/>
                </Icon>
                <Action xsi:type="ShowTaskpane">
                  <SourceLocation resid="Taskpane.Url"/>
                </Action>
              </Control>`;
  const surface = (type: string, group: string, control: string) => `
          <ExtensionPoint xsi:type="${type}">
            <OfficeTab id="TabDefault">
              <Group id="${group}">
                <Label resid="Group.Label"/>${control}
              </Group>
            </OfficeTab>
          </ExtensionPoint>`;
  const hosts = (withEvents: boolean) => `
    <Hosts>
      <Host xsi:type="MailHost">${
        withEvents
          ? `
        <Runtimes>
          <Runtime resid="Commands.Url"/>
        </Runtimes>`
          : ''
      }
        <DesktopFormFactor>
          <FunctionFile resid="Commands.Url"/>${surface(
            'AppointmentOrganizerCommandSurface',
            'quorum.organizer',
            button('quorum.schedule', 'Schedule.Label', 'Schedule.Tip'),
          )}${surface(
            'AppointmentAttendeeCommandSurface',
            'quorum.attendee',
            button('quorum.lastMeeting', 'LastMeeting.Label', 'LastMeeting.Tip'),
          )}${surface(
            'MessageComposeCommandSurface',
            'quorum.compose',
            button('quorum.propose', 'Propose.Label', 'Propose.Tip'),
          )}${
            withEvents
              ? `
          <ExtensionPoint xsi:type="LaunchEvent">
            <LaunchEvents>
              <LaunchEvent Type="OnAppointmentAttendeesChanged" FunctionName="${ATTENDEES_CHANGED_HANDLER}"/>
            </LaunchEvents>
            <SourceLocation resid="Commands.Url"/>
          </ExtensionPoint>`
              : ''
          }
        </DesktopFormFactor>
      </Host>
    </Hosts>`;
  const resources = `
    <Resources>
      <bt:Images>
${[16, 32, 80].map((s) => `        <bt:Image id="Icon.${s}x${s}" DefaultValue="${icon(s)}"/>`).join('\n')}
      </bt:Images>
      <bt:Urls>
        <bt:Url id="Commands.Url" DefaultValue="${commands}"/>
        <bt:Url id="Taskpane.Url" DefaultValue="${taskpane}"/>
      </bt:Urls>
      <bt:ShortStrings>
        <bt:String id="Group.Label" DefaultValue="${xmlEscape(TEXT.group)}"/>
        <bt:String id="Schedule.Label" DefaultValue="${xmlEscape(TEXT.schedule)}"/>
        <bt:String id="LastMeeting.Label" DefaultValue="${xmlEscape(TEXT.lastMeeting)}"/>
        <bt:String id="Propose.Label" DefaultValue="${xmlEscape(TEXT.propose)}"/>
      </bt:ShortStrings>
      <bt:LongStrings>
        <bt:String id="Schedule.Tip" DefaultValue="${xmlEscape(TEXT.scheduleTip)}"/>
        <bt:String id="LastMeeting.Tip" DefaultValue="${xmlEscape(TEXT.lastMeetingTip)}"/>
        <bt:String id="Propose.Tip" DefaultValue="${xmlEscape(TEXT.proposeTip)}"/>
      </bt:LongStrings>
    </Resources>`;
  const sso = options.microsoftClientId
    ? `
    <WebApplicationInfo>
      <Id>${xmlEscape(options.microsoftClientId)}</Id>
      <Resource>api://${url.host}/${xmlEscape(options.microsoftClientId)}</Resource>
      <Scopes>
        <Scope>openid</Scope>
        <Scope>profile</Scope>
      </Scopes>
    </WebApplicationInfo>`
    : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<OfficeApp xmlns="http://schemas.microsoft.com/office/appforoffice/1.1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:bt="http://schemas.microsoft.com/office/officeappbasictypes/1.0" xmlns:mailappor="http://schemas.microsoft.com/office/mailappversionoverrides/1.0" xsi:type="MailApp">
  <Id>${addinId(base)}</Id>
  <Version>${options.version ?? '1.0.0.0'}</Version>
  <ProviderName>${xmlEscape(name)}</ProviderName>
  <DefaultLocale>en-US</DefaultLocale>
  <DisplayName DefaultValue="${xmlEscape(name)}"/>
  <Description DefaultValue="${xmlEscape(TEXT.description)}"/>
  <IconUrl DefaultValue="${icon(64)}"/>
  <HighResolutionIconUrl DefaultValue="${icon(128)}"/>
  <SupportUrl DefaultValue="${base}/app"/>
  <AppDomains>
    <AppDomain>${url.origin}</AppDomain>
  </AppDomains>
  <Hosts>
    <Host Name="Mailbox"/>
  </Hosts>
  <Requirements>
    <Sets>
      <Set Name="Mailbox" MinVersion="${MAILBOX_MIN_VERSION}"/>
    </Sets>
  </Requirements>
  <FormSettings>
    <Form xsi:type="ItemRead">
      <DesktopSettings>
        <SourceLocation DefaultValue="${taskpane}"/>
        <RequestedHeight>250</RequestedHeight>
      </DesktopSettings>
    </Form>
    <Form xsi:type="ItemEdit">
      <DesktopSettings>
        <SourceLocation DefaultValue="${taskpane}"/>
      </DesktopSettings>
    </Form>
  </FormSettings>
  <Permissions>ReadWriteItem</Permissions>
  <Rule xsi:type="RuleCollection" Mode="Or">
    <Rule xsi:type="ItemIs" ItemType="Appointment" FormType="Edit"/>
    <Rule xsi:type="ItemIs" ItemType="Appointment" FormType="Read"/>
    <Rule xsi:type="ItemIs" ItemType="Message" FormType="Edit"/>
  </Rule>
  <DisableEntityHighlighting>false</DisableEntityHighlighting>
  <VersionOverrides xmlns="http://schemas.microsoft.com/office/mailappversionoverrides" xsi:type="VersionOverridesV1_0">
    <Requirements>
      <bt:Sets DefaultMinVersion="${MAILBOX_MIN_VERSION}">
        <bt:Set Name="Mailbox"/>
      </bt:Sets>
    </Requirements>${hosts(false)}${resources}
    <VersionOverrides xmlns="http://schemas.microsoft.com/office/mailappversionoverrides/1.1" xsi:type="VersionOverridesV1_1">
      <Requirements>
        <bt:Sets DefaultMinVersion="${MAILBOX_MIN_VERSION}">
          <bt:Set Name="Mailbox"/>
        </bt:Sets>
      </Requirements>${hosts(true).replace(/\n/g, '\n  ')}${resources.replace(/\n/g, '\n  ')}${sso.replace(/\n/g, '\n  ')}
    </VersionOverrides>
  </VersionOverrides>
</OfficeApp>
`;
}

/** The unified app manifest (Teams schema with `extensions`), for Microsoft 365 sideloading. */
export function outlookUnifiedManifest(baseUrl: string, options: OutlookManifestOptions = {}) {
  const url = baseOf(baseUrl);
  const base = url.href.replace(/\/+$/, '');
  const name = options.name ?? 'Quorum';
  const icons = [16, 32, 80].map((size) => ({
    size,
    url: `${base}${ICON_PATH}/color-${size}.png`,
  }));
  const mail = [{ name: 'Mailbox', minVersion: MAILBOX_MIN_VERSION }];
  const button = (id: string, label: string, tip: string) => ({
    id,
    type: 'button' as const,
    label,
    icons,
    supertip: { title: label, description: tip },
    actionId: 'openTaskpane',
  });
  const ribbon = (
    contexts: Array<'meetingDetailsOrganizer' | 'meetingDetailsAttendee' | 'mailCompose'>,
    groupId: string,
    control: ReturnType<typeof button>,
  ) => ({
    contexts,
    tabs: [
      {
        builtInTabId: 'TabDefault',
        groups: [{ id: groupId, label: TEXT.group, icons, controls: [control] }],
      },
    ],
  });
  return {
    $schema: `https://developer.microsoft.com/json-schemas/teams/v${UNIFIED_SCHEMA_VERSION}/MicrosoftTeams.schema.json`,
    manifestVersion: UNIFIED_SCHEMA_VERSION,
    version: (options.version ?? '1.0.0.0').split('.').slice(0, 3).join('.'),
    id: addinId(base),
    developer: {
      name,
      websiteUrl: `${base}/app`,
      privacyUrl: `${base}/app`,
      termsOfUseUrl: `${base}/app`,
    },
    name: { short: name, full: `${name} for Outlook` },
    description: { short: TEXT.description.slice(0, 80), full: TEXT.description },
    icons: { outline: 'outline.png', color: 'color.png' },
    accentColor: '#1D3557',
    validDomains: [url.host],
    ...(options.microsoftClientId
      ? {
          webApplicationInfo: {
            id: options.microsoftClientId,
            resource: `api://${url.host}/${options.microsoftClientId}`,
          },
        }
      : {}),
    authorization: {
      permissions: {
        resourceSpecific: [{ name: 'MailboxItem.ReadWrite.User', type: 'Delegated' }],
      },
    },
    extensions: [
      {
        requirements: { scopes: ['mail'], capabilities: mail },
        runtimes: [
          {
            id: 'TaskPaneRuntime',
            type: 'general',
            code: { page: `${base}/outlook/taskpane` },
            lifetime: 'short',
            actions: [{ id: 'openTaskpane', type: 'openPage', pinnable: false }],
          },
          {
            id: 'EventsRuntime',
            requirements: { capabilities: [{ name: 'Mailbox', minVersion: EVENTS_MIN_VERSION }] },
            type: 'general',
            code: { page: `${base}/outlook/commands` },
            lifetime: 'short',
            actions: [{ id: ATTENDEES_CHANGED_HANDLER, type: 'executeFunction' }],
          },
        ],
        ribbons: [
          ribbon(
            ['meetingDetailsOrganizer'],
            'quorum.organizer',
            button('quorum.schedule', TEXT.schedule, TEXT.scheduleTip),
          ),
          ribbon(
            ['meetingDetailsAttendee'],
            'quorum.attendee',
            button('quorum.lastMeeting', TEXT.lastMeeting, TEXT.lastMeetingTip),
          ),
          ribbon(
            ['mailCompose'],
            'quorum.compose',
            button('quorum.propose', TEXT.propose, TEXT.proposeTip),
          ),
        ],
        autoRunEvents: [
          {
            requirements: { capabilities: [{ name: 'Mailbox', minVersion: EVENTS_MIN_VERSION }] },
            events: [{ type: 'appointmentAttendeesChanged', actionId: ATTENDEES_CHANGED_HANDLER }],
          },
        ],
      },
    ],
  };
}

function icon(file: string): Uint8Array {
  return readFileSync(path.join(ICONS_DIR, file));
}

export function createOutlookManifestModule(options: OutlookManifestOptions = {}): ManifestModule {
  return {
    platform: 'outlook',
    async generate(baseUrl) {
      const unified = outlookUnifiedManifest(baseUrl, options);
      const { zipFiles } = await import('./zip.ts');
      const packaged = {
        'manifest.json': JSON.stringify(unified, null, 2),
        'color.png': icon('color-192.png'),
        'outline.png': icon('outline-32.png'),
      };
      return [
        { path: 'outlook/manifest.xml', content: outlookXmlManifest(baseUrl, options) },
        { path: 'outlook/unified/manifest.json', content: packaged['manifest.json'] },
        { path: 'outlook/unified/color.png', content: packaged['color.png'] },
        { path: 'outlook/unified/outline.png', content: packaged['outline.png'] },
        { path: 'outlook/quorum-outlook.zip', content: await zipFiles(packaged) },
      ];
    },
    async validate(files) {
      const { validateOutlookFiles } = await import('./validate.ts');
      return validateOutlookFiles(files);
    },
  };
}

export const outlookManifestModule: ManifestModule = createOutlookManifestModule({
  ...(process.env.MICROSOFT_CLIENT_ID
    ? { microsoftClientId: process.env.MICROSOFT_CLIENT_ID }
    : {}),
});

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [baseUrl, outDir] = process.argv.slice(2);
  if (!baseUrl) {
    console.error('usage: node manifests/outlook/manifest.ts https://quorum.example.com [out-dir]');
    process.exit(2);
  }
  const files = await outlookManifestModule.generate(baseUrl);
  const problems = await outlookManifestModule.validate(files);
  const dir = outDir ?? mkdtempSync(path.join(os.tmpdir(), 'quorum-outlook-'));
  for (const file of files) {
    mkdirSync(path.dirname(path.join(dir, file.path)), { recursive: true });
    writeFileSync(path.join(dir, file.path), file.content);
  }
  console.log(`Wrote ${files.length} files to ${dir}`);
  if (problems.length > 0) {
    console.error(problems.join('\n'));
    if (!outDir) rmSync(dir, { recursive: true, force: true });
    process.exit(1);
  }
}
