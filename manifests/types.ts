// What every platform's manifest module provides, so `quorum manifests` can write and check
// them all the same way.

export interface ManifestFile {
  /** Relative to the output folder, e.g. `teams/quorum-teams.zip` or `slack/manifest.json`. */
  path: string;
  content: string | Uint8Array;
}

export interface ManifestModule {
  /** The platform's name as the command prints it. */
  platform: 'slack' | 'teams' | 'zoom' | 'outlook';
  /** Every file for the platform, made from Quorum's public base URL and the code's settings. */
  generate(baseUrl: string): Promise<ManifestFile[]>;
  /** Problems found validating generated files against the platform's schema; [] when valid. */
  validate(files: ManifestFile[]): Promise<string[]>;
}
