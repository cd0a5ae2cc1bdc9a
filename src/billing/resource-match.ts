import type { Cloud } from '../domain/cloud.js';
import type { Instance } from '../domain/instance.js';
import type { SpendRow } from '../domain/spend.js';
import { cloudOfRow } from './bill-rows.js';

/**
 * What a bill ResourceId says about the VM it belongs to: an id to compare with `Instance.id`, or (GCP, when the
 * global name ends in the instance name rather than its numeric id) the project, zone and name.
 */
export type ResourceKey = { kind: 'id'; id: string } | { kind: 'name'; account: string; zone: string; name: string };

// EC2 instance ids are `i-` and 8 or 17 hex digits; the FOCUS sample's anonymiser swaps some hex digits for letters
// (`i-0lbaaa6a98751b841`), so any lowercase alphanumerics are accepted. The ARN partition may be aws, aws-cn, aws-us-gov.
const AWS_BARE = /^i-[0-9a-z]+$/;
const AWS_ARN = /^arn:aws[a-z-]*:ec2:[^:]*:[^:]*:instance\/(i-[0-9a-z]+)$/;
// `//compute.googleapis.com/projects/<project>/zones/<zone>/instances/<id or name>` (Cloud Billing resource.global_name).
const GCP_GLOBAL = /^\/\/compute\.googleapis\.com\/projects\/([^/]+)\/zones\/([^/]+)\/instances\/([^/]+)$/;
// A resource id under a VM: `/subscriptions/…/virtualMachines/<name>` or a scale-set instance `…/virtualMachines/<n>`.
const AZURE_VM = /\/providers\/microsoft\.compute\/(virtualmachines|virtualmachinescalesets)\//;

const KEY_OF: Record<Cloud, (resourceId: string) => ResourceKey | undefined> = {
  aws: (raw) => {
    const id = raw.trim().toLowerCase();
    if (AWS_BARE.test(id)) return { kind: 'id', id };
    const arn = AWS_ARN.exec(id);
    return arn?.[1] ? { kind: 'id', id: arn[1] } : undefined;
  },
  // Azure resource ids are case-insensitive, and exports lower-case them (`/subscriptions/…/resourcegroups/…`).
  azure: (raw) => {
    const id = raw.trim().replace(/\/+$/, '').toLowerCase();
    return AZURE_VM.test(id) ? { kind: 'id', id } : undefined;
  },
  gcp: (raw) => {
    const m = GCP_GLOBAL.exec(raw.trim());
    if (!m?.[1] || !m[2] || !m[3]) return undefined;
    // Instance names must start with a letter, so an all-digit last segment is the numeric instance id.
    return /^\d+$/.test(m[3]) ? { kind: 'id', id: m[3] } : { kind: 'name', account: m[1], zone: m[2], name: m[3] };
  },
};

/** How a bill ResourceId names a VM of `cloud`, or undefined when it names something else (a volume, a NAT gateway, a commitment). */
export function instanceKeyOfResource(cloud: Cloud, resourceId: string): ResourceKey | undefined {
  return KEY_OF[cloud](resourceId);
}

/** How an inventory instance is looked up: the same normalisation as its bill ResourceId. */
function idKeyOfInstance(instance: Instance): string {
  return `${instance.cloud}|${instance.cloud === 'gcp' ? instance.id : instance.id.trim().replace(/\/+$/, '').toLowerCase()}`;
}

/**
 * The inventory instance each bill ResourceId belongs to, for every row whose resource is a known VM. Rows of
 * providers that are not a Rightsize cloud, and resources that are not VMs (disks, load balancers, commitments), are
 * left out. GCP name matches need the project (the instance's account) and, when both sides know it, the zone.
 *
 * @example
 * matchResources(rows, instances).get('arn:aws:ec2:us-east-1:123456789012:instance/i-0abc') // → the i-0abc Instance
 */
export function matchResources(rows: readonly SpendRow[], instances: readonly Instance[]): Map<string, Instance> {
  const byId = new Map<string, Instance>();
  const byName = new Map<string, Instance[]>();
  for (const instance of instances) {
    byId.set(idKeyOfInstance(instance), instance);
    if (instance.cloud === 'gcp' && instance.name) {
      const key = `${instance.account}|${instance.name}`;
      byName.set(key, [...(byName.get(key) ?? []), instance]);
    }
  }
  const out = new Map<string, Instance>();
  const seen = new Set<string>();
  for (const row of rows) {
    if (row.resourceId === '' || seen.has(row.resourceId)) continue;
    seen.add(row.resourceId);
    const cloud = cloudOfRow(row);
    if (!cloud) continue;
    const key = instanceKeyOfResource(cloud, row.resourceId);
    if (!key) continue;
    const found = key.kind === 'id' ? byId.get(`${cloud}|${key.id}`) : pickByName(byName.get(`${key.account}|${key.name}`), key.zone);
    if (found) out.set(row.resourceId, found);
  }
  return out;
}

/** Names are unique per project and zone: with several same-named instances the zone decides, else none is guessed. */
function pickByName(candidates: readonly Instance[] | undefined, zone: string): Instance | undefined {
  if (!candidates) return undefined;
  const inZone = candidates.filter((i) => i.zone === undefined || i.zone === zone);
  return inZone.length === 1 ? inZone[0] : undefined;
}
