import { z } from 'zod';
import type { Instance } from '../../domain/instance.js';
import { CollectError } from '../collector.js';

/** The fields of an ARM `virtualMachines` item Rightsize uses (the SDK returns them camelCased, flattened). */
const VmSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  location: z.string().min(1),
  tags: z.record(z.string(), z.string()).optional(),
  zones: z.array(z.string()).optional(),
  hardwareProfile: z.object({ vmSize: z.string().min(1) }),
  priority: z.string().optional(),
  timeCreated: z.date().optional(),
  storageProfile: z.object({ osDisk: z.object({ osType: z.string().optional() }).optional() }).optional(),
  instanceView: z.object({ statuses: z.array(z.object({ code: z.string().optional() })).optional() }).optional(),
});

const POWER: Record<string, Instance['state']> = { running: 'running', starting: 'pending', stopping: 'stopping', stopped: 'stopped', deallocating: 'stopping', deallocated: 'stopped' };

/** One VM from `virtualMachines.listAll` → a domain Instance. The subscription is the account. */
export function parseAzureVm(raw: unknown, subscription: string): Instance {
  const parsed = VmSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CollectError('parse-error', `azure virtualMachines.listAll ${subscription}: value.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  const vm = parsed.data;
  const power = vm.instanceView?.statuses?.map((s) => s.code ?? '').find((c) => c.startsWith('PowerState/'))?.slice('PowerState/'.length);
  return {
    id: vm.id,
    cloud: 'azure',
    account: subscription,
    region: vm.location.toLowerCase(),
    ...(vm.zones?.[0] ? { zone: `${vm.location.toLowerCase()}-${vm.zones[0]}` } : {}),
    type: vm.hardwareProfile.vmSize,
    state: power ? (POWER[power] ?? 'other') : 'other',
    lifecycle: vm.priority?.toLowerCase() === 'spot' ? 'spot' : 'on-demand',
    os: vm.storageProfile?.osDisk?.osType?.toLowerCase() === 'windows' ? 'windows' : 'linux',
    name: vm.name,
    tags: vm.tags ?? {},
    launchedAt: (vm.timeCreated ?? new Date(0)).toISOString(),
  };
}

/** Azure Monitor `metrics` response: one time series per metric, hourly Maximum and Average. */
export const MetricsResponseSchema = z.object({
  value: z.array(
    z.object({
      name: z.object({ value: z.string() }),
      timeseries: z.array(z.object({ data: z.array(z.object({ timeStamp: z.string(), maximum: z.number().optional(), average: z.number().optional(), minimum: z.number().optional() })) })),
    }),
  ),
});
