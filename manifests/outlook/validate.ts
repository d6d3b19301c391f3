// Offline validation of the Outlook manifests.
//
// XML: office-addin-manifest's `validateManifest` posts the file to Microsoft's online
// validation service, which no test may reach. Its offline part is used instead:
// `OfficeAddinManifest.readManifestFile` parses the XML (xml2js) and reads the add-in's id,
// version, hosts and names, failing on malformed XML. No XSD ships with any installed package,
// so the MailApp schema's rules that matter here are checked directly: the order of OfficeApp's
// children, https URLs inside the AppDomains, every resid defined, string lengths, unique control
// ids, supported launch events, and icons of the declared pixel sizes.
//
// JSON: the unified manifest is checked against the Teams schema bundled in
// @microsoft/app-manifest (ajv, through AppManifestUtils.validateAgainstSchema with the bundled
// schema, so nothing is fetched), and the package's icons against their required sizes.
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ManifestFile } from '../types.ts';
import { UNIFIED_SCHEMA_VERSION } from './manifest.ts';

const ICONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'icons');

/** The MailApp sequence of OfficeApp's children (optional ones may be missing). */
const OFFICE_APP_ORDER = [
  'Id',
  'AlternateId',
  'Version',
  'ProviderName',
  'DefaultLocale',
  'DisplayName',
  'Description',
  'IconUrl',
  'HighResolutionIconUrl',
  'SupportUrl',
  'AppDomains',
  'Hosts',
  'Requirements',
  'FormSettings',
  'Permissions',
  'Rule',
  'DisableEntityHighlighting',
  'Dictionary',
  'VersionOverrides',
];
const REQUIRED = [
  'Id',
  'Version',
  'ProviderName',
  'DefaultLocale',
  'DisplayName',
  'Description',
  'IconUrl',
  'Requirements',
  'FormSettings',
  'Permissions',
  'Rule',
];
const LAUNCH_EVENTS = new Set([
  'OnNewMessageCompose',
  'OnNewAppointmentOrganizer',
  'OnMessageAttachmentsChanged',
  'OnAppointmentAttachmentsChanged',
  'OnMessageRecipientsChanged',
  'OnAppointmentAttendeesChanged',
  'OnAppointmentTimeChanged',
  'OnAppointmentRecurrenceChanged',
  'OnInfoBarDismissClicked',
  'OnMessageSend',
  'OnAppointmentSend',
  'OnMessageCompose',
  'OnMessageFromChanged',
  'OnAppointmentFromChanged',
  'OnSensitivityLabelChanged',
  'OnMessageReadWithCustomAttachment',
  'OnMessageReadWithCustomHeader',
]);

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } | null {
  const b = Buffer.from(bytes);
  if (b.length < 24 || b.toString('latin1', 1, 4) !== 'PNG') return null;
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

function text(file: ManifestFile): string {
  return typeof file.content === 'string'
    ? file.content
    : Buffer.from(file.content).toString('utf8');
}

export async function validateXmlManifest(xml: string): Promise<string[]> {
  const problems: string[] = [];
  const require = createRequire(import.meta.url);
  const { OfficeAddinManifest } = require('office-addin-manifest') as {
    OfficeAddinManifest: {
      readManifestFile(file: string): Promise<{
        id?: string;
        version?: string;
        hosts?: string[];
        displayName?: string;
        defaultLocale?: string;
        providerName?: string;
      }>;
    };
  };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'quorum-manifest-'));
  try {
    const file = path.join(dir, 'manifest.xml');
    writeFileSync(file, xml);
    const info = await OfficeAddinManifest.readManifestFile(file).catch((error: Error) => {
      problems.push(`the XML does not parse: ${error.message}`);
      return null;
    });
    if (!info) return problems;
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(info.id ?? ''))
      problems.push(`Id must be a GUID, not "${info.id}"`);
    if (!/^\d{1,5}(\.\d{1,5}){0,3}$/.test(info.version ?? ''))
      problems.push(`Version must be n.n.n.n, not "${info.version}"`);
    if (!info.hosts?.includes('Mailbox')) problems.push('Hosts must include Mailbox');
    if (!info.displayName) problems.push('DisplayName is missing');
    if (!info.defaultLocale) problems.push('DefaultLocale is missing');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  if (!/<OfficeApp [^>]*xsi:type="MailApp"/.test(xml)) problems.push('OfficeApp must be a MailApp');
  const top = [...xml.matchAll(/^ {2}<(\w+)/gm)].map((m) => m[1]!);
  for (const name of REQUIRED) if (!top.includes(name)) problems.push(`${name} is missing`);
  const positions = top.map((name) => OFFICE_APP_ORDER.indexOf(name));
  top.forEach((name, i) => {
    if (positions[i] === -1) problems.push(`${name} is not an element of a MailApp`);
    else if (i > 0 && positions[i]! < positions[i - 1]!)
      problems.push(`${name} must come before ${top[i - 1]}`);
  });

  const domains = [...xml.matchAll(/<AppDomain>([^<]+)<\/AppDomain>/g)].map((m) => m[1]!);
  for (const [, url] of xml.matchAll(/DefaultValue="(https?:\/\/[^"]+)"/g)) {
    if (!url!.startsWith('https://')) problems.push(`${url} must be https`);
    if (!domains.some((d) => url!.startsWith(d))) problems.push(`${url} is outside AppDomains`);
  }

  const blocks = xml.split(/<VersionOverrides /).slice(1);
  if (blocks.length === 0) problems.push('VersionOverrides are missing: no ribbon buttons');
  for (const [index, block] of blocks.entries()) {
    const own = index < blocks.length - 1 ? block.split(/<VersionOverrides /)[0]! : block;
    const ids = new Set([...own.matchAll(/<bt:\w+ id="([^"]+)"/g)].map((m) => m[1]!));
    const label = `VersionOverrides ${index === 0 ? '1.0' : '1.1'}`;
    for (const [, resid] of own.matchAll(/resid="([^"]+)"/g)) {
      if (!ids.has(resid!)) problems.push(`${label}: resid "${resid}" is not defined in Resources`);
    }
    const shorts = /<bt:ShortStrings>([\s\S]*?)<\/bt:ShortStrings>/.exec(own)?.[1] ?? '';
    for (const [, id, value] of shorts.matchAll(/id="([^"]+)" DefaultValue="([^"]*)"/g)) {
      if (value!.length > 125) problems.push(`${label}: short string ${id} is over 125 characters`);
    }
    const longs = /<bt:LongStrings>([\s\S]*?)<\/bt:LongStrings>/.exec(own)?.[1] ?? '';
    for (const [, id, value] of longs.matchAll(/id="([^"]+)" DefaultValue="([^"]*)"/g)) {
      if (value!.length > 250) problems.push(`${label}: long string ${id} is over 250 characters`);
    }
    const controls = [...own.matchAll(/<Control xsi:type="Button" id="([^"]+)"/g)].map(
      (m) => m[1]!,
    );
    if (new Set(controls).size !== controls.length) problems.push(`${label}: control ids repeat`);
    for (const [, type] of own.matchAll(/<LaunchEvent Type="([^"]+)"/g)) {
      if (!LAUNCH_EVENTS.has(type!)) problems.push(`${label}: ${type} is not a launch event`);
    }
    if (/<LaunchEvent /.test(own) && !/VersionOverridesV1_1/.test(own.slice(0, 200)))
      problems.push(`${label}: launch events need VersionOverridesV1_1`);
    for (const [, size, id] of own.matchAll(/<bt:Image size="(\d+)" resid="([^"]+)"/g)) {
      const url = new RegExp(`<bt:Image id="${id}" DefaultValue="([^"]+)"`).exec(own)?.[1];
      const name = url?.split('/').pop();
      if (!name) continue;
      let png: Uint8Array;
      try {
        png = readFileSync(path.join(ICONS_DIR, name));
      } catch {
        problems.push(`${label}: icon ${name} is not in manifests/icons`);
        continue;
      }
      const dims = pngSize(png);
      if (dims?.width !== Number(size) || dims.height !== Number(size))
        problems.push(`${label}: icon ${name} is not ${size}×${size}`);
    }
  }
  return [...new Set(problems)];
}

export async function validateUnifiedManifest(manifest: unknown): Promise<string[]> {
  const require = createRequire(import.meta.url);
  const { AppManifestUtils } = require('@microsoft/app-manifest') as {
    AppManifestUtils: { validateAgainstSchema(m: unknown, schema: unknown): Promise<string[]> };
  };
  const schemaFile = require.resolve(
    `@microsoft/app-manifest/build/json-schemas/teams/v${UNIFIED_SCHEMA_VERSION}/MicrosoftTeams.schema.json`,
  );
  const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as unknown;
  return AppManifestUtils.validateAgainstSchema(manifest, schema);
}

export async function validateOutlookFiles(files: ManifestFile[]): Promise<string[]> {
  const problems: string[] = [];
  const byPath = new Map(files.map((f) => [f.path, f]));
  const xml = byPath.get('outlook/manifest.xml');
  if (!xml) problems.push('outlook/manifest.xml is missing');
  else problems.push(...(await validateXmlManifest(text(xml))).map((p) => `manifest.xml: ${p}`));
  const json = byPath.get('outlook/unified/manifest.json');
  if (!json) problems.push('outlook/unified/manifest.json is missing');
  else {
    let manifest: unknown;
    try {
      manifest = JSON.parse(text(json));
    } catch (error) {
      problems.push(`manifest.json: not JSON (${(error as Error).message})`);
    }
    if (manifest !== undefined)
      problems.push(...(await validateUnifiedManifest(manifest)).map((p) => `manifest.json: ${p}`));
  }
  for (const [file, size] of [
    ['outlook/unified/color.png', 192],
    ['outlook/unified/outline.png', 32],
  ] as const) {
    const found = byPath.get(file);
    const dims = found ? pngSize(found.content as Uint8Array) : null;
    if (dims?.width !== size || dims.height !== size)
      problems.push(`${file} must be a ${size}×${size} PNG`);
  }
  return problems;
}
