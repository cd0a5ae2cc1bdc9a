import { z } from 'zod';

/** Every cloud Rightsize knows. Code keys registries by this tuple (`Record<Cloud, …>`), never by if-chains. */
export const CLOUDS = ['aws', 'gcp', 'azure'] as const;
export const CloudSchema = z.enum(CLOUDS);
export type Cloud = z.infer<typeof CloudSchema>;

/** A cloud region with coordinates, so cross-cloud alternatives can pick the nearest region of another cloud. */
export const RegionSchema = z.object({
  cloud: CloudSchema,
  id: z.string().min(1),
  name: z.string().min(1),
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
});
export type Region = z.infer<typeof RegionSchema>;

/** The account-like scope per cloud: AWS account, GCP project, Azure subscription. */
export const ACCOUNT_LABEL: Record<Cloud, string> = {
  aws: 'account',
  gcp: 'project',
  azure: 'subscription',
};
