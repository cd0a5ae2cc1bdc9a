import type { Cloud } from '../domain/cloud.js';

/** What a finding needs to say where to act on it: the instance as the cloud knows it. */
export interface FindingTarget {
  recommendationId: string;
  instanceId: string;
  cloud: Cloud;
  account: string;
  region: string;
  zone?: string;
  name?: string;
  /** The change: resize to `recommendedType`, or stop. */
  action?: 'resize' | 'stop';
  recommendedType?: string | null;
}

/** "What to do" for one finding: where to look in the cloud's console, the CLI command and the API link. */
export interface FindingActions {
  /** The instance's page in the cloud's web console (the instance list of the project when the zone is unknown). */
  consoleUrl: string;
  /** The CLI command that prints the full evidence. */
  cli: string;
  /** The API path of the full recommendation (evidence, backtest, cross-cloud alternatives). */
  api: string;
  /**
   * The cloud's own CLI command that applies the change (a resize stops and starts the VM on AWS and GCP); absent
   * when the cloud needs what the finding lacks (a GCP zone or name). Every value is one shell word.
   */
  change?: string;
}

const enc = encodeURIComponent;
/** A region or zone as a host label or path segment; anything else (never seen from a collector) is dropped. */
const slug = (s: string | undefined) => (s !== undefined && /^[a-z0-9-]{1,40}$/.test(s) ? s : undefined);

/**
 * Console deep links per cloud, every data component URI-encoded so an id cannot change the link's origin or path.
 * AWS: the EC2 instance details page (`#InstanceDetails:instanceId=`); GCP: the instance's details page by zone and
 * name, or the project's instance list; Azure: the portal's resource blade for the VM's resource id.
 */
const CONSOLE: Record<Cloud, (t: FindingTarget) => string> = {
  aws: (t) => {
    const region = slug(t.region);
    return region
      ? `https://${region}.console.aws.amazon.com/ec2/home?region=${region}#InstanceDetails:instanceId=${enc(t.instanceId)}`
      : `https://console.aws.amazon.com/ec2/home#InstanceDetails:instanceId=${enc(t.instanceId)}`;
  },
  gcp: (t) => {
    const zone = slug(t.zone);
    return zone && t.name
      ? `https://console.cloud.google.com/compute/instancesDetail/zones/${zone}/instances/${enc(t.name)}?project=${enc(t.account)}`
      : `https://console.cloud.google.com/compute/instances?project=${enc(t.account)}`;
  },
  azure: (t) => `https://portal.azure.com/#resource${t.instanceId.startsWith('/') ? t.instanceId.split('/').map(enc).join('/') : `/${enc(t.instanceId)}`}/overview`,
};

/** The console link, the `rightsize explain` command, the API path and the cloud CLI change for one finding. */
export function findingActions(t: FindingTarget): FindingActions {
  const change = changeCommand(t);
  return {
    consoleUrl: CONSOLE[t.cloud](t),
    cli: `rightsize explain ${shellQuote(t.recommendationId)}`,
    api: `/v1/recommendations/${enc(t.recommendationId)}`,
    ...(change ? { change } : {}),
  };
}

/** The cloud CLI command that applies a finding: `aws ec2`, `gcloud compute instances`, `az vm`. */
function changeCommand(t: FindingTarget): string | undefined {
  const q = shellQuote;
  const stop = t.action === 'stop';
  if (!stop && !t.recommendedType) return undefined;
  const type = q(t.recommendedType ?? '');
  switch (t.cloud) {
    case 'aws': {
      const at = `--region ${q(t.region)}`;
      if (stop) return `aws ec2 stop-instances --instance-ids ${q(t.instanceId)} ${at}`;
      return `aws ec2 stop-instances --instance-ids ${q(t.instanceId)} ${at} && aws ec2 wait instance-stopped --instance-ids ${q(t.instanceId)} ${at} && aws ec2 modify-instance-attribute --instance-id ${q(t.instanceId)} --instance-type Value=${type} ${at} && aws ec2 start-instances --instance-ids ${q(t.instanceId)} ${at}`;
    }
    case 'gcp': {
      if (!t.name || !t.zone) return undefined;
      const at = `--zone ${q(t.zone)} --project ${q(t.account)}`;
      if (stop) return `gcloud compute instances stop ${q(t.name)} ${at}`;
      return `gcloud compute instances stop ${q(t.name)} ${at} && gcloud compute instances set-machine-type ${q(t.name)} --machine-type ${type} ${at} && gcloud compute instances start ${q(t.name)} ${at}`;
    }
    case 'azure':
      return stop ? `az vm deallocate --ids ${q(t.instanceId)}` : `az vm resize --ids ${q(t.instanceId)} --size ${type}`;
  }
}

/** A value as one POSIX shell word: bare when it is only safe characters, else single-quoted. */
function shellQuote(s: string): string {
  return /^[A-Za-z0-9._:@%+=,/-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * An id short enough for a table cell: an Azure resource id becomes its last segment (the VM name), any other id
 * longer than `max` characters keeps its head and tail around an ellipsis. The full id goes in a title attribute.
 * @example shortId('/subscriptions/…/virtualMachines/vm-ci-01') === 'vm-ci-01'
 */
export function shortId(id: string, max = 22): string {
  // The VM name is what Azure's portal and CLI show, and is unique in its resource group: kept whole.
  const azure = /\/virtualMachines\/([^/]+)\/?$/i.exec(id);
  if (azure?.[1]) return azure[1];
  const base = id;
  if (base.length <= max) return base;
  const head = Math.ceil((max - 1) / 2);
  return `${base.slice(0, head)}…${base.slice(base.length - (max - 1 - head))}`;
}
