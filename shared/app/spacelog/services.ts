/**
 * What Spacelog's own handlers use beyond the common services: the digest
 * settings reader and the settings they read from configuration.
 */
import type { Config } from '../../config.js';
import type { AppServices } from '../types.js';
import type { DigestSettingsReader } from './digest-settings.js';

/** The configuration subset Spacelog's behaviour reads. */
export type SpacelogConfig = Pick<
  Config,
  | 'alertsTopic'
  | 'commandIdHelp'
  | 'commandIdDigest'
  | 'commandIdIncident'
  | 'commandIdSignout'
  | 'commandIdMyspaces'
  | 'digestDefaultTime'
  | 'digestQuiet'
  | 'incidentSpaceMode'
>;

/** Services of Spacelog's handlers. */
export interface SpacelogServices extends AppServices {
  readonly digestSettings: DigestSettingsReader;
  readonly config: SpacelogConfig;
}
