// Outlook names a repeating meeting's time zone the Windows way ("W. Europe Standard Time"), while
// Quorum keeps IANA names ("Europe/Berlin"). No package in the project carries Unicode CLDR's
// windowsZones mapping, so this is the part of it (CLDR supplemental/windowsZones.xml, IANA →
// Windows, each zone's own territory row) for the zones people commonly work in, including every
// zone of the demo organization and of the recurrence tests' odd zones. A zone not listed gets a
// plain refusal naming it (recurrence.ts) rather than a guess: a wrong Windows zone would move
// every meeting of the series. Every name here is one office.js lists in
// Office.MailboxEnums.RecurrenceTimeZone (tests/unit/outlook/windows-zones.test.ts checks it).

const WINDOWS_ZONES: Readonly<Record<string, string>> = {
  // UTC itself
  UTC: 'UTC',
  'Etc/UTC': 'UTC',
  'Etc/GMT': 'UTC',
  // Europe and Africa
  'Europe/London': 'GMT Standard Time',
  'Europe/Dublin': 'GMT Standard Time',
  'Europe/Lisbon': 'GMT Standard Time',
  'Atlantic/Reykjavik': 'Greenwich Standard Time',
  'Europe/Berlin': 'W. Europe Standard Time',
  'Europe/Amsterdam': 'W. Europe Standard Time',
  'Europe/Rome': 'W. Europe Standard Time',
  'Europe/Stockholm': 'W. Europe Standard Time',
  'Europe/Vienna': 'W. Europe Standard Time',
  'Europe/Zurich': 'W. Europe Standard Time',
  'Europe/Oslo': 'W. Europe Standard Time',
  'Europe/Paris': 'Romance Standard Time',
  'Europe/Brussels': 'Romance Standard Time',
  'Europe/Madrid': 'Romance Standard Time',
  'Europe/Copenhagen': 'Romance Standard Time',
  'Europe/Warsaw': 'Central European Standard Time',
  'Europe/Zagreb': 'Central European Standard Time',
  'Europe/Prague': 'Central Europe Standard Time',
  'Europe/Budapest': 'Central Europe Standard Time',
  'Europe/Belgrade': 'Central Europe Standard Time',
  'Europe/Helsinki': 'FLE Standard Time',
  'Europe/Kyiv': 'FLE Standard Time',
  'Europe/Kiev': 'FLE Standard Time',
  'Europe/Riga': 'FLE Standard Time',
  'Europe/Tallinn': 'FLE Standard Time',
  'Europe/Vilnius': 'FLE Standard Time',
  'Europe/Sofia': 'FLE Standard Time',
  'Europe/Athens': 'GTB Standard Time',
  'Europe/Bucharest': 'GTB Standard Time',
  'Europe/Istanbul': 'Turkey Standard Time',
  'Europe/Moscow': 'Russian Standard Time',
  'Africa/Lagos': 'W. Central Africa Standard Time',
  'Africa/Cairo': 'Egypt Standard Time',
  'Africa/Johannesburg': 'South Africa Standard Time',
  'Africa/Nairobi': 'E. Africa Standard Time',
  // Asia
  'Asia/Jerusalem': 'Israel Standard Time',
  'Asia/Riyadh': 'Arab Standard Time',
  'Asia/Dubai': 'Arabian Standard Time',
  'Asia/Tehran': 'Iran Standard Time',
  'Asia/Kabul': 'Afghanistan Standard Time',
  'Asia/Karachi': 'Pakistan Standard Time',
  'Asia/Kolkata': 'India Standard Time',
  'Asia/Calcutta': 'India Standard Time',
  'Asia/Colombo': 'Sri Lanka Standard Time',
  'Asia/Kathmandu': 'Nepal Standard Time',
  'Asia/Katmandu': 'Nepal Standard Time',
  'Asia/Dhaka': 'Bangladesh Standard Time',
  'Asia/Yangon': 'Myanmar Standard Time',
  'Asia/Bangkok': 'SE Asia Standard Time',
  'Asia/Jakarta': 'SE Asia Standard Time',
  'Asia/Ho_Chi_Minh': 'SE Asia Standard Time',
  'Asia/Singapore': 'Singapore Standard Time',
  'Asia/Kuala_Lumpur': 'Singapore Standard Time',
  'Asia/Manila': 'Singapore Standard Time',
  'Asia/Shanghai': 'China Standard Time',
  'Asia/Hong_Kong': 'China Standard Time',
  'Asia/Taipei': 'Taipei Standard Time',
  'Asia/Seoul': 'Korea Standard Time',
  'Asia/Tokyo': 'Tokyo Standard Time',
  // Australia and the Pacific
  'Australia/Perth': 'W. Australia Standard Time',
  'Australia/Darwin': 'AUS Central Standard Time',
  'Australia/Adelaide': 'Cen. Australia Standard Time',
  'Australia/Brisbane': 'E. Australia Standard Time',
  'Australia/Sydney': 'AUS Eastern Standard Time',
  'Australia/Melbourne': 'AUS Eastern Standard Time',
  'Australia/Hobart': 'Tasmania Standard Time',
  'Australia/Lord_Howe': 'Lord Howe Standard Time',
  'Pacific/Auckland': 'New Zealand Standard Time',
  'Pacific/Chatham': 'Chatham Islands Standard Time',
  'Pacific/Honolulu': 'Hawaiian Standard Time',
  // The Americas
  'America/Anchorage': 'Alaskan Standard Time',
  'America/Los_Angeles': 'Pacific Standard Time',
  'America/Vancouver': 'Pacific Standard Time',
  'America/Phoenix': 'US Mountain Standard Time',
  'America/Denver': 'Mountain Standard Time',
  'America/Edmonton': 'Mountain Standard Time',
  'America/Chicago': 'Central Standard Time',
  'America/Winnipeg': 'Central Standard Time',
  'America/Mexico_City': 'Central Standard Time (Mexico)',
  'America/New_York': 'Eastern Standard Time',
  'America/Toronto': 'Eastern Standard Time',
  'America/Detroit': 'Eastern Standard Time',
  'America/Bogota': 'SA Pacific Standard Time',
  'America/Lima': 'SA Pacific Standard Time',
  'America/Caracas': 'Venezuela Standard Time',
  'America/Halifax': 'Atlantic Standard Time',
  'America/Santiago': 'Pacific SA Standard Time',
  'America/St_Johns': 'Newfoundland Standard Time',
  'America/Sao_Paulo': 'E. South America Standard Time',
  'America/Argentina/Buenos_Aires': 'Argentina Standard Time',
  'America/Buenos_Aires': 'Argentina Standard Time',
};

/** The Windows name Outlook needs for an IANA zone, or undefined when Quorum has none. */
export function windowsZoneOf(ianaZone: string): string | undefined {
  return Object.hasOwn(WINDOWS_ZONES, ianaZone) ? WINDOWS_ZONES[ianaZone] : undefined;
}

/** Every mapping, for the check that each Windows name is one Outlook knows. */
export function windowsZoneTable(): Readonly<Record<string, string>> {
  return WINDOWS_ZONES;
}
