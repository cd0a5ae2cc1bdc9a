import type { Config } from '../config.js';
import type { CollectScope } from './collector.js';

// GCP projects and Azure subscriptions are listed whole (every region at once), so a scope is the project or
// subscription; these need no SDK, so the collection planner lists them without loading one.

export function gcpScopes(config: Config['gcp']): CollectScope[] {
  return config.projects.map((account) => ({ cloud: 'gcp', account, region: '*' }));
}

export function azureScopes(config: Config['azure']): CollectScope[] {
  return config.subscriptions.map((account) => ({ cloud: 'azure', account, region: '*' }));
}
